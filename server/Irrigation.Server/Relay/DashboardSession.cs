using System.Net.WebSockets;
using Irrigation.Core.Protocol;
using Irrigation.Server.Observability;

namespace Irrigation.Server.Relay;

/// <summary>
/// One dashboard connection: a <see cref="DashboardQueue"/> filled by the device hubs it watches (never blocking
/// them) and drained by the writer loop. Incoming frames are read and ignored (dashboards only listen).
/// </summary>
public sealed class DashboardSession : WebSocketSession
{
    /// <summary>Close status telling a dashboard to reconnect and take a fresh snapshot (1013 Try Again Later).</summary>
    public const WebSocketCloseStatus Resync = (WebSocketCloseStatus)1013;

    private readonly DashboardQueue _queue;
    private readonly RelayMetrics _metrics;
    private readonly ILogger _log;

    /// <summary>Wraps an accepted dashboard socket.</summary>
    public DashboardSession(WebSocket socket, string userId, DashboardQueue queue, SendWatchdog watchdog, RelayMetrics metrics, ILogger log)
        : base(socket, watchdog)
    {
        UserId = userId;
        _queue = queue;
        _metrics = metrics;
        _log = log;
    }

    /// <summary>The dashboard's user.</summary>
    public string UserId { get; }

    /// <summary>The hash of the token it authenticated with (checked again when credentials change).</summary>
    public byte[] TokenHash { get; init; } = [];

    /// <summary>The devices in its snapshot, with the user's role on each (what it is entitled to see).</summary>
    public IReadOnlyList<(string DeviceId, Auth.DeviceRole Role)> Watched { get; init; } = [];

    /// <summary>Frames queued now.</summary>
    public int QueuedCount => _queue.Count;

    /// <summary>Queues the snapshot ahead of every frame queued while it was being built, and starts sending.</summary>
    public void EnqueueSnapshot(byte[] snapshot)
    {
        _queue.EnqueueFirst(snapshot);
        Signal();
    }

    /// <summary>Queues a frame for this dashboard; called inside a device hub's gate, never blocks.</summary>
    public void Enqueue(byte[] frame, bool droppable)
    {
        switch (_queue.Enqueue(frame, droppable))
        {
            case EnqueueResult.Queued:
                Signal();
                break;
            case EnqueueResult.DroppedOldest:
                _metrics.DroppedTelemetry();
                Signal();
                break;
            case EnqueueResult.DroppedNew:
                _metrics.DroppedTelemetry();
                break;
            case EnqueueResult.Overflow:
                Disconnect("queue_overflow", "send queue full: reconnect for a fresh snapshot");
                break;
            case EnqueueResult.Stuck:
                Disconnect("stuck", "not reading: reconnect for a fresh snapshot");
                break;
        }
    }

    /// <summary>Reads (and ignores) incoming frames until the dashboard closes or the socket fails.</summary>
    public async Task RunReceiveAsync(int maxFrameBytes)
    {
        var buffer = new byte[Math.Min(maxFrameBytes, 4096) + 1];
        try
        {
            while (true)
            {
                var (type, _, _) = await ReceiveMessageAsync(Socket, buffer, buffer.Length - 1, CancellationToken.None);
                if (type == WebSocketMessageType.Close)
                {
                    RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
                    return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Aborted (stuck, shutdown) or the peer vanished.
        }
    }

    /// <inheritdoc />
    protected override bool TryDequeue(out ReadOnlyMemory<byte> frame)
    {
        if (_queue.TryDequeue(out var bytes))
        {
            frame = bytes;
            return true;
        }

        frame = default;
        return false;
    }

    /// <inheritdoc />
    protected override void OnSent() => _metrics.EventOut();

    private void Disconnect(string reason, string message)
    {
        if (IsClosing)
        {
            return;
        }

        _log.LogWarning("Dashboard of {User} disconnected: {Reason}", UserId, reason);
        _metrics.DashboardDisconnected(reason);
        // Queued frames are stale now: the client resyncs from a snapshot. Dropping them also frees the memory.
        _queue.Close();
        RequestClose(Resync, message);
        if (reason == "stuck")
        {
            Socket.Abort();
        }
    }

    /// <summary>True for frames that may be dropped when the queue is full: telemetry readings (the core's table) and status.</summary>
    public static bool IsDroppable(string eventName) =>
        eventName == EventNames.Status || ReadingSpecs.Find(eventName) is { IsTelemetry: true };
}
