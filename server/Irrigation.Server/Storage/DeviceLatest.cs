namespace Irrigation.Server.Storage;

/// <summary>What storage knows about a device's most recent activity (seeds the in-memory state after a restart).</summary>
/// <param name="LastSeen">Latest server receive time of any stored frame, Unix seconds, or null.</param>
/// <param name="Readings">The newest reading per kind.</param>
/// <param name="RecentIrrigation">The latest irrigation events, oldest first, so open zones and their leases survive a restart.</param>
public sealed record DeviceLatest(long? LastSeen, IReadOnlyList<LatestReading> Readings, IReadOnlyList<StoredIrrigation> RecentIrrigation);
