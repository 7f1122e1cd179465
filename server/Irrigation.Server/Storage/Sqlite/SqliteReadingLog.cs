using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// The readings log, <c>reading_batches</c>: one row per ingest commit, its readings packed by
/// <see cref="ReadingBatchCodec"/> and numbered consecutively from <c>first</c> across rows (ids only grow; pruning
/// removes a prefix of rows, never the newest). The queries here find readings by id in it.
/// </summary>
public static class SqliteReadingLog
{
    /// <summary>The id the next reading gets (one above the newest ever stored).</summary>
    public const string NextIdSql =
        "SELECT COALESCE((SELECT first + count FROM main.reading_batches ORDER BY first DESC LIMIT 1), 1)";

    /// <summary>The newest reading's id, 0 when the log is empty.</summary>
    public const string NewestIdSql =
        "SELECT COALESCE((SELECT first + count - 1 FROM main.reading_batches ORDER BY first DESC LIMIT 1), 0)";

    /// <summary>The oldest reading's id (readings below it were pruned), 0 when the log is empty.</summary>
    public const string FirstIdSql = "SELECT COALESCE(MIN(first), 0) FROM main.reading_batches";

    /// <summary>
    /// The rows (first, readings, count) that can hold readings above the id <c>$mark</c> (parameter 1), oldest first: the
    /// row holding <c>$mark + 1</c> (or the last one below it) and every row after it. Readings at or below the mark
    /// are the caller's to skip.
    /// </summary>
    public const string RowsAboveSql =
        """
        SELECT first, readings, count FROM main.reading_batches
        WHERE first >= COALESCE((SELECT first FROM main.reading_batches WHERE first <= $mark + 1 ORDER BY first DESC LIMIT 1), 0)
        ORDER BY first
        """;

    /// <summary>The readings above <paramref name="mark"/> (the series index's unindexed tail), oldest first.</summary>
    public static List<LoggedReading> ReadAbove(SqliteConnection connection, SqliteTransaction? transaction, long mark, bool withZones)
    {
        using var query = connection.CreateCommand();
        query.Transaction = transaction;
        query.CommandText = RowsAboveSql;
        query.Parameters.AddWithValue("$mark", mark);
        var readings = new List<LoggedReading>();
        using var reader = query.ExecuteReader();
        while (reader.Read())
        {
            ReadingBatchCodec.Decode((byte[])reader.GetValue(1), reader.GetInt64(0), readings, withZones);
        }

        readings.RemoveAll(r => r.Id <= mark);
        return readings;
    }

    /// <summary>The reading with <paramref name="id"/>, or null when it is not (or no longer) in the log.</summary>
    public static LoggedReading? Find(SqliteConnection connection, SqliteTransaction? transaction, long id)
    {
        using var query = connection.CreateCommand();
        query.Transaction = transaction;
        query.CommandText = "SELECT first, readings FROM main.reading_batches WHERE first <= $id ORDER BY first DESC LIMIT 1";
        query.Parameters.AddWithValue("$id", id);
        using var reader = query.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var readings = new List<LoggedReading>();
        ReadingBatchCodec.Decode((byte[])reader.GetValue(1), reader.GetInt64(0), readings);
        var index = id - reader.GetInt64(0);
        return index < readings.Count ? readings[(int)index] : null;
    }
}
