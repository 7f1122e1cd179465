namespace Irrigation.Server.Mqtt;

/// <summary>A device's newest reading of one kind (its wire event name), in tenths, with the soil probe's zone.</summary>
public sealed record SnapshotReading(string Kind, long Time, long Record, string? Zone);
