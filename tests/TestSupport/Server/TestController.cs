using System;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace Irrigation.Tests.Support
{
    /// <summary>
    /// A fake ESP32 controller over a real WebSocket (<see cref="TestSocket"/>): hello, welcome, events numbered
    /// seq 1, 2, 3…, cumulative acks, and the commands the server sends (the test answers them). The server tests,
    /// the browser tests and the load benchmarks all use this one: tests keep every frame as JSON; a load client
    /// keeps none and learns of acks through <see cref="TestControllerOptions.OnAck"/>.
    /// </summary>
    public sealed class TestController : IAsyncDisposable
    {
        private readonly Channel<JsonObject> _commands = Channel.CreateBounded<JsonObject>(
            new BoundedChannelOptions(100) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        private readonly TaskCompletionSource<JsonElement> _welcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<string> _errors = [];
        private readonly Action<long>? _onAck;
        private long _seq;
        private long _highestAck;

        /// <summary>Wraps a connected socket (which may already read); the test sends hello itself.</summary>
        public TestController(TestSocket socket, string device, long boot)
            : this(socket, device, boot, null)
        {
            socket.Observe(OnFrame);
        }

        private TestController(TestSocket socket, string device, long boot, Action<long>? onAck)
        {
            Socket = socket;
            Device = device;
            Boot = boot;
            _onAck = onAck;
        }

        /// <summary>The socket.</summary>
        public TestSocket Socket { get; }

        /// <summary>Device id.</summary>
        public string Device { get; }

        /// <summary>Boot id.</summary>
        public long Boot { get; }

        /// <summary>The welcome frame.</summary>
        public JsonElement Welcome { get; set; }

        /// <summary>The server time from welcome (Unix seconds).</summary>
        public long ServerTime => Welcome.GetProperty("data").GetProperty("time").GetInt64();

        /// <summary>The seq of the last event sent (the next one gets this + 1).</summary>
        public long LastSeq => Interlocked.Read(ref _seq);

        /// <summary>Highest ack value received.</summary>
        public long HighestAck => Interlocked.Read(ref _highestAck);

        /// <summary>Error codes received, in order.</summary>
        public IReadOnlyList<string> ErrorCodes
        {
            get
            {
                lock (_errors)
                {
                    return [.. _errors];
                }
            }
        }

        /// <summary>Connects to ws://HOST/ of <paramref name="server"/>, says hello with these zones and waits for welcome.</summary>
        public static Task<TestController> ConnectAsync(Uri server, string device, string token, params string[] zones) =>
            ConnectAsync(server, device, token, new TestControllerOptions { Zones = zones });

        /// <summary>Connects to ws://HOST/ of <paramref name="server"/>, says hello and waits for welcome.</summary>
        public static async Task<TestController> ConnectAsync(Uri server, string device, string token, TestControllerOptions options)
        {
            var uri = new UriBuilder(server) { Scheme = server.Scheme is "https" or "wss" ? "wss" : "ws", Path = "/", Query = "" }.Uri;
            var socket = await TestSocket.ConnectAsync(uri, options.Configure, read: false, options.Invoker);
            var boot = options.Boot != 0 ? options.Boot : Random.Shared.NextInt64(1, uint.MaxValue);
            var controller = new TestController(socket, device, boot, options.OnAck);
            socket.StartReading(controller.OnFrame, options.KeepFrames);
            try
            {
                await socket.SendAsync(Hello(device, token, boot, options.Zones));
                var first = await Task.WhenAny(controller._welcome.Task, socket.Closed, Task.Delay(TestSocket.Patience));
                if (first != controller._welcome.Task)
                {
                    throw new InvalidOperationException(
                        $"{device}: no welcome ({(socket.IsClosed ? $"closed: {socket.CloseStatus} {socket.CloseDescription}" : "timeout")}; errors: {string.Join(", ", controller.ErrorCodes)})");
                }

                controller.Welcome = await controller._welcome.Task;
                return controller;
            }
            catch
            {
                await socket.DisposeAsync();
                throw;
            }
        }

        /// <summary>Sets the next seq to use.</summary>
        public void SetNextSeq(long next) => Interlocked.Exchange(ref _seq, next - 1);

        /// <summary>Hello frame JSON.</summary>
        public static string Hello(string device, string token, long boot, params string[] zones) =>
            JsonSerializer.Serialize(new
            {
                @event = "hello",
                data = new { device, token, firmware = "test", protocol = 1, boot, zones, sensors = new[] { "temperature", "humidity", "soil_moisture" } },
            });

        /// <summary>Sends an event with the next seq; returns the seq.</summary>
        public async Task<long> SendAsync(string eventName, string dataJson)
        {
            var seq = Interlocked.Increment(ref _seq);
            await SendWithSeqAsync(seq, eventName, dataJson);
            return seq;
        }

        /// <summary>Sends an event with the next seq; data gets "time" (now, or <paramref name="time"/>) when it has none.</summary>
        public Task<long> SendAsync(string eventName, JsonObject data, long? time = null)
        {
            if (!data.ContainsKey("time"))
            {
                data["time"] = time ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            }

            return SendAsync(eventName, data.ToJsonString());
        }

        /// <summary>Sends an event with an explicit seq.</summary>
        public Task SendWithSeqAsync(long seq, string eventName, string dataJson) =>
            Socket.SendAsync($"{{\"event\":\"{eventName}\",\"seq\":{seq},\"data\":{dataJson}}}");

        /// <summary>Sends a temperature reading with the next seq; returns the seq.</summary>
        public async Task<long> TemperatureAsync(long time, int record)
        {
            var seq = Interlocked.Increment(ref _seq);
            await Socket.SendUtf8Async(TemperatureFrame(seq, time, record));
            return seq;
        }

        /// <summary>
        /// {"event":"temperature","seq":S,"data":{"time":T,"record":R}} as UTF-8, written byte by byte (no string, no
        /// JSON writer): the load benchmarks send a hundred thousand of these a second, over MQTT too.
        /// </summary>
        public static ReadOnlyMemory<byte> TemperatureFrame(long seq, long time, int record)
        {
            var frame = new byte[96];
            var n = Append(frame, 0, "{\"event\":\"temperature\",\"seq\":"u8);
            n = Append(frame, n, seq);
            n = Append(frame, n, ",\"data\":{\"time\":"u8);
            n = Append(frame, n, time);
            n = Append(frame, n, ",\"record\":"u8);
            n = Append(frame, n, record);
            n = Append(frame, n, "}}"u8);
            return frame.AsMemory(0, n);
        }

        /// <summary>A reading in tenths, e.g. ("temperature", 223) = 22.3 °C.</summary>
        public Task<long> SendReadingAsync(string kind, int record, long? time = null) =>
            SendAsync(kind, kind == "soil_moisture" ? new JsonObject { ["record"] = record, ["raw"] = 2000 } : new JsonObject { ["record"] = record }, time);

        /// <summary>Waits for an ack covering <paramref name="seq"/> (needs the frames kept).</summary>
        public Task<JsonElement> WaitAckAsync(long seq) =>
            Socket.WaitForAsync(f => TestSocket.Event(f) == "ack" && f.GetProperty("data").GetProperty("seq").GetInt64() >= seq, $"ack >= {seq}");

        /// <summary>The next command of this name (irrigate, stop) the server sent.</summary>
        public async Task<JsonObject> NextCommandAsync(string name)
        {
            using var timeout = new CancellationTokenSource(TestSocket.Patience);
            while (true)
            {
                JsonObject command;
                try
                {
                    command = await _commands.Reader.ReadAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"{Device}: no '{name}' command within {TestSocket.Patience.TotalSeconds} s");
                }

                if ((string?)command["event"] == name)
                {
                    return command;
                }
            }
        }

        /// <summary>What a real controller does after a command: command_result, then started/stopped.</summary>
        public async Task AnswerAsync(JsonObject command, bool ok = true, string? error = null)
        {
            var data = command["data"]!.AsObject();
            var result = new JsonObject { ["id"] = (string?)data["id"], ["ok"] = ok };
            if (error is not null)
            {
                result["error"] = error;
            }

            await SendAsync("command_result", result);
            if (!ok)
            {
                return;
            }

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

        /// <summary>Closes the WebSocket cleanly (a goodbye: the server then reports the device offline).</summary>
        public Task DisconnectAsync() => Socket.CloseAsync();

        /// <summary>Drops the connection without a close handshake.</summary>
        public ValueTask DisposeAsync() => Socket.DisposeAsync();

        // On the socket's reader: acks, the welcome, errors and commands. Everything else (nothing, today) is ignored.
        private void OnFrame(ReadOnlySpan<byte> frame)
        {
            var name = RawFrames.EventName(frame);
            if (name.SequenceEqual("ack"u8))
            {
                var seq = RawFrames.Seq(frame);
                long seen;
                while (seq > (seen = Interlocked.Read(ref _highestAck)) && Interlocked.CompareExchange(ref _highestAck, seq, seen) != seen)
                {
                }

                _onAck?.Invoke(seq);
            }
            else if (name.SequenceEqual("welcome"u8))
            {
                using var document = JsonDocument.Parse(frame.ToArray());
                _welcome.TrySetResult(document.RootElement.Clone());
            }
            else if (name.SequenceEqual("error"u8))
            {
                var code = Encoding.UTF8.GetString(RawFrames.StringAfter(frame, "\"code\":\""u8));
                lock (_errors)
                {
                    _errors.Add(code);
                }
            }
            else if (name.SequenceEqual("irrigate"u8) || name.SequenceEqual("stop"u8))
            {
                _commands.Writer.TryWrite(JsonNode.Parse(frame)!.AsObject());
            }
        }

        private static int Append(byte[] buffer, int at, ReadOnlySpan<byte> text)
        {
            text.CopyTo(buffer.AsSpan(at));
            return at + text.Length;
        }

        private static int Append(byte[] buffer, int at, long value)
        {
            Utf8Formatter.TryFormat(value, buffer.AsSpan(at), out var written);
            return at + written;
        }
    }
}
