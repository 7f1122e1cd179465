using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace Irrigation.Tests.Support
{
    /// <summary>
    /// The real server (or another program that prints the same start-up line) as a child process:
    /// <c>dotnet Irrigation.Server.dll --urls http://127.0.0.1:0 …</c>, ready once it printed
    /// <c>Listening on http://127.0.0.1:PORT (…)</c>. For the CLI, the crash test (SIGKILL needs a process of its
    /// own), the cluster tests, the browser tests and the benchmarks (whose servers' CPU and memory must be their own).
    /// </summary>
    public sealed partial class ServerProcess : IAsyncDisposable
    {
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
        private readonly List<string> _output = [];
        private Process? _process;

        private ServerProcess(ServerLaunch launch) => Launch = launch;

        /// <summary>
        /// The server's Irrigation.Server.dll: IRRIGATION_SERVER_DLL when set, else the copy next to this program
        /// (a project reference), else the path the project file wrote into the IrrigationServerDll assembly metadata.
        /// </summary>
        public static string Dll
        {
            get
            {
                if (Environment.GetEnvironmentVariable("IRRIGATION_SERVER_DLL") is { Length: > 0 } overridden)
                {
                    return overridden;
                }

                var copy = Path.Combine(AppContext.BaseDirectory, "Irrigation.Server.dll");
                return File.Exists(copy)
                    ? copy
                    : typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "IrrigationServerDll")?.Value
                      ?? throw new InvalidOperationException("Irrigation.Server.dll not found: reference the server project or set IRRIGATION_SERVER_DLL");
            }
        }

        /// <summary><see cref="Dll"/> under the browser tests' older name.</summary>
        public static string ServerDll => Dll;

        /// <summary>What was started (the same again on <see cref="RestartAsync"/>).</summary>
        public ServerLaunch Launch { get; private set; }

        /// <summary>http(s)://127.0.0.1:PORT/ (it listens there).</summary>
        public Uri Address { get; private set; } = null!;

        /// <summary><see cref="Address"/> under the browser tests' older name, so their fixtures' callers keep compiling.</summary>
        public Uri BaseUri => Address;

        /// <summary>ws://127.0.0.1:PORT/</summary>
        public Uri WebSocketAddress => new("ws://" + Address.Authority + "/");

        /// <summary>The process id (for /proc).</summary>
        public int Pid => _process?.Id ?? 0;

        /// <summary>The data dir (empty when the launch has none).</summary>
        public string DataDir => Launch.DataDir ?? "";

        /// <summary><see cref="Output"/> under the browser tests' older name.</summary>
        public IReadOnlyList<string> OutputLines => Output;

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

        /// <summary>Runs a command to completion (60 s at most); returns exit code, stdout and stderr.</summary>
        public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
        {
            using var process = Process.Start(StartInfo(Dll, null, new Dictionary<string, string>(), args))!;
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout, await stderr);
        }

        /// <summary>Runs a provisioning command that must succeed; returns its last line of stdout (a token).</summary>
        public static async Task<string> CliAsync(params string[] args)
        {
            var (code, stdout, stderr) = await RunAsync(args);
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (code != 0 || lines.Length == 0)
            {
                throw new InvalidOperationException($"`{string.Join(' ', args)}` failed ({code}):\n{stdout}\n{stderr}");
            }

            return lines[^1];
        }

        /// <summary>
        /// A server not started yet, as `dotnet run` starts it (content root in the project folder, so the dashboard
        /// comes from its wwwroot; Development), on a fresh temp data dir deleted on dispose: provision it with
        /// <see cref="AddUserAsync"/> and <see cref="AddDeviceAsync"/>, then <see cref="StartAsync(int, string[])"/>.
        /// </summary>
        public static ServerProcess Create()
        {
            var dir = Path.Combine(Path.GetTempPath(), "irrigation-server-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(dir);
            return new ServerProcess(new ServerLaunch
            {
                DataDir = dir,
                DeleteDataDir = true,
                WorkingDirectory = RepoPaths.Combine("server", "Irrigation.Server"),
                Environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
            });
        }

        /// <summary>`users add ID` on this server's data dir: returns the token.</summary>
        public Task<string> AddUserAsync(string userId) => CliAsync("users", "add", userId, "--data-dir", DataDir);

        /// <summary>`devices add ID --owner USER --zones a,b` on this server's data dir: returns the device token.</summary>
        public Task<string> AddDeviceAsync(string deviceId, string owner, params string[] zones) =>
            CliAsync("devices", "add", deviceId, "--owner", owner, "--zones", string.Join(",", zones), "--data-dir", DataDir);

        /// <summary>Starts a server made by <see cref="Create"/> on <paramref name="port"/> (0: any free one) and waits until it listens.</summary>
        public Task StartAsync(int port = 0, params string[] extraArgs)
        {
            Launch = Launch with { Port = port, Arguments = extraArgs };
            return StartProcessAsync();
        }

        /// <summary>Starts the server on a free loopback port with this data dir and waits until it listens.</summary>
        public static Task<ServerProcess> StartAsync(string dataDir, params string[] extra) =>
            StartAsync(new ServerLaunch { DataDir = dataDir, Arguments = extra });

        /// <summary>Starts <paramref name="launch"/> and waits until it listens.</summary>
        public static async Task<ServerProcess> StartAsync(ServerLaunch launch)
        {
            var server = new ServerProcess(launch);
            await server.StartProcessAsync();
            return server;
        }

        /// <summary>SIGKILL, then the same launch again on the same port (clients reconnect to the address they know).</summary>
        public async Task RestartAsync()
        {
            await StopAsync();
            lock (_output)
            {
                _output.Clear();
            }

            Launch = Launch with { Port = Address.Port };
            await StartProcessAsync();
        }

        /// <summary>Waits until the server printed a line that matches; returns it.</summary>
        public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                if (Output.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException("the server never printed the expected line:\n" + string.Join('\n', Output));
        }

        /// <summary>SIGKILL: no shutdown code runs.</summary>
        public void KillHard() => _process?.Kill(entireProcessTree: true);

        /// <inheritdoc />
        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _process?.Dispose();
            if (Launch.DeleteDataDir && Launch.DataDir is { } dir)
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                    // REVIEW: a file still held by a dying child; the OS temp cleaner gets it.
                }
            }
        }

        private async Task StopAsync()
        {
            if (_process is null)
            {
                return;
            }

            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }

        private async Task StartProcessAsync()
        {
            List<string> args = [.. Launch.Command, "--urls", $"http://127.0.0.1:{Launch.Port}"];
            if (Launch.DataDir is { } dataDir)
            {
                args.AddRange(["--data-dir", dataDir]);
            }

            args.AddRange(Launch.Arguments);
            var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
            _process?.Dispose();
            _process = new Process { StartInfo = StartInfo(Launch.Dll, Launch.WorkingDirectory, Launch.Environment, [.. args]) };
            _process.OutputDataReceived += (_, e) => OnLine(e.Data, listening);
            _process.ErrorDataReceived += (_, e) => OnLine(e.Data, listening);
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            var started = await Task.WhenAny(listening.Task, _process.WaitForExitAsync(), Task.Delay(StartTimeout));
            if (started != listening.Task)
            {
                await StopAsync();
                throw new InvalidOperationException(
                    $"{Path.GetFileName(Launch.Dll)} did not start listening ({(_process.HasExited ? "exited " + _process.ExitCode : "timeout")}):\n" +
                    string.Join('\n', Output.TakeLast(40)));
            }

            Address = await listening.Task;
        }

        private void OnLine(string? line, TaskCompletionSource<Uri> listening)
        {
            if (line is null)
            {
                return;
            }

            if (Launch.EchoPrefix is { } prefix)
            {
                Console.WriteLine(prefix + line);
            }

            lock (_output)
            {
                _output.Add(line);
            }

            var match = ListeningLine().Match(line);
            if (match.Success)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
            }
        }

        private static ProcessStartInfo StartInfo(string dll, string? workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args)
        {
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(dll)!,
            };
            info.ArgumentList.Add(dll);
            foreach (var arg in args)
            {
                info.ArgumentList.Add(arg);
            }

            info.Environment["DOTNET_NOLOGO"] = "1";
            info.Environment["Logging__Console__FormatterName"] = "simple";
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }

            return info;
        }

        [GeneratedRegex(@"^Listening on (https?://[^\s,]+)")]
        private static partial Regex ListeningLine();
    }
}
