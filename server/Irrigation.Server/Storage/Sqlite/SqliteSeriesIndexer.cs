using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Keeps the series index (readings by device, kind and time) up to date with the append-only readings log, in
/// steps of many rows. The index holds blocks, not rows: <c>series.reading_blocks</c> has one row per run of up to
/// <see cref="MaxBlockPoints"/> readings of one series within <see cref="BlockSpanSeconds"/>, its points packed by
/// <see cref="SeriesBlockCodec"/>. One step over thousands of readings from a hundred devices then writes a few
/// hundred B-tree entries instead of one per reading (each a seek into the index: the largest cost of storing a
/// reading), and at a few readings a minute a step appends to the series' last block instead of adding a row.
/// <para>
/// The index and its high-water mark <c>series.readings_indexed.upto</c> live in their own file, written only by
/// this indexer (and pruning): a step holds that file's write lock for milliseconds while the ingest writer keeps
/// committing to the database, and the two run on different cores. The index is derived data: a missing, unreadable,
/// outdated or stale file (its mark beyond the log) is rebuilt from the log. Queries read the index plus the log's
/// rows above the mark, so they are complete at any lag; points whose rows were pruned from the log (ids below its
/// first id) are skipped, so pruning deletes only blocks that lie wholly below it.
/// </para>
/// </summary>
public sealed class SqliteSeriesIndexer : IDisposable
{
    /// <summary>Most rows indexed in one transaction, so a rebuild commits (and shows progress) every few tenths of a second.</summary>
    public const int MaxStepRows = 65536;

    /// <summary>Most points in one block: a block's blob stays inside its B-tree page (under ~1 KiB).</summary>
    public const int MaxBlockPoints = 128;

    /// <summary>
    /// Widest time range of one block (its last minus its first reading time). A query for times from T reads the
    /// blocks that start at T minus this or later; a block is cut where its readings would span more.
    /// </summary>
    public const long BlockSpanSeconds = 6 * 3600;

    /// <summary>The layout of the index file; a file of another (older) layout is rebuilt.</summary>
    private const int FileFormat = 2;

