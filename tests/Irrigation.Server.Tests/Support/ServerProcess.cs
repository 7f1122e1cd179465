using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Irrigation.Server.Tests.Support;

/// <summary>
/// The real server as a child process: <c>dotnet Irrigation.Server.dll ARGS</c>. For the CLI and the crash test
/// (SIGKILL needs a process of its own).
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServerProcess(Process process) => _process = process;

    /// <summary>The server's Irrigation.Server.dll (copied next to the tests by the project reference).</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "Irrigation.Server.dll");

    private readonly List<string> _output = [];

    /// <summary>Every stdout/stderr line so far.</summary>
    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>http://127.0.0.1:PORT/ once listening.</summary>
    public Uri? Address { get; private set; }

    /// <summary>Runs a command to completion; returns exit code, stdout and stderr.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts the server on a free loopback port and waits until it listens.</summary>
    public static async Task<ServerProcess> StartAsync(string dataDir, params string[] extra)
    {
        var process = Process.Start(StartInfo(["--urls", "http://127.0.0.1:0", "--data-dir", dataDir, .. extra]))!;
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => server.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(server._listening.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != server._listening.Task)
        {
            process.Kill();
            throw new InvalidOperationException("the server process did not start listening");
        }

        server.Address = await server._listening.Task;
        return server;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    private static ProcessStartInfo StartInfo(string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["Logging__Console__FormatterName"] = "simple";
        return info;
    }

    [GeneratedRegex(@"^Listening on (https?://[^\s,]+)")]
    private static partial Regex ListeningLine();
}
