using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Irrigation.Server.Relay;

/// <summary>
/// One WebSocket with its single writer loop (a WebSocket allows one send in flight). Subclasses own the bounded
/// queue; they call <see cref="Signal"/> after enqueueing and hand frames out in <see cref="TryDequeue"/>. A caller
/// that has just queued a frame may instead send the queue itself with <see cref="SendQueuedInline"/> when no send is
/// in progress: there is still one sender at a time (whoever holds the sender flag), only without a thread hop.
/// A send that does not complete within the stuck timeout is aborted by the <see cref="SendWatchdog"/>. Closing is
/// requested from anywhere (policy, replacement, shutdown); the writer sends the close frame after the frames
/// already queued, and the socket is aborted if the peer does not finish the close handshake within the grace.
/// </summary>
public abstract class WebSocketSession
{
    /// <summary>How long a peer has to answer our close frame before the socket is aborted.</summary>
    public static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(1);

    private readonly Channel<bool> _signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });

    // Who may send: nobody, the writer loop or an inline sender, a send an inline sender handed to the writer
    // loop, or nobody ever again (the writer loop ended, after the close frame or a failure).
    private const int Free = 0;
    private const int Sending = 1;
    private const int HandedOff = 2;
    private const int Finished = 3;

    private readonly SendWatchdog _watchdog;
    private int _sender;
    private Task? _handedOff;
    private long _sendStartedAt;
    private int _sendTimedOut;
    private int _closeRequested;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string _closeReason = "";

    private readonly CoalescingStream? _drainBuffer;

    /// <summary>
    /// Wraps an accepted socket. With <paramref name="drainBuffer"/> (the stream under the socket), the frames of
    /// each drain of the queue by the writer loop leave in one write instead of one write each.
    /// </summary>
    protected WebSocketSession(WebSocket socket, SendWatchdog watchdog, CoalescingStream? drainBuffer = null)
    {
        Socket = socket;
        _watchdog = watchdog;
        _drainBuffer = drainBuffer;
    }

    /// <summary>The socket.</summary>
    public WebSocket Socket { get; }

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

    /// <summary>Wakes the writer loop.</summary>
    protected void Signal() => _signal.Writer.TryWrite(true);

    /// <summary>The next frame to send, if any.</summary>
    protected abstract bool TryDequeue(out ReadOnlyMemory<byte> frame);

    /// <summary>True when a frame is queued (checked after giving up the sender flag, so none is left behind).</summary>
    protected abstract bool HasQueued { get; }

    /// <summary>Called after each frame went out.</summary>
    protected virtual void OnSent()
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
        _ = AbortLaterAsync(CloseGrace + (status == WebSocketCloseStatus.EndpointUnavailable ? TimeSpan.Zero : _watchdog.Timeout));
    }

    /// <summary>Called once when a close is requested (drop queued frames that should not go out).</summary>
    protected virtual void OnCloseRequested()
    {
    }

    /// <summary>
    /// Sends what is queued on the calling thread, if no other send is in progress and the socket is not closing;
    /// otherwise wakes the writer loop. A send that does not complete at once (the peer is not reading) is handed to
    /// the writer loop, so the caller never waits for a peer.
    /// </summary>
    public void SendQueuedInline()
    {
        if (IsClosing || Interlocked.CompareExchange(ref _sender, Sending, Free) != Free)
        {
            Signal();
            return;
        }

        try
        {
            while (!IsClosing && TryDequeue(out var frame))
            {
                var send = Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                if (!send.IsCompleted)
                {
                    _handedOff = send.AsTask();
                    Volatile.Write(ref _sender, HandedOff);
                    Signal();
                    return;
                }

                send.GetAwaiter().GetResult();
                OnSent();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            Socket.Abort();
        }

        if (ReleaseSender())
        {
            Signal();
        }
    }

    /// <summary>The writer loop: sends queued frames until a close is requested, then the close frame.</summary>
    public async Task RunWriterAsync()
    {
        _watchdog.Add(this);
        try
        {
            while (true)
            {
                var owned = Interlocked.CompareExchange(ref _sender, Sending, Free) == Free;
                if (!owned && Volatile.Read(ref _sender) == HandedOff)
                {
                    // Only this loop moves a send out of HandedOff, so no CAS is needed here.
                    Volatile.Write(ref _sender, Sending);
                    owned = true;
                    var pending = _handedOff!;
                    _handedOff = null;
                    await AwaitSendAsync(new ValueTask(pending));
                }

                if (owned)
                {
                    _drainBuffer?.Hold();
                    while (TryDequeue(out var frame))
                    {
                        // No cancellation token: the watchdog aborts a send that hangs (see SendWatchdog for why).
                        await AwaitSendAsync(Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None));
                    }

                    if (_drainBuffer is not null)
                    {
                        await AwaitWrittenAsync(_drainBuffer.ReleaseAsync());
                    }

                    if (IsClosing)
                    {
                        break;
                    }

                    if (ReleaseSender())
                    {
                        continue;
                    }
                }

                await _signal.Reader.ReadAsync();
            }

            Volatile.Write(ref _sender, Finished);
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
            Volatile.Write(ref _sender, Finished);
            _watchdog.Remove(this);
        }
    }

    private async ValueTask AwaitSendAsync(ValueTask send)
    {
        await AwaitWrittenAsync(send);
        OnSent();
    }

    // A write that does not complete at once is visible to the watchdog while it waits.
    private async ValueTask AwaitWrittenAsync(ValueTask send)
    {
        if (!send.IsCompleted)
        {
            Volatile.Write(ref _sendStartedAt, _watchdog.Timestamp());
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
    }

    // Gives the sender flag back; true when a frame or a close request arrived meanwhile (its Signal may have found
    // the flag taken and been spent), so someone must look again. The exchange is a full fence: the check cannot
    // move above it.
    private bool ReleaseSender()
    {
        Interlocked.CompareExchange(ref _sender, Free, Sending);
        return HasQueued || IsClosing;
    }

    /// <summary>
    /// Reads one whole message into <paramref name="buffer"/> (at least <paramref name="maxBytes"/> + 1 long). A
    /// longer message is read to its end and discarded, so memory stays bounded; <c>Oversize</c> is then true.
    /// Await the result once (or take <c>AsTask()</c>): its state machine is pooled, as every frame comes through here.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
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
