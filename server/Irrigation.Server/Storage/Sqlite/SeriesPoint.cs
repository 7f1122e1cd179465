namespace Irrigation.Server.Storage.Sqlite;

/// <summary>One reading as the series index keeps it: its time, its row id in the log (for pruning and for the
/// reading's other columns) and its value.</summary>
public readonly record struct SeriesPoint(long Time, long Id, long Value);