    private readonly SqliteDatabase _database;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _takeLock;
    private readonly SqliteRawStatement _readMark;
    private readonly SqliteRawStatement _readRows;
    private readonly SqliteRawStatement _readBlock;
    private readonly SqliteRawStatement _insertBlock;
    private readonly SqliteRawStatement _updateBlock;
    private readonly SqliteRawStatement _writeMark;
    private readonly Dictionary<long, List<SeriesPoint>> _runs = [];
    // Per series the key and size of the block written last (a hint: the block itself is read before appending).
    private readonly Dictionary<long, BlockTail> _tails = [];
    private readonly List<SeriesPoint> _merged = [];
    private readonly List<LoggedReading> _decoded = [];
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
            count.CommandText =
                $"""
                SELECT COALESCE(SUM(MIN(count, first + count - 1 - $mark)), 0)
                FROM ({SqliteReadingLog.RowsAboveSql}) WHERE first + count - 1 > $mark
                """;
            count.Parameters.AddWithValue("$mark", ReadMark(_connection));
            _pending = (long)count.ExecuteScalar()!;
        }

        // A step writes first, so its transaction takes the index file's write lock before it reads the mark (no
        // stale snapshot to upgrade when pruning ran in between).
        _takeLock = _connection.CreateCommand();
        _takeLock.CommandText = "UPDATE series.readings_indexed SET upto = upto";
        _readMark = new SqliteRawStatement(_connection, "SELECT upto FROM series.readings_indexed");
        // The log's rows from the mark on, not an id range: after pruning, a rebuild starts far below the log's first id.
        _readRows = new SqliteRawStatement(_connection, SqliteReadingLog.RowsAboveSql);
        _readBlock = new SqliteRawStatement(_connection,
            "SELECT points FROM series.reading_blocks WHERE device = ?1 AND kind = ?2 AND start = ?3 AND first = ?4");
        _insertBlock = new SqliteRawStatement(_connection,
            "INSERT INTO series.reading_blocks(device, kind, start, first, finish, last, count, points) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
        _updateBlock = new SqliteRawStatement(_connection,
            "UPDATE series.reading_blocks SET finish = ?5, last = ?6, count = ?7, points = ?8 WHERE device = ?1 AND kind = ?2 AND start = ?3 AND first = ?4");
        _writeMark = new SqliteRawStatement(_connection, "UPDATE series.readings_indexed SET upto = ?1");
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
            var indexed = 0;
            try
            {
                using var transaction = _connection.BeginTransaction(deferred: true);
                _takeLock.Transaction = transaction;
                _takeLock.ExecuteNonQuery();
                var upto = _readMark.Read() ? _readMark.Int64(0) : 0;
                _readMark.Reset();
                indexed = ReadRuns(upto, out var last);
                if (indexed > 0)
                {
                    foreach (var (series, points) in _runs)
                    {
                        WriteRun(series, points);
                    }

                    _writeMark.Bind(1, last).Execute();
                }

                transaction.Commit();
            }
            finally
            {
                _runs.Clear();
            }

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
            _takeLock.Dispose();
            _readMark.Dispose();
            _readRows.Dispose();
            _readBlock.Dispose();
            _insertBlock.Dispose();
            _updateBlock.Dispose();
            _writeMark.Dispose();
            _connection.Dispose();
            _due.Dispose();
        }
    }

    // The step's readings grouped by series, each in id order: whole log rows until there are MaxStepRows. Returns
    // how many readings the step covers.
    private int ReadRuns(long upto, out long last)
    {
        var rows = 0;
        last = upto;
        _readRows.Bind(1, upto);
        try
        {
            while (rows < MaxStepRows && _readRows.Read())
            {
                _decoded.Clear();
                try
                {
                    ReadingBatchCodec.Decode(_readRows.Blob(1), _readRows.Int64(0), _decoded, withZones: false);
                }
                catch (InvalidDataException)
                {
                    // A damaged row is passed over and counted as done (its readings cannot be indexed; queries of
                    // the tail report it), rather than stopping the index here for good.
                    var end = _readRows.Int64(0) + _readRows.Int64(2) - 1;
                    rows += (int)Math.Max(0, end - Math.Max(last, _readRows.Int64(0) - 1));
                    last = Math.Max(last, end);
                    continue;
                }

                foreach (var reading in _decoded)
                {
                    if (reading.Id <= upto)
                    {
                        continue;
                    }

                    var series = (reading.Device << 8) | (long)reading.Kind;
                    if (!_runs.TryGetValue(series, out var points))
                    {
                        _runs[series] = points = [];
                    }

                    points.Add(new SeriesPoint(reading.Time, reading.Id, reading.Value));
                    last = reading.Id;
                    rows++;
                }
            }
        }
        finally
        {
            _readRows.Reset();
        }

        return rows;
    }

    private static long ReadMark(SqliteConnection connection)
    {
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT upto FROM series.readings_indexed";
        return read.ExecuteScalar() is long upto ? upto : 0;
    }

    private void WriteRun(long series, List<SeriesPoint> run)
    {
        var points = CollectionsMarshal.AsSpan(run);
        var done = _tails.TryGetValue(series, out var tail) && tail.Count < MaxBlockPoints ? AppendToTail(series, tail, points) : 0;
        while (done < points.Length)
        {
            var block = points.Slice(done, BlockLength(points[done..]));
            var (start, finish) = TimeRange(block);
            _insertBlock.Bind(1, series >> 8).Bind(2, series & 0xFF).Bind(3, start).Bind(4, block[0].Id).Bind(5, finish)
                .Bind(6, block[^1].Id).Bind(7, block.Length).Bind(8, SeriesBlockCodec.Encode(block, start, block[0].Id)).Execute();
            _tails[series] = new BlockTail(start, block[0].Id, block.Length);
            done += block.Length;
        }
    }

    // Appends the leading points that fit (room, and a time within the block's span not before its start, so its
    // key stays) to the series' last block; returns how many. None when that block is gone (pruned, rolled back)
    // or damaged.
    private int AppendToTail(long series, BlockTail tail, ReadOnlySpan<SeriesPoint> points)
    {
        _merged.Clear();
        _readBlock.Bind(1, series >> 8).Bind(2, series & 0xFF).Bind(3, tail.Start).Bind(4, tail.First);
        if (!_readBlock.Read())
        {
            return 0;
        }

        try
        {
            SeriesBlockCodec.Decode(_readBlock.Blob(0), tail.Start, tail.First, _merged);
        }
        catch (InvalidDataException)
        {
            // A damaged block is left as it is (queries report it; a rebuild replaces it): the points go to a new one.
            _merged.Clear();
            return 0;
        }
        finally
        {
            _readBlock.Reset();
        }

        var finish = TimeRange(CollectionsMarshal.AsSpan(_merged)).Finish;
        var taken = 0;
        while (taken < points.Length && _merged.Count < MaxBlockPoints
               && points[taken].Time >= tail.Start && points[taken].Time - tail.Start <= BlockSpanSeconds)
        {
            finish = Math.Max(finish, points[taken].Time);
            _merged.Add(points[taken++]);
        }

        if (taken > 0)
        {
            var merged = CollectionsMarshal.AsSpan(_merged);
            _updateBlock.Bind(1, series >> 8).Bind(2, series & 0xFF).Bind(3, tail.Start).Bind(4, tail.First).Bind(5, finish)
                .Bind(6, merged[^1].Id).Bind(7, merged.Length).Bind(8, SeriesBlockCodec.Encode(merged, tail.Start, tail.First)).Execute();
            _tails[series] = tail with { Count = merged.Length };
        }

        return taken;
    }

    // How many of the leading points make one block: at most MaxBlockPoints within BlockSpanSeconds.
    private static int BlockLength(ReadOnlySpan<SeriesPoint> points)
    {
        var (min, max) = (points[0].Time, points[0].Time);
        var n = 1;
        while (n < points.Length && n < MaxBlockPoints)
        {
            var time = points[n].Time;
            if (Math.Max(max, time) - Math.Min(min, time) > BlockSpanSeconds)
            {
                break;
            }

            (min, max) = (Math.Min(min, time), Math.Max(max, time));
            n++;
        }

        return n;
    }

    private static (long Start, long Finish) TimeRange(ReadOnlySpan<SeriesPoint> points)
    {
        var (min, max) = (long.MaxValue, long.MinValue);
        foreach (var point in points)
        {
            (min, max) = (Math.Min(min, point.Time), Math.Max(max, point.Time));
        }

        return (min, max);
    }

    private SqliteConnection OpenChecked(out bool rebuilt)
    {
        string? problem;
        try
        {
            var connection = OpenAndCheck(out rebuilt, out problem);
            if (problem is null)
            {
                return connection;
            }

            connection.Dispose();
        }
        catch (SqliteException e)
        {
            // Not a database, or damaged.
            problem = $"cannot be read ({e.Message})";
        }

        // It only holds what the log can give again.
        Console.Error.WriteLine($"The series index {_database.SeriesIndexPath} {problem}; rebuilding it from the readings.");
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database.SeriesIndexPath + suffix);
        }

        return OpenAndCheck(out rebuilt, out _);
    }

    private SqliteConnection OpenAndCheck(out bool rebuilt, out string? problem)
    {
        var connection = _database.OpenWithSeriesUnchecked();
        rebuilt = false;
        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA series.user_version";
            var format = (long)command.ExecuteScalar()!;
            command.CommandText = "SELECT COUNT(*) FROM series.sqlite_master";
            problem = format != FileFormat && (long)command.ExecuteScalar()! > 0 ? "has the layout of an older version" : null;

            if (problem is not null)
            {
                return connection;
            }

            command.CommandText =
                $"""
                CREATE TABLE IF NOT EXISTS series.reading_blocks (
                    device INTEGER NOT NULL,
                    kind INTEGER NOT NULL,
                    start INTEGER NOT NULL,
                    first INTEGER NOT NULL,
                    finish INTEGER NOT NULL,
                    last INTEGER NOT NULL,
                    count INTEGER NOT NULL,
                    points BLOB NOT NULL,
                    PRIMARY KEY (device, kind, start, first)) WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS series.reading_blocks_by_last ON reading_blocks(last);
                CREATE TABLE IF NOT EXISTS series.readings_indexed (upto INTEGER NOT NULL);
                PRAGMA series.user_version = {FileFormat};
                SELECT (SELECT COUNT(*) FROM series.readings_indexed),
                       COALESCE((SELECT upto FROM series.readings_indexed), 0),
                       ({SqliteReadingLog.NewestIdSql});
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
                    "DELETE FROM series.reading_blocks; DELETE FROM series.readings_indexed; INSERT INTO series.readings_indexed(upto) VALUES (0);";
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

    private readonly record struct BlockTail(long Start, long First, int Count);
}
