using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace Irrigation.Benchmarks.Harness;

/// <summary>
/// A server under test as its own process (product or yardstick), so its memory and CPU are its own and the load
/// clients do not share its heap. Started on 127.0.0.1:0; the port is read from its "Now listening on" line.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _tail = [];

    private ServerProcess(Process process, Uri http)
    {
        _process = process;
        Http = http;
    }

    // BENCH_ECHO_SERVER=1 prints the servers' output (warnings, errors) while the benchmark runs.
    private static readonly bool Echo = Environment.GetEnvironmentVariable("BENCH_ECHO_SERVER") == "1";

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri Http { get; }

    /// <summary>ws://127.0.0.1:PORT/</summary>
    public Uri Ws => new($"ws://{Http.Authority}/");

    /// <summary>The process id (for /proc).</summary>
    public int Pid => _process.Id;

    /// <summary>Starts `dotnet DLL ARGS` and waits until it listens.</summary>
    public static async Task<ServerProcess> StartAsync(string dll, IEnumerable<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        var ready = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var tail = new List<string>();
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            if (Echo)
            {
                Console.WriteLine("[server] " + line);
            }

            lock (tail)
            {
                tail.Add(line);
                if (tail.Count > 40)
                {
                    tail.RemoveAt(0);
                }
            }

            var m = Listening().Match(line);
            if (m.Success)
            {
                ready.TrySetResult(new Uri(m.Groups[1].Value + "/"));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(ready.Task, exited, Task.Delay(TimeSpan.FromSeconds(60)));
        if (first != ready.Task)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            string output;
            lock (tail)
            {
                output = string.Join('\n', tail);
            }

            throw new InvalidOperationException($"server did not start listening:\n{output}");
        }

        var server = new ServerProcess(process, await ready.Task);
        lock (tail)
        {
            server._tail.AddRange(tail);
        }

        return server;
    }

    /// <summary>GET path as text ("" on failure).</summary>
    public async Task<string> GetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = Http, Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            return await http.GetStringAsync(path);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return "";
        }
    }

    /// <summary>A counter or gauge from /metrics (sum over labels matching the prefix), -1 if absent.</summary>
    public async Task<long> MetricAsync(string nameWithLabels)
    {
        var text = await GetAsync("metrics");
        long sum = -1;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(nameWithLabels, StringComparison.Ordinal) && !line.StartsWith('#'))
            {
                var value = line[(line.LastIndexOf(' ') + 1)..];
                if (long.TryParse(value, out var v))
                {
                    sum = Math.Max(sum, 0) + v;
                }
            }
        }

        return sum;
    }

    /// <summary>SIGTERM (graceful), then SIGKILL after 5 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _ = Kill(_process.Id, 15);
            var exited = _process.WaitForExitAsync();
            if (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromSeconds(5))) != exited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"listening on:?\s+(http://127\.0\.0\.1:\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex Listening();
}
