using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Irrigation.Tests.Support
{
    /// <summary>
    /// A real ClientWebSocket with a background reader. By default it records every frame as JSON, and
    /// <see cref="WaitForAsync"/> finds the first frame (in the whole history) that matches, waiting for it when
    /// needed; every wait has a generous upper bound so a server bug fails the test instead of hanging it.
    /// For load (the benchmarks), <see cref="StartReading"/> with keepFrames false hands each frame's bytes to an
    /// observer and keeps nothing: no JSON document, no history, a 1 KiB buffer that grows only for a longer frame.
    /// </summary>
    public sealed class TestSocket : IAsyncDisposable
    {
        /// <summary>Upper bound of every wait (not a timing assertion).</summary>
        public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

        // A dashboard's snapshot of thousands of devices is the longest frame a test reads.
        private const int LongestFrame = 16 * 1024 * 1024;

        private readonly List<JsonElement> _frames = [];
        private readonly object _lock = new();
        private readonly SemaphoreSlim _sendGate = new(1, 1);
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private Task _pump = Task.CompletedTask;
        private Action<ReadOnlySpan<byte>>? _observer;
        private bool _keepFrames;
        private long _received;

        private TestSocket(ClientWebSocket socket) => Socket = socket;

        /// <summary>The client socket.</summary>
        public ClientWebSocket Socket { get; }

        /// <summary>Close status the server sent, once closed.</summary>
        public WebSocketCloseStatus? CloseStatus { get; private set; }

        /// <summary>Close reason the server sent.</summary>
        public string? CloseDescription { get; private set; }

        /// <summary>Frames received so far (kept or not).</summary>
        public long FramesReceived => Interlocked.Read(ref _received);

        /// <summary>Frames received so far (empty when the socket keeps no frames).</summary>
        public IReadOnlyList<JsonElement> Frames
        {
            get
            {
                lock (_lock)
                {
                    return [.. _frames];
                }
            }
        }

        /// <summary>
        /// Connects; with <paramref name="read"/> true the reader starts and keeps every frame; with false nothing is
        /// read until <see cref="StartReading"/> (or ever: a stuck peer). <paramref name="invoker"/> connects through a
        /// handler of the caller's, e.g. one from <see cref="BoundTo"/>.
        /// </summary>
        public static async Task<TestSocket> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null, bool read = true,
            HttpMessageInvoker? invoker = null)
        {
            var socket = new ClientWebSocket();
            configure?.Invoke(socket.Options);
            using var timeout = new CancellationTokenSource(Patience);
            try
            {
                if (invoker is null)
                {
                    await socket.ConnectAsync(uri, timeout.Token);
                }
                else
                {
                    await socket.ConnectAsync(uri, invoker, timeout.Token);
                }
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var test = new TestSocket(socket);
            if (read)
            {
                test.StartReading(null, keepFrames: true);
            }

            return test;
        }

        /// <summary>
        /// Starts the background reader (once): each frame goes to <paramref name="observer"/> first, then, with
        /// <paramref name="keepFrames"/>, into <see cref="Frames"/>.
        /// </summary>
        public void StartReading(Action<ReadOnlySpan<byte>>? observer, bool keepFrames)
        {
            if (!_pump.IsCompleted || _closed.Task.IsCompleted)
            {
                throw new InvalidOperationException("the reader already runs");
            }

            _observer = observer;
            _keepFrames = keepFrames;
            _pump = Task.Run(PumpAsync);
        }

        /// <summary>Sets the observer of a socket that already reads (frames before this call are not observed).</summary>
        public void Observe(Action<ReadOnlySpan<byte>> observer) => Volatile.Write(ref _observer, observer);

        /// <summary>
        /// A handler whose connections leave from <paramref name="source"/> (127.0.0.2, 127.0.0.3…): one source
        /// address has about 28,000 ephemeral ports towards one server port.
        /// </summary>
        public static HttpMessageInvoker BoundTo(IPAddress source) => new(new SocketsHttpHandler
        {
            ConnectCallback = async (context, ct) =>
            {
                var socket = new System.Net.Sockets.Socket(source.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        });

        /// <summary>Sends a text frame.</summary>
        public Task SendAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

        /// <summary>Sends raw bytes as one frame of the given type.</summary>
        public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
        {
            using var timeout = new CancellationTokenSource(Patience);
            await _sendGate.WaitAsync(timeout.Token);
            try
            {
                await Socket.SendAsync(bytes, type, true, timeout.Token);
            }
            finally
            {
                _sendGate.Release();
            }
        }

        /// <summary>
        /// Sends UTF-8 text as one frame without a timer of its own (the load path: the caller bounds its run);
        /// completes synchronously when the socket takes the bytes at once.
        /// </summary>
        public async ValueTask SendUtf8Async(ReadOnlyMemory<byte> utf8)
        {
            await _sendGate.WaitAsync();
            try
            {
                await Socket.SendAsync(utf8, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _sendGate.Release();
            }
        }

        /// <summary>The first frame matching <paramref name="match"/>.</summary>
        public Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what) => WaitForAsync(match, what, Patience);

        /// <summary>The same with another upper bound (for a wait that is long by design).</summary>
        public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what, TimeSpan patience)
        {
            if (!_keepFrames && !_pump.IsCompleted)
            {
                throw new InvalidOperationException("this socket keeps no frames: observe them instead");
            }

            var deadline = DateTime.UtcNow + patience;
            while (true)
            {
                Task changed;
                lock (_lock)
                {
                    if (Find(match) is JsonElement found)
                    {
                        return found;
                    }

                    changed = _changed.Task;
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw new TimeoutException($"no {what} within {patience.TotalSeconds} s; got: {Describe()}");
                }

                if (await Task.WhenAny(changed, _closed.Task, Task.Delay(left)) == _closed.Task)
                {
                    lock (_lock)
                    {
                        if (Find(match) is JsonElement found)
                        {
                            return found;
                        }
                    }

                    throw new InvalidOperationException($"closed ({CloseStatus} {CloseDescription}) before {what}; got: {Describe()}");
                }
            }
        }

        /// <summary>The first frame with this event name.</summary>
        public Task<JsonElement> WaitForEventAsync(string name) => WaitForAsync(f => Event(f) == name, $"'{name}' frame");

        /// <summary>Waits until the server closed the connection (or it failed); returns the close status.</summary>
        public async Task<WebSocketCloseStatus?> WaitClosedAsync()
        {
            if (await Task.WhenAny(_closed.Task, Task.Delay(Patience)) != _closed.Task)
            {
                throw new TimeoutException($"not closed within {Patience.TotalSeconds} s; got: {Describe()}");
            }

            return CloseStatus;
        }

        /// <summary>True once the connection ended.</summary>
        public bool IsClosed => _closed.Task.IsCompleted;

        /// <summary>Completes when the connection ended (closed or aborted).</summary>
        public Task Closed => _closed.Task;

        /// <summary>How many frames match.</summary>
        public int Count(Func<JsonElement, bool> match)
        {
            lock (_lock)
            {
                return _frames.Count(match);
            }
        }

        /// <summary>The "event" of a frame.</summary>
        public static string? Event(JsonElement frame) =>
            frame.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

        /// <summary>Closes cleanly if still open, and waits (boundedly) for the server's close frame.</summary>
        public async Task CloseAsync()
        {
            try
            {
                if (Socket.State == WebSocketState.Open)
                {
                    await CloseOutputAsync("test done");
                }

                await Task.WhenAny(_pump, Task.Delay(Patience));
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        /// <summary>Drops the connection without a close handshake (the server sees the peer vanish).</summary>
        public async ValueTask DisposeAsync()
        {
            if (Socket.State != WebSocketState.Closed)
            {
                Socket.Abort();
            }

            await Task.WhenAny(_pump, Task.Delay(Patience));
            Socket.Dispose();
        }

        private JsonElement? Find(Func<JsonElement, bool> match)
        {
            foreach (var frame in _frames)
            {
                if (match(frame))
                {
                    return frame;
                }
            }

            return null;
        }

        private string Describe()
        {
            var frames = Frames;
            var text = string.Join(" | ", frames.TakeLast(8).Select(f => f.GetRawText()));
            return $"{frames.Count} frames: {(text.Length > 1500 ? text[..1500] : text)}";
        }

        private async Task PumpAsync()
        {
            var buffer = new byte[1024];
            var length = 0;
            try
            {
                while (true)
                {
                    if (length == buffer.Length)
                    {
                        if (buffer.Length >= LongestFrame)
                        {
                            throw new InvalidOperationException($"a frame longer than {LongestFrame} bytes");
                        }

                        Array.Resize(ref buffer, buffer.Length * 2);
                    }

                    var result = await Socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        CloseStatus = Socket.CloseStatus;
                        CloseDescription = Socket.CloseStatusDescription;
                        await AnswerCloseAsync();
                        return;
                    }

                    length += result.Count;
                    if (result.EndOfMessage)
                    {
                        Deliver(buffer.AsSpan(0, length));
                        length = 0;
                    }
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Aborted: CloseStatus stays null.
            }
            finally
            {
                _closed.TrySetResult();
            }
        }

        private void Deliver(ReadOnlySpan<byte> frame)
        {
            Interlocked.Increment(ref _received);
            Volatile.Read(ref _observer)?.Invoke(frame);
            if (!_keepFrames)
            {
                return;
            }

            JsonElement parsed;
            using (var document = JsonDocument.Parse(frame.ToArray()))
            {
                parsed = document.RootElement.Clone();
            }

            lock (_lock)
            {
                _frames.Add(parsed);
                var changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                changed.TrySetResult();
            }
        }

        private async Task AnswerCloseAsync()
        {
            if (Socket.State == WebSocketState.CloseReceived)
            {
                await CloseOutputAsync("");
            }
        }

        // A close frame is a send: it waits for the frame being sent, if any.
        private async Task CloseOutputAsync(string reason)
        {
            using var timeout = new CancellationTokenSource(Patience);
            await _sendGate.WaitAsync(timeout.Token);
            try
            {
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, reason, timeout.Token);
            }
            finally
            {
                _sendGate.Release();
            }
        }
    }
}
