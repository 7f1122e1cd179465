using Irrigation.Core.Protocol;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>Readings and events in SQLite; queries open pooled connections and read while the writer commits (WAL).</summary>
public sealed class SqliteEventStore(SqliteDatabase database, SqliteDeviceKeys keys) : IEventStore
{
    /// <inheritdoc />
    public IIngestSession OpenIngestSession() => new SqliteIngestSession(database, keys, database.Options);

    /// <inheritdoc />
    public Task<long> GetResumeSeqAsync(string deviceId, long boot, CancellationToken ct = default)
    {
        using var connection = database.Open();
        if (keys.Find(connection, deviceId) is not long device)
        {
            return Task.FromResult(0L);
        }

        using var query = connection.CreateCommand();
        query.CommandText = "SELECT seq FROM streams WHERE device = $d AND boot = $b";
        query.Parameters.AddWithValue("$d", device);
        query.Parameters.AddWithValue("$b", boot);
        return Task.FromResult(query.ExecuteScalar() is long seq ? seq : 0L);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReadingBucket>> GetReadingBucketsAsync(
        string deviceId, ReadingKind kind, long from, long to, long widthSeconds, CancellationToken ct = default)
    {
        using var connection = database.OpenWithSeries();
        var buckets = new List<ReadingBucket>();
        if (keys.Find(connection, deviceId) is not long device)
        {
            return Task.FromResult<IReadOnlyList<ReadingBucket>>(buckets);
        }

        // The series index's blocks plus the log's unindexed tail (found by id), read in one snapshot of each file,
        // so a reading is counted once while a step moves it.
        using var snapshot = BeginSeriesSnapshot(connection, out var upto, out var floor);
        var sums = new SortedDictionary<long, BucketSum>();
        void Add(long time, long value)
        {
            if (time >= from && time < to)
            {
                var bucket = (time - from) / widthSeconds;
                sums[bucket] = sums.TryGetValue(bucket, out var sum) ? sum.With(value) : new BucketSum(1, value, value, value);
            }
        }

        foreach (var point in IndexedPoints(connection, snapshot, device, kind, from - SqliteSeriesIndexer.BlockSpanSeconds, to, floor))
        {
            Add(point.Time, point.Value);
        }

        foreach (var reading in SqliteReadingLog.ReadAbove(connection, snapshot, upto, withZones: false))
        {
            if (reading.Device == device && reading.Kind == kind)
            {
                Add(reading.Time, reading.Value);
            }
        }

        foreach (var (bucket, sum) in sums)
        {
            buckets.Add(new ReadingBucket(from + bucket * widthSeconds, sum.Count, sum.Min, sum.Max, (double)sum.Total / sum.Count));
        }

        return Task.FromResult<IReadOnlyList<ReadingBucket>>(buckets);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> GetEventsAsync(
        string deviceId, long from, long to, int limit, IReadOnlyCollection<string> categories, CancellationToken ct = default)
    {
        using var connection = database.Open();
        var events = new List<StoredEvent>();
        if (keys.Find(connection, deviceId) is not long device || categories.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<StoredEvent>>(events);
        }

        using var query = connection.CreateCommand();
        var names = new List<string>();
        foreach (var category in categories)
        {
            var name = "$c" + names.Count;
            names.Add(name);
            query.Parameters.AddWithValue(name, category);
        }

        query.CommandText =
            $"""
            SELECT event, category, time, received, boot, seq, data
            FROM events
            WHERE device = $d AND time >= $from AND time < $to AND category IN ({string.Join(", ", names)})
            ORDER BY time DESC, id DESC
            LIMIT $limit
            """;
        query.Parameters.AddWithValue("$d", device);
        query.Parameters.AddWithValue("$from", from);
        query.Parameters.AddWithValue("$to", to);
        query.Parameters.AddWithValue("$limit", limit);
        using var reader = query.ExecuteReader();
        while (reader.Read())
        {
            events.Add(new StoredEvent(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.GetString(6)));
        }

        return Task.FromResult<IReadOnlyList<StoredEvent>>(events);
    }

    /// <inheritdoc />
    public Task<DeviceLatest> GetLatestAsync(string deviceId, CancellationToken ct = default)
    {
        using var connection = database.OpenWithSeries();
        if (keys.Find(connection, deviceId) is not long device)
        {
            return Task.FromResult(new DeviceLatest(null, [], []));
        }

        var readings = new List<LatestReading>();
        using var snapshot = BeginSeriesSnapshot(connection, out var upto, out var floor);
        var unindexed = SqliteReadingLog.ReadAbove(connection, snapshot, upto, withZones: false);
        using (var newestStart = connection.CreateCommand())
        {
            newestStart.Transaction = snapshot;
            newestStart.CommandText = "SELECT MAX(start) FROM series.reading_blocks WHERE device = $d AND kind = $k AND last >= $floor";
            newestStart.Parameters.AddWithValue("$floor", floor);
            newestStart.Parameters.AddWithValue("$d", device);
            var kindParameter = newestStart.Parameters.Add("$k", SqliteType.Integer);
            foreach (var k in ReadingKinds.All)
            {
                kindParameter.Value = (int)k;
                // Every block left has its last point at or above the floor, so the newest block start is at
                // most the newest visible time, and the block holding that time starts at most a span earlier.
                (long Time, long Id)? newest = null;
                void Consider(long time, long id)
                {
                    if (newest is not { } n || (n.Time, n.Id).CompareTo((time, id)) < 0)
                    {
                        newest = (time, id);
                    }
                }

                if (newestStart.ExecuteScalar() is long start)
                {
                    foreach (var point in IndexedPoints(connection, snapshot, device, k, start - SqliteSeriesIndexer.BlockSpanSeconds, long.MaxValue, floor))
                    {
                        Consider(point.Time, point.Id);
                    }
                }

                foreach (var reading in unindexed)
                {
                    if (reading.Device == device && reading.Kind == k)
                    {
                        Consider(reading.Time, reading.Id);
                    }
                }

                if (newest is { } found && SqliteReadingLog.Find(connection, snapshot, found.Id) is { } latest)
                {
                    readings.Add(new LatestReading(k, latest.Time, latest.Value, latest.Raw, latest.Zone));
                }
            }
        }

        using var seen = connection.CreateCommand();
        seen.Transaction = snapshot;
        seen.CommandText = "SELECT last_seen FROM devices WHERE id = $d";
        seen.Parameters.AddWithValue("$d", device);
        var lastSeen = seen.ExecuteScalar() is long value ? value : (long?)null;
        return Task.FromResult(new DeviceLatest(lastSeen, readings, RecentIrrigation(connection, snapshot, device)));
    }

    // The indexed points of one series in blocks starting in [startFrom, startBelow), without those pruned from
    // the log (ids below its first id, the floor).
    private static List<SeriesPoint> IndexedPoints(
        SqliteConnection connection, SqliteTransaction snapshot, long device, ReadingKind kind, long startFrom, long startBelow, long floor)
    {
        using var query = connection.CreateCommand();
        query.Transaction = snapshot;
        query.CommandText =
            """
            SELECT start, first, points FROM series.reading_blocks
            WHERE device = $d AND kind = $k AND start >= $from AND start < $below AND last >= $floor
            """;
        query.Parameters.AddWithValue("$d", device);
        query.Parameters.AddWithValue("$k", (int)kind);
        query.Parameters.AddWithValue("$from", startFrom);
        query.Parameters.AddWithValue("$below", startBelow);
        query.Parameters.AddWithValue("$floor", floor);
        var points = new List<SeriesPoint>();
        var partlyPruned = false;
        using (var reader = query.ExecuteReader())
        {
            while (reader.Read())
            {
                SeriesBlockCodec.Decode((byte[])reader.GetValue(2), reader.GetInt64(0), reader.GetInt64(1), points);
                partlyPruned |= reader.GetInt64(1) < floor;
            }
        }

        if (partlyPruned)
        {
            points.RemoveAll(p => p.Id < floor);
        }

        return points;
    }

    // A read transaction that takes the index file's snapshot first: every row it lists as indexed was committed
    // to the log before, so the log snapshot taken next holds it too (a statement alone would open the log first).
    // The floor is the log's first id: indexed points below it belong to pruned rows.
    private static SqliteTransaction BeginSeriesSnapshot(SqliteConnection connection, out long upto, out long floor)
    {
        var transaction = connection.BeginTransaction(deferred: true);
        using var mark = connection.CreateCommand();
        mark.Transaction = transaction;
        mark.CommandText = "SELECT upto FROM series.readings_indexed";
        upto = mark.ExecuteScalar() is long indexed ? indexed : 0;
        mark.CommandText = SqliteReadingLog.FirstIdSql;
        floor = (long)mark.ExecuteScalar()!;
        return transaction;
    }

    // Enough to cover every zone's last start or stop on any real controller (16 zones at most).
    private const int RecentIrrigationEvents = 64;

    private static List<StoredIrrigation> RecentIrrigation(SqliteConnection connection, SqliteTransaction transaction, long device)
    {
        using var query = connection.CreateCommand();
        query.Transaction = transaction;
        query.CommandText = """
            SELECT event, received, data FROM events
            WHERE device = $d AND category = $c
            ORDER BY received DESC, id DESC LIMIT $n
            """;
        query.Parameters.AddWithValue("$d", device);
        query.Parameters.AddWithValue("$c", EventCategory.Irrigation);
        query.Parameters.AddWithValue("$n", RecentIrrigationEvents);
        var recent = new List<StoredIrrigation>();
        using var reader = query.ExecuteReader();
        while (reader.Read())
        {
            // The data was validated before it was stored; a row that still does not parse is skipped, not fatal.
            try
            {
                using var data = JsonDocument.Parse(reader.GetString(2));
                var root = data.RootElement;
                var zones = root.GetProperty("zones").EnumerateArray().Select(z => z.GetString() ?? "").ToArray();
                bool started = reader.GetString(0) == EventNames.IrrigationStarted;
                if (!started && reader.GetString(0) != EventNames.IrrigationStopped)
                {
                    continue;
                }

                long duration = started ? root.GetProperty("duration").GetInt64() : 0;
                recent.Add(new StoredIrrigation(started, reader.GetInt64(1), zones, duration));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
            }
        }

        recent.Reverse();
        return recent;
    }

    /// <inheritdoc />
    public Task<int> PruneReadingsAsync(long receivedBefore, int batchSize, CancellationToken ct = default)
    {
        using var connection = database.OpenWithSeries();
        // Log rows arrive in receive order, so the oldest are the lowest: the log loses a prefix of rows, found among
        // its first rows, instead of a scan for old receive times. A row goes when all its readings are past
        // retention and indexed (so the indexer, which reads above the mark, never meets a pruned one), and never
        // the newest row: new readings then keep getting ids above the mark. The cut is the first id kept; queries
        // skip indexed points below the log's first id, so only blocks wholly below the cut go. The first statement
        // takes the index file's write lock, so the mark holds still meanwhile. Two files, two commits: the blocks
        // go first, so a crash in between leaves rows past retention that the next pass deletes.
        long cut = 0;
        var deleted = 0;
        using (var transaction = connection.BeginTransaction(deferred: true))
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText =
                """
                UPDATE series.readings_indexed SET upto = upto;
                SELECT (SELECT upto FROM series.readings_indexed), (SELECT MAX(first) FROM main.reading_batches);
                """;
            long upto, newest;
            using (var reader = select.ExecuteReader())
            {
                if (!reader.Read() || reader.IsDBNull(1))
                {
                    return Task.FromResult(0);
                }

                (upto, newest) = (reader.GetInt64(0), reader.GetInt64(1));
            }

            select.CommandText = "SELECT first, count, received FROM main.reading_batches ORDER BY first LIMIT $n";
            select.Parameters.AddWithValue("$n", Math.Max(1, batchSize));
            using (var reader = select.ExecuteReader())
            {
                while (deleted < batchSize && reader.Read())
                {
                    var (first, count, received) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
                    if (received >= receivedBefore || first + count - 1 > upto || first >= newest)
                    {
                        break;
                    }

                    cut = first + count;
                    deleted += (int)count;
                }
            }

            if (deleted == 0)
            {
                return Task.FromResult(0);
            }

            select.CommandText = "DELETE FROM series.reading_blocks WHERE last < $cut";
            select.Parameters.AddWithValue("$cut", cut);
            select.ExecuteNonQuery();
            transaction.Commit();
        }

        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM main.reading_batches WHERE first < $cut";
        delete.Parameters.AddWithValue("$cut", cut);
        delete.ExecuteNonQuery();
        return Task.FromResult(deleted);
    }

    /// <inheritdoc />
    public Task<long> GetLastCommandNumberAsync(CancellationToken ct = default)
    {
        using var connection = database.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT data FROM events WHERE seq IS NULL ORDER BY id DESC LIMIT 1";
        if (query.ExecuteScalar() is not string data)
        {
            return Task.FromResult(0L);
        }

        using var document = JsonDocument.Parse(data);
        var number = 0L;
        if (document.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String
            && id.GetString() is { } text && text.StartsWith("c-", StringComparison.Ordinal))
        {
            long.TryParse(text.AsSpan(2), System.Globalization.NumberStyles.None, null, out number);
        }

        return Task.FromResult(number);
    }

    private readonly record struct BucketSum(long Count, long Min, long Max, long Total)
    {
        public BucketSum With(long value) => new(Count + 1, Math.Min(Min, value), Math.Max(Max, value), Total + value);
    }
}
