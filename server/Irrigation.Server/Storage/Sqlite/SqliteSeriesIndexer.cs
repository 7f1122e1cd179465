using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Keeps <c>series.readings_by_series</c> (readings by device, kind and time) up to date with the append-only
/// readings log, in steps of many rows: indexing each batch as it commits would dirty one B-tree leaf per device
/// per commit, while one step over a second of readings touches each series' leaf once.
/// <para>
/// The index and its high-water mark <c>series.readings_indexed.upto</c> live in their own file, written only by
/// this indexer (and pruning): a step holds that file's write lock for milliseconds while the ingest writer keeps
/// committing to the database, and the two run on different cores. The index is derived data: a missing, unreadable
/// or stale file (its mark beyond the log) is rebuilt from the log. Queries read the index plus the log's rows above
/// the mark, so they are complete at any lag.
/// </para>
/// </summary>
public sealed class SqliteSeriesIndexer : IDisposable
{
    /// <summary>Most rows indexed in one transaction, so a rebuild commits (and shows progress) every few tenths of a second.</summary>
    public const int MaxStepRows = 65536;

    private readonly SqliteDatabase _database;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _step;
    private readonly AutoResetEvent _due = new(false);
    private readonly Lock _gate = new();
    private long _pending;

    /// <summary>Opens the indexer's connection, creates or checks the index file and counts the unindexed rows.</summary>
    public SqliteSeriesIndexer(SqliteDatabase database)
    {
        _database = database;
        MaxLagRows = database.Options.SeriesIndexRows;
        Interval = database.Options.SeriesIndexInterval;
        _connection = OpenChecked(out var rebuilt);
        Rebuilt = rebuilt;
        using (var count = _connection.CreateCommand())
        {
            count.CommandText = "SELECT COUNT(*) FROM main.readings WHERE id > (SELECT upto FROM series.readings_indexed)";
            _pending = (long)count.ExecuteScalar()!;
        }

        // One snapshot of the log for the insert and the new mark; the insert comes first so the transaction takes
        // the index file's write lock before it reads the mark (no stale-snapshot upgrade when pruning ran between).
        // OR IGNORE: a key is never indexed twice anyway, and a statement that cannot abort half-way needs no
        // statement journal (a temp file SQLite would otherwise write every page of the step to).
        _step = _connection.CreateCommand();
        // The next rows by id, not an id range: after pruning, a rebuild starts far below the log's first id.
        _step.CommandText =
            """
            INSERT OR IGNORE INTO series.readings_by_series(device, kind, time, id, value)
                SELECT device, kind, time, id, value FROM main.readings
                WHERE id > (SELECT upto FROM series.readings_indexed) ORDER BY id LIMIT $max;
            UPDATE series.readings_indexed SET upto = COALESCE(
                (SELECT id FROM main.readings WHERE id > readings_indexed.upto ORDER BY id LIMIT 1 OFFSET $max - 1),
                (SELECT MAX(id) FROM main.readings WHERE id > readings_indexed.upto),
                upto);
            """;
        _step.Parameters.AddWithValue("$max", MaxStepRows);
    }

    /// <summary>Unindexed rows that make a step due.</summary>
    public int MaxLagRows { get; }

    /// <summary>Longest time between two steps while rows are unindexed.</summary>
    public TimeSpan Interval { get; }

    /// <summary>True when the index file was (re)created at startup and the whole log is being indexed again.</summary>
    public bool Rebuilt { get; }

    /// <summary>Rows committed to the log and not indexed yet (as counted by <see cref="Added"/> and the steps).</summary>
    public long Pending => Math.Max(0, Interlocked.Read(ref _pending));

    /// <summary>The ingest writer committed <paramref name="rows"/> more readings; wakes the indexer once enough are waiting.</summary>
    public void Added(int rows)
    {
        if (rows > 0 && Interlocked.Add(ref _pending, rows) >= MaxLagRows)
        {
            _due.Set();
        }
    }

    /// <summary>Blocks until a step is due (enough rows, or the interval passed) or <paramref name="ct"/> is cancelled.</summary>
    public void WaitUntilDue(CancellationToken ct)
    {
        if (Pending < MaxLagRows)
        {
            WaitHandle.WaitAny([_due, ct.WaitHandle], Interval);
        }
    }

