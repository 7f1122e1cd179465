namespace Irrigation.Server.Storage;

/// <summary>The most recent reading of one kind.</summary>
public sealed record LatestReading(ReadingKind Kind, long Time, long Value, long? Raw, string? Zone);
