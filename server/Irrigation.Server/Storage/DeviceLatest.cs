namespace Irrigation.Server.Storage;

/// <summary>What storage knows about a device's most recent activity (seeds the in-memory state after a restart).</summary>
/// <param name="LastSeen">Latest server receive time of any stored frame, Unix seconds, or null.</param>
/// <param name="Readings">The newest reading per kind.</param>
/// <param name="RecentIrrigation">The latest irrigation events, oldest first, so open zones and their leases survive a restart.</param>
public sealed record DeviceLatest(long? LastSeen, IReadOnlyList<LatestReading> Readings, IReadOnlyList<StoredIrrigation> RecentIrrigation)
{
    /// <summary>The last flow alerts stored, last first (a few dozen; the device's state keeps the newest).</summary>
    public IReadOnlyList<FlowAlert> FlowAlerts { get; init; } = [];

    /// <summary>True when the newest leak alert was not followed by a successful clear_leak.</summary>
    public bool LeakLocked { get; init; }

    /// <summary>Ids of the newest clear_leak commands (their results may still arrive after a restart).</summary>
    public IReadOnlyList<string> ClearLeakIds { get; init; } = [];
}
