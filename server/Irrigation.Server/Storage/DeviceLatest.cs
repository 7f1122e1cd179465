namespace Irrigation.Server.Storage;

/// <summary>What storage knows about a device's most recent activity (seeds the in-memory state after a restart).</summary>
/// <param name="LastSeen">Latest server receive time of any stored frame, Unix seconds, or null.</param>
/// <param name="Readings">The newest reading per kind.</param>
public sealed record DeviceLatest(long? LastSeen, IReadOnlyList<LatestReading> Readings);
