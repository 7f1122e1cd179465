namespace Irrigation.Server.Storage.Sqlite;

/// <summary>One reading in the log (<see cref="ReadingBatchCodec"/>), with the id it is known by everywhere else.</summary>
public readonly record struct LoggedReading(
    long Id, long Device, ReadingKind Kind, long Time, long Received, long Boot, long Seq, long Value, long? Raw, string? Zone);
