using System.Net.WebSockets;

namespace Irrigation.Server.Tests.Support;

/// <summary>
/// A WebSocket whose sends the test controls: each send completes at once unless the test asked to hold the next
/// one, which then stays pending until <see cref="ReleaseHeld"/>. Records every frame and the close.
/// </summary>
public sealed class ScriptedWebSocket : WebSocket
{
    private readonly object _lock = new();
    private readonly List<string> _sent = [];
    private TaskCompletionSource? _held;
    private bool _holdNext;
    private int _inFlight;
    private WebSocketState _state = WebSocketState.Open;

    /// <summary>Frames sent so far (text), and "close" once the close frame went out.</summary>
    public IReadOnlyList<string> Sent
    {
        get
        {
            lock (_lock)
            {
                return [.. _sent];
            }
        }
    }

    /// <summary>True if two sends were ever in flight at once (a WebSocket allows one).</summary>
    public bool Overlapped { get; private set; }

    /// <summary>The next send stays pending until <see cref="ReleaseHeld"/>.</summary>
    public void HoldNextSend()
    {
        lock (_lock)
        {
            _holdNext = true;
        }
    }

    /// <summary>Completes the held send.</summary>
    public void ReleaseHeld()
    {
        TaskCompletionSource? held;
        lock (_lock)
        {
            held = _held;
            _held = null;
        }

        held?.SetResult();
    }

    /// <inheritdoc />
    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            Overlapped |= ++_inFlight > 1;
            _sent.Add(System.Text.Encoding.UTF8.GetString(buffer.Span));
            if (!_holdNext)
            {
                _inFlight--;
                return ValueTask.CompletedTask;
            }

            _holdNext = false;
            _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var held = _held.Task;
            return new ValueTask(held.ContinueWith(_ =>
            {
                lock (_lock)
                {
                    _inFlight--;
                }
            }, TaskScheduler.Default));
        }
    }

    /// <inheritdoc />
    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _sent.Add("close");
            _state = WebSocketState.CloseSent;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override WebSocketCloseStatus? CloseStatus => null;

    /// <inheritdoc />
    public override string? CloseStatusDescription => null;

    /// <inheritdoc />
    public override WebSocketState State => _state;

    /// <inheritdoc />
    public override string? SubProtocol => null;

    /// <inheritdoc />
    public override void Abort() => _state = WebSocketState.Aborted;

    /// <inheritdoc />
    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    /// <inheritdoc />
    public override Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken) =>
        throw new NotSupportedException("sends only");

    /// <inheritdoc />
    public override void Dispose() => _state = WebSocketState.Closed;
}
