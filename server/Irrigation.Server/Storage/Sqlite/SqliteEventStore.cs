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

        // The aggregate runs in SQLite over the series index plus the log's unindexed tail (found by id), read in
        // one snapshot of each file, so a row is counted once while a step moves it.
        using var snapshot = BeginSeriesSnapshot(connection);
        using var query = connection.CreateCommand();
        query.Transaction = snapshot;
        query.CommandText =
            """
            SELECT (time - $from) / $w AS bucket, COUNT(*), MIN(value), MAX(value), AVG(value)
            FROM (
                SELECT time, value FROM series.readings_by_series
                WHERE device = $d AND kind = $k AND time >= $from AND time < $to
                UNION ALL
                SELECT time, value FROM main.readings
                WHERE id > (SELECT upto FROM series.readings_indexed) AND device = $d AND kind = $k AND time >= $from AND time < $to)
            GROUP BY bucket ORDER BY bucket
            """;
        query.Parameters.AddWithValue("$d", device);
        query.Parameters.AddWithValue("$k", (int)kind);
        query.Parameters.AddWithValue("$from", from);
        query.Parameters.AddWithValue("$to", to);
        query.Parameters.AddWithValue("$w", widthSeconds);
        using var reader = query.ExecuteReader();
        while (reader.Read())
        {
            buckets.Add(new ReadingBucket(
                from + reader.GetInt64(0) * widthSeconds,
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.GetDouble(4)));
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
        using var snapshot = BeginSeriesSnapshot(connection);
        using (var query = connection.CreateCommand())
        {
            query.Transaction = snapshot;
            query.CommandText =
                """
                SELECT time, value, raw, zone FROM main.readings WHERE id = (
                    SELECT id FROM (
                        SELECT time, id FROM (
                            SELECT time, id FROM series.readings_by_series WHERE device = $d AND kind = $k
                            ORDER BY time DESC, id DESC LIMIT 1)
                        UNION ALL
                        SELECT time, id FROM main.readings
                        WHERE id > (SELECT upto FROM series.readings_indexed) AND device = $d AND kind = $k)
                    ORDER BY time DESC, id DESC LIMIT 1)
                """;
            query.Parameters.AddWithValue("$d", device);
            var kind = query.Parameters.Add("$k", SqliteType.Integer);
            foreach (var k in ReadingKinds.All)
            {
                kind.Value = (int)k;
                using var reader = query.ExecuteReader();
                if (reader.Read())
                {
                    readings.Add(new LatestReading(
                        k,
                        reader.GetInt64(0),
                        reader.GetInt64(1),
                        reader.IsDBNull(2) ? null : reader.GetInt64(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3)));
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

    // A read transaction that takes the index file's snapshot first: every row it lists as indexed was committed
    // to the log before, so the log snapshot taken next holds it too (a statement alone would open the log first).
    private static SqliteTransaction BeginSeriesSnapshot(SqliteConnection connection)
    {
        var transaction = connection.BeginTransaction(deferred: true);
        using var mark = connection.CreateCommand();
        mark.Transaction = transaction;
        mark.CommandText = "SELECT upto FROM series.readings_indexed";
        mark.ExecuteScalar();
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
        using var select = connection.CreateCommand();
        // Rows arrive in receive order, so the oldest are the lowest ids: look only at the first batch of ids
        // instead of scanning the table for old receive times. Only indexed rows go (so the indexer, which reads
        // above the mark, never meets a pruned one), and never the newest row: new rows then keep getting ids above
        // the mark. The first statement takes the index file's write lock, so the mark holds still meanwhile.
        // Two files, two commits: the index entries go first, so a crash in between leaves rows past retention that
        // no query sees and the next pass deletes.
        using (var transaction = connection.BeginTransaction(deferred: true))
        {
            select.Transaction = transaction;
            select.CommandText =
                """
                UPDATE series.readings_indexed SET upto = upto;
                CREATE TEMP TABLE IF NOT EXISTS doomed (id INTEGER PRIMARY KEY, device INTEGER, kind INTEGER, time INTEGER);
                DELETE FROM temp.doomed;
                INSERT INTO temp.doomed SELECT id, device, kind, time FROM main.readings
                    WHERE id IN (SELECT id FROM main.readings ORDER BY id LIMIT $n) AND received < $cutoff
                      AND id <= (SELECT upto FROM series.readings_indexed) AND id < (SELECT MAX(id) FROM main.readings);
                DELETE FROM series.readings_by_series
                    WHERE (device, kind, time, id) IN (SELECT device, kind, time, id FROM temp.doomed);
                """;
            select.Parameters.AddWithValue("$n", batchSize);
            select.Parameters.AddWithValue("$cutoff", receivedBefore);
            select.ExecuteNonQuery();
            transaction.Commit();
        }

        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM main.readings WHERE id IN (SELECT id FROM temp.doomed); SELECT COUNT(*) FROM temp.doomed;";
        return Task.FromResult(Convert.ToInt32(delete.ExecuteScalar()));
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
}
