using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Irrigation.Tests.Support
{
    /// <summary>
    /// A private Mosquitto 2 broker on 127.0.0.1 (anonymous, no persistence: a restart forgets every retained
    /// message, as a broker that lost its disk does) as a child process. It can be stopped and started again on the
    /// same port, or frozen (SIGSTOP) to play a broker that hangs with its connections open.
    /// </summary>
    public sealed class MosquittoServer : IAsyncDisposable
    {
        private readonly string _dir;
        private readonly string _config;
        private Process _process = null!;

        private MosquittoServer(string dir, int port, int webSocketPort)
        {
            _dir = dir;
            Port = port;
            WebSocketPort = webSocketPort;
            _config = Path.Combine(dir, "mosquitto.conf");
            // A websockets listener needs socket_domain ipv4, or it binds every interface whatever its address; Mosquitto
            // 2.0.11 refuses to start with a websockets listener alone, so it always comes after the plain one. Its
            // users are the load benchmarks, whose other servers send without Nagle's delay too (set_tcp_nodelay).
            var webSockets = webSocketPort == 0 ? "" : $"listener {webSocketPort} 127.0.0.1\nprotocol websockets\nsocket_domain ipv4\nset_tcp_nodelay true\n";
            File.WriteAllText(_config, $"listener {port} 127.0.0.1\n{webSockets}allow_anonymous true\npersistence false\nlog_dest stderr\n");
        }

        /// <summary>The port it listens on.</summary>
        public int Port { get; }

        /// <summary>The port of its MQTT-over-WebSocket listener (0 when it has none).</summary>
        public int WebSocketPort { get; }

        /// <summary>The broker's process id (for /proc).</summary>
        public int ProcessId => _process.Id;

        /// <summary>The bridge's Mqtt:Server setting for this broker.</summary>
        public string Address => $"mqtt://127.0.0.1:{Port}";

        /// <summary>Starts a broker on a free port and waits until it accepts connections.</summary>
        public static Task<MosquittoServer> StartAsync() => StartAsync(webSockets: false);

        /// <summary>The same, with an MQTT-over-WebSocket listener on a second port when <paramref name="webSockets"/> is true.</summary>
        public static async Task<MosquittoServer> StartAsync(bool webSockets)
        {
            var dir = Path.Combine(Path.GetTempPath(), "irrigation-tests", "mosquitto-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            var server = new MosquittoServer(dir, ServerBinaries.FreePort(), webSockets ? ServerBinaries.FreePort() : 0);
            await server.StartAgainAsync();
            return server;
        }

        /// <summary>Starts the broker (again) on the same port.</summary>
        public async Task StartAgainAsync()
        {
            var binary = ServerBinaries.Find("mosquitto", "/usr/sbin/mosquitto", "/usr/bin/mosquitto");
            _process?.Dispose();
            _process = await ServerBinaries.StartListeningAsync(binary, $"-c {_config}", WebSocketPort != 0 ? WebSocketPort : Port);
        }

        /// <summary>Kills the broker: every connection drops, every retained message is gone.</summary>
        public async Task StopAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        /// <summary>Freezes the broker (SIGSTOP): connections stay open and nothing answers.</summary>
        public Task FreezeAsync() => SignalAsync("-STOP");

        /// <summary>Lets a frozen broker run again (SIGCONT).</summary>
        public Task ThawAsync() => SignalAsync("-CONT");

        private Task SignalAsync(string signal) =>
            ServerBinaries.RunAsync("/bin/kill", TimeSpan.FromSeconds(10), signal, _process.Id.ToString());

        /// <summary>Kills the broker and deletes its folder.</summary>
        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                await ThawAsync();
            }

            await StopAsync();
            _process.Dispose();
            try
            {
                Directory.Delete(_dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
