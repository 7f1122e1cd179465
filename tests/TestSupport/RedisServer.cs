using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Irrigation.Tests.Support
{
    /// <summary>A private Redis 7 on 127.0.0.1 (no persistence) as a child process, killed when disposed.</summary>
    public sealed class RedisServer : IAsyncDisposable
    {
        private readonly Process _process;

        private RedisServer(Process process, int port)
        {
            _process = process;
            Port = port;
        }

        /// <summary>The port it listens on.</summary>
        public int Port { get; }

        /// <summary>The server's process id.</summary>
        public int ProcessId => _process.Id;

        /// <summary>A StackExchange.Redis configuration string.</summary>
        public string ConnectionString => $"127.0.0.1:{Port}";

        /// <summary>Starts the server and waits until it accepts connections.</summary>
        public static async Task<RedisServer> StartAsync(int? port = null)
        {
            var binary = ServerBinaries.Find("redis-server", "/usr/bin/redis-server");
            var p = port ?? ServerBinaries.FreePort();
            var process = await ServerBinaries.StartListeningAsync(binary, $"--port {p} --bind 127.0.0.1 --save \"\" --appendonly no --dir {Path.GetTempPath()}", p);
            return new RedisServer(process, p);
        }

        /// <summary>Kills the server.</summary>
        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
