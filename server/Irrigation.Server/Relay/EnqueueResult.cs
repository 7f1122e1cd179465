namespace Irrigation.Server.Relay;

/// <summary>What <see cref="DashboardQueue.Enqueue"/> did with a frame.</summary>
public enum EnqueueResult
{
    /// <summary>Queued.</summary>
    Queued,

    /// <summary>Queued after dropping the oldest queued telemetry frame.</summary>
    DroppedOldest,

    /// <summary>The queue held only frames that must not be dropped: the new telemetry frame was dropped.</summary>
    DroppedNew,

    /// <summary>A must-deliver frame did not fit: the dashboard has to be disconnected (it resyncs from a snapshot).</summary>
    Overflow,

    /// <summary>The queue stayed full longer than the stuck timeout: the dashboard has to be disconnected.</summary>
    Stuck,

    /// <summary>The queue is closed.</summary>
    Closed,
}
