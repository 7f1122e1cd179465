namespace Irrigation.Server.Storage;

/// <summary>One downsampled bucket of readings: start time (Unix seconds), count, min, max, average (tenths).</summary>
public readonly record struct ReadingBucket(long Time, long Count, long Min, long Max, double Avg);
