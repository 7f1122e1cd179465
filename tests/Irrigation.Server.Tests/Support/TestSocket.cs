using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Irrigation.Server.Tests.Support;

/// <summary>
/// A real ClientWebSocket with a background reader that records every frame. WaitForAsync finds the first frame
/// (in the whole history) that matches, waiting for it when needed; every wait has a generous upper bound so a
/// server bug fails the test instead of hanging it.
/// </summary>
public sealed class TestSocket : IAsyncDisposable
{
    /// <summary>Upper bound of every wait (not a timing assertion).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly List<JsonElement> _frames = [];
    private readonly object _lock = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _pump = Task.CompletedTask;

    private TestSocket(ClientWebSocket socket) => Socket = socket;

    /// <summary>The client socket.</summary>
    public ClientWebSocket Socket { get; }

    /// <summary>Close status the server sent, once closed.</summary>
    public WebSocketCloseStatus? CloseStatus { get; private set; }

    /// <summary>Close reason the server sent.</summary>
    public string? CloseDescription { get; private set; }

    /// <summary>Frames received so far.</summary>
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

    /// <summary>Connects; with <paramref name="read"/> false nothing is ever read (a stuck peer).</summary>
    public static async Task<TestSocket> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null, bool read = true,
        HttpMessageInvoker? invoker = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        using var timeout = new CancellationTokenSource(Patience);
        if (invoker is null)
        {
            await socket.ConnectAsync(uri, timeout.Token);
        }
        else
        {
            await socket.ConnectAsync(uri, invoker, timeout.Token);
        }

        var test = new TestSocket(socket);
        if (read)
        {
            test._pump = Task.Run(test.PumpAsync);
        }

        return test;
    }

    /// <summary>Sends a text frame.</summary>
    public Task SendAsync(string text) => SendBytesAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    /// <summary>Sends raw bytes as one frame of the given type.</summary>
    public async Task SendBytesAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(Patience);
        await Socket.SendAsync(bytes, type, true, timeout.Token);
    }

    /// <summary>The first frame matching <paramref name="match"/>.</summary>
    public Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what) => WaitForAsync(match, what, Patience);

    /// <summary>The same with another upper bound (for a wait that is long by design).</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, string what, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                foreach (var frame in _frames)
                {
                    if (match(frame))
                    {
                        return frame;
                    }
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
                    foreach (var frame in _frames)
                    {
                        if (match(frame))
                        {
                            return frame;
                        }
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

    /// <summary>Closes cleanly if still open.</summary>
    public async Task CloseAsync()
    {
        try
        {
            if (Socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(Patience);
                await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }

            await Task.WhenAny(_pump, Task.Delay(Patience));
        }
        catch (WebSocketException)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            Socket.Abort();
        }

        await Task.WhenAny(_pump, Task.Delay(Patience));
        Socket.Dispose();
    }

    private string Describe()
    {
        var frames = Frames;
        var text = string.Join(" | ", frames.TakeLast(8).Select(f => f.GetRawText()));
        return $"{frames.Count} frames: {(text.Length > 1500 ? text[..1500] : text)}";
    }

    private async Task PumpAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = Socket.CloseStatus;
                    CloseDescription = Socket.CloseStatusDescription;
                    if (Socket.State == WebSocketState.CloseReceived)
                    {
                        using var timeout = new CancellationTokenSource(Patience);
                        await Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", timeout.Token);
                    }

                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                JsonElement frame;
                using (var document = JsonDocument.Parse(message.ToArray()))
                {
                    frame = document.RootElement.Clone();
                }

                message.SetLength(0);
                lock (_lock)
                {
                    _frames.Add(frame);
                    var changed = _changed;
                    _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    changed.TrySetResult();
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
}
