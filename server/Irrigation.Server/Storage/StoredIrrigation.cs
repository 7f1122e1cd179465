namespace Irrigation.Server.Storage;

/// <summary>A stored irrigation_started or irrigation_stopped, as needed to rebuild zone state after a restart.</summary>
/// <param name="Started">True for irrigation_started.</param>
/// <param name="Received">Server receive time, Unix seconds (leases run from it, as they do live).</param>
/// <param name="Zones">The zones named (a stop with none means all).</param>
/// <param name="DurationSeconds">irrigation_started's lease; 0 for a stop.</param>
public sealed record StoredIrrigation(bool Started, long Received, IReadOnlyList<string> Zones, long DurationSeconds);
