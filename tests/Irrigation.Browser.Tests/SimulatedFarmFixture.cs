using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// The real server started as the README's demo is (`--simulate 2`), with weather and soil sped up and frequent
    /// simulated link drops, plus a dashboard WebSocket that records every frame from the start. The tests see the
    /// farm only through public interfaces: the printed link, REST, the dashboard socket and Chromium.
    /// </summary>
    public sealed partial class SimulatedFarmFixture : IAsyncLifetime
    {
        private readonly ConcurrentQueue<JsonObject> _frames = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly ClientWebSocket _dashboard = new();
        private Task _receiving = Task.CompletedTask;

        public ServerProcess Server { get; } = ServerProcess.Create();

        /// <summary>The demo user's token from the printed "Dashboard:" line.</summary>
        public string DemoToken { get; private set; } = "";

        /// <summary>The printed dashboard link.</summary>
        public Uri DashboardLink { get; private set; } = new("http://127.0.0.1");

        /// <summary>Every frame the dashboard socket received so far, in order.</summary>
        public IReadOnlyList<JsonObject> Frames => [.. _frames];

        public async Task InitializeAsync()
        {
            await Server.StartAsync(0,
                "--simulate", "2",
                "--Simulation:TimeScale", "600",
                "--Simulation:ClimateIntervalSeconds", "2",
                "--Simulation:SoilRuleMinIntervalSeconds", "3",
                "--Simulation:LinkDropChancePerMinute", "6",
                "--Simulation:SensorDropoutChance", "0",
                "--Simulation:WaterFaultChancePerHour", "0",
                "--Simulation:Seed", "20261201");

            var line = await WaitForOutputAsync(l => l.StartsWith("Dashboard: ", StringComparison.Ordinal), TimeSpan.FromSeconds(30));
            DashboardLink = new Uri(line["Dashboard: ".Length..].Trim());
            DemoToken = Uri.UnescapeDataString(TokenInQuery().Match(DashboardLink.Query).Groups[1].Value);

            var socket = new UriBuilder(Server.BaseUri) { Scheme = "ws", Path = "/clients/demo", Query = "access_token=" + Uri.EscapeDataString(DemoToken) }.Uri;
            await _dashboard.ConnectAsync(socket, CancellationToken.None);
            _receiving = ReceiveAsync();
        }

        /// <summary>Waits until the server printed a line that matches.</summary>
        public async Task<string> WaitForOutputAsync(Func<string, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var found = Server.OutputLines.FirstOrDefault(match);
                if (found != null)
                {
                    return found;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException("the server never printed the expected line:\n" + Server.Output);
        }

        public async Task DisposeAsync()
        {
            _stop.Cancel();
            _dashboard.Abort();
            try
            {
                await _receiving;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }

            _dashboard.Dispose();
            await Server.DisposeAsync();
        }

        private async Task ReceiveAsync()
        {
            var buffer = new byte[64 * 1024];
            while (!_stop.IsCancellationRequested)
            {
                int length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _dashboard.ReceiveAsync(new ArraySegment<byte>(buffer, length, buffer.Length - length), _stop.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, length)) is JsonObject frame)
                {
                    _frames.Enqueue(frame);
                }
            }
        }

        [GeneratedRegex(@"[?&]token=([^&]+)")]
        private static partial Regex TokenInQuery();
    }
}
