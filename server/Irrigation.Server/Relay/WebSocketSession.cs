using System.Net.WebSockets;

namespace Irrigation.Server.Relay;

/// <summary>
/// One WebSocket and its single writer loop (a WebSocket allows one send in flight). Subclasses own the bounded
/// queue: they call <see cref="Signal"/> after enqueueing and hand frames out in <see cref="TryDequeue"/>. A send
/// that does not complete within the stuck timeout is aborted by the <see cref="SendWatchdog"/>. A close is requested
/// from anywhere (policy, replacement, shutdown); the writer sends the close frame after the frames already queued,
/// and the socket is aborted if the peer does not finish the close handshake in time.
/// </summary>
public abstract class WebSocketSession(WebSocket socket, SendWatchdog watchdog)
{
    /// <summary>How long a peer has to answer our close frame before the socket is aborted.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(1);

    // Holds at most one wake-up: the writer drains everything queued each time it wakes.
    private readonly SemaphoreSlim _wake = new(0, 1);

    // 1 from a wake-up until the writer starts its drain: frames queued meanwhile need no wake-up of their own. Without
    // it every frame released the full semaphore and caught a SemaphoreFullException: 110,000 exceptions a second
    // at 100 saturating controllers (docs/benchmarks.md, "Send path: one wake-up per drain").
    private int _wakePending;
    private long _sendStartedAt;
    private int _sendTimedOut;
    private int _closeRequested;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";

    /// <summary>The socket.</summary>
    public WebSocket Socket { get; } = socket;

    /// <summary>True once a close was requested.</summary>
    public bool IsClosing => Volatile.Read(ref _closeRequested) != 0;

    /// <summary>True when the socket was aborted because a send did not complete in time.</summary>
    public bool SendTimedOut => Volatile.Read(ref _sendTimedOut) != 0;

    /// <summary>When the send in flight started (watchdog timestamp), or 0 when none is pending.</summary>
    public long SendStartedAt => Volatile.Read(ref _sendStartedAt);

    /// <summary>Called by the watchdog: the pending send took too long, so the peer is not reading.</summary>
    public void AbortStuckSend()
    {
        if (!IsClosing)
        {
            Volatile.Write(ref _sendTimedOut, 1);
        }

        Socket.Abort();
    }

    /// <summary>Wakes the writer loop (cheap when it is already awake).</summary>
    protected void Signal()
    {
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>The next frame to send, if any.</summary>
    protected abstract bool TryDequeue(out ReadOnlyMemory<byte> frame);

    /// <summary>Called after each frame went out.</summary>
    protected virtual void OnSent()
    {
    }

    /// <summary>Called once when a close is requested (drop queued frames that should not go out).</summary>
    protected virtual void OnCloseRequested()
    {
    }

    /// <summary>
    /// Asks the writer to send a close frame after what is queued (first request wins). The socket is aborted if
    /// the handshake has not finished after <see cref="CloseGrace"/> plus the send timeout.
    /// </summary>
    public void RequestClose(WebSocketCloseStatus status, string reason)
    {
        if (Interlocked.Exchange(ref _closeRequested, 1) != 0)
        {
            return;
        }

        _closeStatus = status;
        _closeReason = reason;
        OnCloseRequested();
        Signal();
        _ = AbortLaterAsync(CloseGrace + (status == WebSocketCloseStatus.EndpointUnavailable ? TimeSpan.Zero : watchdog.Timeout));
    }

    /// <summary>The writer loop: sends queued frames until a close is requested, then the close frame.</summary>
    public async Task RunWriterAsync()
    {
        watchdog.Add(this);
        try
        {
            while (true)
            {
                await _wake.WaitAsync();
                // Before the drain: a frame queued after this point wakes the writer again.
                Interlocked.Exchange(ref _wakePending, 0);
                while (TryDequeue(out var frame))
                {
                    await SendAsync(frame);
                }

                if (IsClosing)
                {
                    break;
                }
            }

            if (Socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseGrace);
                await Socket.CloseOutputAsync(_closeStatus, _closeReason, timeout.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            Socket.Abort();
        }
        catch (ObjectDisposedException)
        {
            // The request ended under us.
        }
        finally
        {
            watchdog.Remove(this);
        }
    }

    // No cancellation token: the watchdog aborts a send that hangs, so a send needs no timer of its own.
    private async ValueTask SendAsync(ReadOnlyMemory<byte> frame)
    {
        var send = Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        if (!send.IsCompleted)
        {
            Volatile.Write(ref _sendStartedAt, watchdog.Timestamp());
            try
            {
                await send;
            }
            finally
            {
                Volatile.Write(ref _sendStartedAt, 0);
            }
        }
        else
        {
            send.GetAwaiter().GetResult();
        }

        OnSent();
    }

    /// <summary>
    /// Reads one whole message into <paramref name="buffer"/> (at least <paramref name="maxBytes"/> + 1 long). A
    /// longer message is read to its end and discarded, so memory stays bounded; <c>Oversize</c> is then true.
    /// </summary>
    public static async ValueTask<(WebSocketMessageType Type, int Length, bool Oversize)> ReceiveMessageAsync(
        WebSocket socket, byte[] buffer, int maxBytes, CancellationToken ct)
    {
        var length = 0;
        var oversize = false;
        while (true)
        {
            // While not oversize, length <= maxBytes < buffer.Length: there is always room for one more byte.
            var space = oversize ? buffer.AsMemory() : buffer.AsMemory(length);
            var result = await socket.ReceiveAsync(space, ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0, false);
            }

            if (!oversize)
            {
                length += result.Count;
                oversize = length > maxBytes;
            }

            if (result.EndOfMessage)
            {
                return (result.MessageType, oversize ? 0 : length, oversize);
            }
        }
    }

    private async Task AbortLaterAsync(TimeSpan delay)
    {
        await Task.Delay(delay);
        if (Socket.State != WebSocketState.Closed)
        {
            Socket.Abort();
        }
    }
}
