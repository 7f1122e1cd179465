using System.Diagnostics;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Keeps readings_by_series (readings by device, kind and time) up to date with the append-only readings log, in
/// steps of many rows: indexing each batch as it commits would dirty one B-tree leaf per device per commit (the
/// WAL volume that bounded ingest), while one step over a second of readings touches each series' leaf once.
/// Runs on the ingest writer's connection inside a batch's transaction, so it never waits for the write lock and
/// the step commits (or rolls back) together with <c>readings_indexed.upto</c>. Queries read the index plus the
/// rows above <c>upto</c>, at most <see cref="MaxLagRows"/> plus one batch.
/// </summary>
public sealed class SqliteSeriesIndexer : IDisposable
{
    private readonly SqliteCommand _step;
    private readonly TimeSpan _maxLag;
    private long _pending;
    private long _lastStep;

    /// <summary>Prepares the step and counts the rows a previous run left unindexed (limits checked by <see cref="SqliteDatabase"/>).</summary>
    public SqliteSeriesIndexer(SqliteConnection connection, int maxLagRows, TimeSpan maxLag)
    {
        MaxLagRows = maxLagRows;
        _maxLag = maxLag;
        using (var count = connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM readings WHERE id > (SELECT upto FROM readings_indexed)";
            _pending = (long)count.ExecuteScalar()!;
        }

        _step = connection.CreateCommand();
        _step.CommandText =
            """
            INSERT INTO readings_by_series(device, kind, time, id, value)
                SELECT device, kind, time, id, value FROM readings WHERE id > (SELECT upto FROM readings_indexed);
            UPDATE readings_indexed SET upto = COALESCE((SELECT MAX(id) FROM readings), upto);
            """;
        _lastStep = Stopwatch.GetTimestamp();
    }

    /// <summary>Unindexed rows that trigger a step.</summary>
    public int MaxLagRows { get; }

    /// <summary>
    /// Indexes every unindexed row (the previous batches' and this one's <paramref name="added"/>) when there are
    /// <see cref="MaxLagRows"/> of them or the last step is older than the interval; call inside the batch's
    /// transaction, after its inserts. True when it stepped; pass that to <see cref="Committed"/>.
    /// </summary>
    public bool StepIfDue(SqliteTransaction transaction, int added)
    {
        var pending = _pending + added;
        if (pending == 0 || (pending < MaxLagRows && Stopwatch.GetElapsedTime(_lastStep) < _maxLag))
        {
            return false;
        }

        _step.Transaction = transaction;
        _step.ExecuteNonQuery();
        return true;
    }

    /// <summary>The batch committed (a rolled-back batch changes nothing, so its retry decides again).</summary>
    public void Committed(int added, bool stepped)
    {
        if (stepped)
        {
            _pending = 0;
            _lastStep = Stopwatch.GetTimestamp();
        }
        else
        {
            _pending += added;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _step.Dispose();
}