    /// <summary>Indexes up to <see cref="MaxStepRows"/> unindexed rows in one transaction; returns how many.</summary>
    public int Step()
    {
        lock (_gate)
        {
            var counted = Interlocked.Read(ref _pending);
            using var transaction = _connection.BeginTransaction(deferred: true);
            _step.Transaction = transaction;
            // The count covers the insert and the update of the one mark row.
            var indexed = Math.Max(0, _step.ExecuteNonQuery() - 1);
            transaction.Commit();
            // Nothing above the mark: what was counted before this step is not waiting (a count that drifted must
            // not keep the loop busy); rows added while it ran keep their count.
            Interlocked.Add(ref _pending, indexed == 0 ? -counted : -indexed);
            return indexed;
        }
    }

    /// <summary>
    /// Copies the database's WAL back into the file (a passive checkpoint: it never blocks the ingest writer). Run
    /// from the indexer's thread about once an interval, it leaves the writer's own automatic checkpoint (after the
    /// commit that crosses <c>Storage:WalAutoCheckpointPages</c>, on the ack path) only the last interval's pages to
    /// copy. Returns the frames copied.
    /// </summary>
    public long CheckpointLog()
    {
        lock (_gate)
        {
            using var checkpoint = _connection.CreateCommand();
            checkpoint.CommandText = "PRAGMA main.wal_checkpoint(PASSIVE)";
            using var reader = checkpoint.ExecuteReader();
            return reader.Read() ? reader.GetInt64(2) : 0;
        }
    }

    /// <summary>Steps until nothing is left to index (tests, tools).</summary>
    public long StepAll()
    {
        long total = 0;
        int indexed;
        while ((indexed = Step()) > 0)
        {
            total += indexed;
        }

        return total;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _step.Dispose();
            _connection.Dispose();
            _due.Dispose();
        }
    }

    private SqliteConnection OpenChecked(out bool rebuilt)
    {
        try
        {
            return OpenAndCheck(out rebuilt);
        }
        catch (SqliteException e)
        {
            // Not a database, or damaged: it only holds what the log can give again.
            Console.Error.WriteLine($"The series index {_database.SeriesIndexPath} cannot be read ({e.Message}); rebuilding it from the readings.");
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(_database.SeriesIndexPath + suffix);
            }

            return OpenAndCheck(out rebuilt);
        }
    }

    private SqliteConnection OpenAndCheck(out bool rebuilt)
    {
        var connection = _database.OpenWithSeriesUnchecked();
        try
        {
            using var command = connection.CreateCommand();
            // The table migration step 3 once created in the database (migrations stay as shipped, so it is not shared).
            command.CommandText =
                """
                CREATE TABLE IF NOT EXISTS series.readings_by_series (
                    device INTEGER NOT NULL,
                    kind INTEGER NOT NULL,
                    time INTEGER NOT NULL,
                    id INTEGER NOT NULL,
                    value INTEGER NOT NULL,
                    PRIMARY KEY (device, kind, time, id)) WITHOUT ROWID;
                CREATE TABLE IF NOT EXISTS series.readings_indexed (upto INTEGER NOT NULL);
                SELECT (SELECT COUNT(*) FROM series.readings_indexed),
                       COALESCE((SELECT upto FROM series.readings_indexed), 0),
                       COALESCE((SELECT MAX(id) FROM main.readings), 0);
                """;
            long marks, upto, last;
            using (var reader = command.ExecuteReader())
            {
                reader.Read();
                (marks, upto, last) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
            }

            // Pruning never deletes the newest row, so a mark beyond it means the index belongs to other data
            // (the database was restored from a backup without this file, or the file came from elsewhere).
            rebuilt = marks != 1 || upto > last;
            if (rebuilt)
            {
                command.CommandText =
                    "DELETE FROM series.readings_by_series; DELETE FROM series.readings_indexed; INSERT INTO series.readings_indexed(upto) VALUES (0);";
                command.ExecuteNonQuery();
            }

            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
