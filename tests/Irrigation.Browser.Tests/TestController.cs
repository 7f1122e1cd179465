using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// A stand-in for an ESP32 controller: a real ClientWebSocket on ws://HOST/ that says hello, sends events with
    /// seq 1, 2, 3... and records the commands the server sends (the test answers them).
    /// </summary>
    public sealed class TestController : IAsyncDisposable
    {
        private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);
        private readonly ClientWebSocket _socket = new();
        private readonly Channel<JsonObject> _commands = Channel.CreateBounded<JsonObject>(100);
        private readonly SemaphoreSlim _sendGate = new(1, 1);
        private readonly CancellationTokenSource _stop = new();
        private Task _receiveLoop = Task.CompletedTask;
        private long _seq;

        private TestController(string device)
        {
            Device = device;
        }

        /// <summary>The device id it said hello as.</summary>
        public string Device { get; }

        /// <summary>The server time from welcome (Unix seconds).</summary>
        public long ServerTime { get; private set; }

        /// <summary>Connects, says hello, and waits for welcome.</summary>
        public static async Task<TestController> ConnectAsync(Uri server, string device, string token, params string[] zones)
        {
            var c = new TestController(device);
            var ws = new UriBuilder(server) { Scheme = "ws", Path = "/" }.Uri;
            using var timeout = new CancellationTokenSource(Wait);
            await c._socket.ConnectAsync(ws, timeout.Token);
            var boot = Random.Shared.NextInt64(1, uint.MaxValue);
            await c.SendRawAsync(new JsonObject
            {
                ["event"] = "hello",
                ["data"] = new JsonObject
                {
                    ["device"] = device,
                    ["token"] = token,
                    ["firmware"] = "1.0.0-test",
                    ["protocol"] = 1,
                    ["boot"] = boot,
                    ["zones"] = new JsonArray(zones.Select(z => (JsonNode)z).ToArray()),
                    ["sensors"] = new JsonArray("temperature", "humidity", "soil_moisture"),
                },
            });
            var welcome = await c.ReceiveAsync(timeout.Token)
                ?? throw new InvalidOperationException($"{device}: the server closed instead of welcome ({c._socket.CloseStatus} {c._socket.CloseStatusDescription})");
            if ((string?)welcome["event"] != "welcome") throw new InvalidOperationException($"{device}: expected welcome, got {welcome.ToJsonString()}");
            c.ServerTime = (long)welcome["data"]!["time"]!;
            c._receiveLoop = Task.Run(c.ReceiveLoopAsync);
            return c;
        }

        /// <summary>Sends one event with the next seq; data gets "time" when it has none.</summary>
        public Task SendAsync(string name, JsonObject data, long? time = null)
        {
            if (!data.ContainsKey("time")) data["time"] = time ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            return SendRawAsync(new JsonObject { ["event"] = name, ["seq"] = Interlocked.Increment(ref _seq), ["data"] = data });
        }

        /// <summary>A reading in tenths, e.g. ("temperature", 223) = 22.3 °C.</summary>
        public Task SendReadingAsync(string kind, int record, long? time = null) =>
            SendAsync(kind, kind == "soil_moisture" ? new JsonObject { ["record"] = record, ["raw"] = 2000 } : new JsonObject { ["record"] = record }, time);

        /// <summary>The next command of this name (irrigate, stop) the server sent.</summary>
        public async Task<JsonObject> NextCommandAsync(string name)
        {
            using var timeout = new CancellationTokenSource(Wait);
            while (true)
            {
                JsonObject cmd;
                try
                {
                    cmd = await _commands.Reader.ReadAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"{Device}: no '{name}' command within {Wait.TotalSeconds} s");
                }

                if ((string?)cmd["event"] == name) return cmd;
            }
        }

        /// <summary>What a real controller does after a command: command_result, then started/stopped.</summary>
        public async Task AnswerAsync(JsonObject command, bool ok = true, string? error = null)
        {
            var data = command["data"]!.AsObject();
            var result = new JsonObject { ["id"] = (string?)data["id"], ["ok"] = ok };
            if (error is not null) result["error"] = error;
            await SendAsync("command_result", result);
            if (!ok) return;
            var zones = data["zones"]!.DeepClone();
            if ((string?)command["event"] == "irrigate")
            {
                await SendAsync("irrigation_started", new JsonObject { ["zones"] = zones, ["reason"] = "manual", ["duration"] = (int)data["duration"]! });
            }
            else
            {
                await SendAsync("irrigation_stopped", new JsonObject { ["zones"] = zones, ["reason"] = "manual" });
            }
        }

        /// <summary>Closes the WebSocket cleanly (the server must then report the device offline).</summary>
        public async Task DisconnectAsync()
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(Wait);
                try
                {
                    await _sendGate.WaitAsync(timeout.Token);
                    try
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
                    }
                    finally
                    {
                        _sendGate.Release();
                    }
                }
                catch (WebSocketException)
                {
                }
            }

            // Let the server answer the Close frame first; cancelling aborts the socket, which would be a crash, not a goodbye.
            try
            {
                await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or TimeoutException)
            {
            }

            await _stop.CancelAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await DisconnectAsync();
            _socket.Dispose();
            _stop.Dispose();
        }

        private async Task ReceiveLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var msg = await ReceiveAsync(_stop.Token);
                if (msg is null) return;
                var name = (string?)msg["event"];
                if (name is "irrigate" or "stop") await _commands.Writer.WriteAsync(msg, _stop.Token);
            }
        }

        private async Task<JsonObject?> ReceiveAsync(CancellationToken ct)
        {
            var buffer = new byte[16 * 1024];
            using var text = new MemoryStream();
            while (true)
            {
                var r = await _socket.ReceiveAsync(buffer, ct);
                if (r.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }

                    return null;
                }

                text.Write(buffer, 0, r.Count);
                if (r.EndOfMessage) return JsonNode.Parse(text.ToArray())!.AsObject();
            }
        }

        private async Task SendRawAsync(JsonObject frame)
        {
            var bytes = Encoding.UTF8.GetBytes(frame.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
            await _sendGate.WaitAsync();
            try
            {
                await _socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _sendGate.Release();
            }
        }
    }
}
