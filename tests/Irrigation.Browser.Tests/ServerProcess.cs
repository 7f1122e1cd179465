using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Irrigation.Tests.Support;

namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// The real server as a child process on 127.0.0.1:0 with a temp data dir, and its command line for provisioning.
    /// Content root = the project folder, as with `dotnet run`, so the dashboard comes from its wwwroot.
    /// </summary>
    public sealed partial class ServerProcess : IAsyncDisposable
    {
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
        private readonly ConcurrentQueue<string> _output = new();
        private Process? _process;

        private ServerProcess(string dataDir)
        {
            DataDir = dataDir;
        }

        /// <summary>The data directory (deleted on dispose).</summary>
        public string DataDir { get; }

        /// <summary>http://127.0.0.1:PORT (no trailing slash).</summary>
        public Uri BaseUri { get; private set; } = new("http://127.0.0.1");

        /// <summary>Everything the server printed so far, for failure messages.</summary>
        public string Output => string.Join(Environment.NewLine, _output);

        /// <summary>The lines the server printed so far (stdout and stderr).</summary>
        public IReadOnlyList<string> OutputLines => [.. _output];

        /// <summary>The server's dll: this test build's Irrigation.Server, or IRRIGATION_SERVER_DLL when set.</summary>
        public static string ServerDll =>
            Environment.GetEnvironmentVariable("IRRIGATION_SERVER_DLL") is { Length: > 0 } overridden
                ? overridden
                : typeof(ServerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                    .Single(a => a.Key == "IrrigationServerDll").Value!;

        private static string ProjectDir => RepoPaths.Combine("server", "Irrigation.Server");

        /// <summary>A fresh, empty data dir; nothing runs until <see cref="StartAsync"/>.</summary>
        public static ServerProcess Create()
        {
            var dir = Path.Combine(Path.GetTempPath(), "irrigation-browser-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(dir);
            return new ServerProcess(dir);
        }

        /// <summary>`users add ID`: returns the token (the last line of stdout).</summary>
        public Task<string> AddUserAsync(string userId) => RunCliAsync("users", "add", userId);

        /// <summary>`devices add ID --owner USER --zones a,b`: returns the device token.</summary>
        public Task<string> AddDeviceAsync(string deviceId, string owner, params string[] zones) =>
            RunCliAsync("devices", "add", deviceId, "--owner", owner, "--zones", string.Join(",", zones));

        /// <summary>Stops the server (like a crash: killed) and starts it again on the same port and data dir.</summary>
        public async Task RestartAsync()
        {
            await StopAsync();
            _output.Clear();
            await StartAsync(BaseUri.Port);
        }

        /// <summary>Starts the server (port 0: any free one) and waits until it says its port and answers /healthz.</summary>
        public async Task StartAsync(int port = 0, params string[] extraArgs)
        {
            var psi = StartInfo(["--urls", $"http://127.0.0.1:{port}", "--data-dir", DataDir, .. extraArgs]);
            var bound = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
            DataReceivedEventHandler collect = (_, e) =>
            {
                if (e.Data is null) return;
                _output.Enqueue(e.Data);
                var m = ListeningOn().Match(e.Data);
                if (m.Success && int.Parse(m.Groups[1].Value) != 0) bound.TrySetResult(int.Parse(m.Groups[1].Value));
            };
            _process.OutputDataReceived += collect;
            _process.ErrorDataReceived += collect;
            _process.Exited += (_, _) => bound.TrySetException(new InvalidOperationException("The server exited early:\n" + Output));
            _process.Start();
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(StartTimeout);
            timeout.Token.Register(() => bound.TrySetException(new TimeoutException("The server did not print its address:\n" + Output)));
            BaseUri = new Uri($"http://127.0.0.1:{await bound.Task}");

            using var http = new HttpClient { BaseAddress = BaseUri };
            for (var i = 0; ; i++)
            {
                try
                {
                    if ((await http.GetAsync("/healthz")).IsSuccessStatusCode) return;
                }
                catch (HttpRequestException) when (i < 100)
                {
                }

                await Task.Delay(100);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            try
            {
                Directory.Delete(DataDir, recursive: true);
            }
            catch (IOException)
            {
                // REVIEW: a file still held by a dying child; the OS temp cleaner gets it.
            }
        }

        private async Task StopAsync()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process?.Dispose();
            _process = null;
        }

        private async Task<string> RunCliAsync(params string[] args)
        {
            var psi = StartInfo([.. args, "--data-dir", DataDir]);
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await p.WaitForExitAsync();
            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (p.ExitCode != 0 || lines.Length == 0)
            {
                throw new InvalidOperationException($"`{string.Join(' ', args)}` failed ({p.ExitCode}):\n{await stdout}\n{await stderr}");
            }

            return lines[^1];
        }

        private static ProcessStartInfo StartInfo(params string[] args)
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = ProjectDir,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            psi.ArgumentList.Add(ServerDll);
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment["DOTNET_NOLOGO"] = "1";
            psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            return psi;
        }

        [GeneratedRegex(@"https?://127\.0\.0\.1:(\d+)")]
        private static partial Regex ListeningOn();
    }
}
