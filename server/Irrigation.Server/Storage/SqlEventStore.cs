using System.Data.Common;
using System.Text.Json;
using Irrigation.Core.Protocol;

namespace Irrigation.Server.Storage;

/// <summary>History queries over the plain tables, the same SQL on both engines.</summary>
public sealed class SqlEventStore(Database database) : IEventStore
{
    // Enough to cover every zone's last start or stop on any real controller (16 zones at most).
    private const int RecentIrrigationEvents = 64;

    // While a leak lock holds no zone opens, so no high/low/none alert comes after the leak alert: when none of the
    // newest alerts is a leak, the last lock was cleared (a zone ran since). A handful is plenty; this is generous.
    private const int RecentFlowAlerts = 32;

    // A clear_leak whose result is still to come is one of the last few; older ones were answered long ago.
    private const int RecentClearLeaks = 16;

    /// <inheritdoc />
    public IIngestSession OpenIngestSession() => database.OpenIngestSession();

    /// <inheritdoc />
    public async Task<long> GetResumeSeqAsync(string deviceId, long boot, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarInt64Async(
            "SELECT s.seq FROM streams s JOIN devices d ON d.id = s.device WHERE d.device_id = @d AND s.boot = @b",
            null, ("@d", deviceId), ("@b", boot)) ?? 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReadingBucket>> GetReadingBucketsAsync(
        string deviceId, ReadingKind kind, long from, long to, long widthSeconds, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        // Integer division by the width numbers the bucket; the primary key (device, kind, time) is the range scan.
        return await connection.QueryAsync(
            """
            SELECT (r.time - @from) / @width AS bucket, COUNT(*), MIN(r.value), MAX(r.value), SUM(r.value)
            FROM readings r JOIN devices d ON d.id = r.device
            WHERE d.device_id = @d AND r.kind = @k AND r.time >= @from AND r.time < @to
            GROUP BY bucket
            ORDER BY bucket
            """,
            r =>
            {
                var count = r.Int64(1);
                return new ReadingBucket(from + r.Int64(0) * widthSeconds, count, r.Int64(2), r.Int64(3), (double)r.Int64(4) / count);
            },
            null, ("@d", deviceId), ("@k", (int)kind), ("@from", from), ("@to", to), ("@width", widthSeconds));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WaterTotal>> GetWaterAsync(string deviceId, IReadOnlyList<long> bounds, CancellationToken ct = default)
    {
        if (bounds.Count < 2)
        {
            return [];
        }

        // The buckets as rows (index, start, end), joined to the ledger's (device, time) key: one range scan each.
        // Local days are not of equal width (DST), so the bins come from the caller instead of a division.
        var parameters = new List<(string, object?)> { ("@d", deviceId) };
        var rows = new List<string>();
        for (var i = 0; i < bounds.Count; i++)
        {
            parameters.Add(("@b" + i, bounds[i]));
            if (i > 0)
            {
                rows.Add($"({i - 1}, @b{i - 1}, @b{i})");
            }
        }

        await using var connection = await database.OpenAsync(ct);
        return await connection.QueryAsync(
            $"""
            WITH buckets(i, start, finish) AS (VALUES {string.Join(", ", rows)})
            SELECT b.i, w.zone, SUM(w.litres)
            FROM buckets b JOIN water w ON w.time >= b.start AND w.time < b.finish
            WHERE w.device = (SELECT id FROM devices WHERE device_id = @d)
            GROUP BY b.i, w.zone
            ORDER BY b.i, w.zone
            """,
            r => new WaterTotal((int)r.Int64(0), r.GetString(1), r.Int64(2)),
            null, [.. parameters]);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredEvent>> GetEventsAsync(
        string deviceId, long from, long to, int limit, IReadOnlyCollection<string> categories, CancellationToken ct = default)
    {
        if (categories.Count == 0)
        {
            return [];
        }

        var parameters = new List<(string, object?)> { ("@d", deviceId), ("@from", from), ("@to", to), ("@limit", limit) };
        var names = new List<string>();
        foreach (var category in categories)
        {
            names.Add("@c" + names.Count);
            parameters.Add((names[^1], category));
        }

        await using var connection = await database.OpenAsync(ct);
        return await connection.QueryAsync(
            $"""
            SELECT e.event, e.category, e.time, e.received, e.boot, e.seq, e.data
            FROM events e JOIN devices d ON d.id = e.device
            WHERE d.device_id = @d AND e.time >= @from AND e.time < @to AND e.category IN ({string.Join(", ", names)})
            ORDER BY e.time DESC, e.id DESC
            LIMIT @limit
            """,
            r => new StoredEvent(r.GetString(0), r.GetString(1), r.Int64(2), r.Int64(3), r.Int64(4), r.NullableInt64(5), r.GetString(6)),
            null, [.. parameters]);
    }

    /// <inheritdoc />
    public async Task<DeviceLatest> GetLatestAsync(string deviceId, CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        var keys = await connection.QueryAsync(
            "SELECT id, last_seen FROM devices WHERE device_id = @d", r => (Id: r.Int64(0), LastSeen: r.NullableInt64(1)), null, ("@d", deviceId));
        if (keys.Count == 0)
        {
            return new DeviceLatest(null, [], []);
        }

        var (device, lastSeen) = keys[0];
        var readings = new List<LatestReading>();
        foreach (var kind in ReadingKinds.All)
        {
            // The primary key read backwards: one row per series.
            readings.AddRange(await connection.QueryAsync(
                """
                SELECT time, value, raw, zone FROM readings
                WHERE device = @d AND kind = @k
                ORDER BY time DESC, boot DESC, seq DESC
                LIMIT 1
                """,
                r => new LatestReading(kind, r.Int64(0), r.Int64(1), r.NullableInt64(2), r.NullableString(3)),
                null, ("@d", device), ("@k", (int)kind)));
        }

        var (alerts, leakLocked, clearLeakIds) = await WaterAlarmsAsync(connection, device);
        return new DeviceLatest(lastSeen, readings, await RecentIrrigationAsync(connection, device))
        {
            FlowAlerts = alerts,
            LeakLocked = leakLocked,
            ClearLeakIds = clearLeakIds,
        };
    }

    // The newest flow alerts (newest first), whether the newest leak alert still holds its lock (no successful
    // command_result of a clear_leak came after it), and the recent clear_leak ids. Rows are compared by id, the
    // order the single ingest writer stored them in; every query walks the (device, category, received) index.
    private static async Task<(List<FlowAlert> Alerts, bool LeakLocked, List<string> ClearLeakIds)> WaterAlarmsAsync(DbConnection connection, long device)
    {
        var alertRows = await connection.QueryAsync(
            "SELECT id, received, data FROM events WHERE device = @d AND category = @c ORDER BY received DESC, id DESC LIMIT @n",
            r => (Id: r.Int64(0), Received: r.Int64(1), Data: r.GetString(2)), null, ("@d", device), ("@c", EventCategory.FlowAlert), ("@n", RecentFlowAlerts));
        var alerts = new List<FlowAlert>();
        (long Id, long Received)? leak = null;
        foreach (var (id, received, json) in alertRows)
        {
            if (Parse(json, FlowAlert.FromData) is { } alert)
            {
                alerts.Add(alert);
                leak ??= alert.Kind == FlowAlertKinds.Leak ? (id, received) : null;
            }
        }

        var clearIds = (await connection.QueryAsync(
            "SELECT data FROM events WHERE device = @d AND category = @c AND event = @e ORDER BY received DESC, id DESC LIMIT @n",
            r => r.GetString(0), null, ("@d", device), ("@c", EventCategory.Command), ("@e", EventNames.ClearLeak), ("@n", RecentClearLeaks)))
            .Select(json => Parse(json, CommandId)).OfType<string>().ToList();
        if (leak is null || clearIds.Count == 0)
        {
            return (alerts, leak is not null, clearIds);
        }

        // Only the results of those commands: ids are "c-N", so the quoted id matches its own field and nothing else.
        var parameters = new List<(string, object?)>
        {
            ("@d", device), ("@c", EventCategory.Command), ("@e", EventNames.CommandResult), ("@since", leak.Value.Received), ("@after", leak.Value.Id),
        };
        var matches = new List<string>();
        foreach (var id in clearIds)
        {
            matches.Add($"data LIKE @id{matches.Count}");
            parameters.Add(("@id" + (matches.Count - 1), $"%\"{id}\"%"));
        }

        var results = await connection.QueryAsync(
            $"""
            SELECT data FROM events
            WHERE device = @d AND category = @c AND received >= @since AND id > @after AND event = @e AND ({string.Join(" OR ", matches)})
            """,
            r => r.GetString(0), null, [.. parameters]);
        var cleared = results.Any(json => Parse(json, d => d.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True
            && CommandId(d) is { } id && clearIds.Contains(id) ? "cleared" : null) is not null);
        return (alerts, !cleared, clearIds);
    }

    private static string? CommandId(JsonElement data) =>
        data.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    // The data was validated before it was stored; a row that still does not parse counts as nothing.
    private static T? Parse<T>(string json, Func<JsonElement, T?> read)
        where T : class
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return read(document.RootElement);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<List<StoredIrrigation>> RecentIrrigationAsync(DbConnection connection, long device)
    {
        var rows = await connection.QueryAsync(
            """
            SELECT event, received, data FROM events
            WHERE device = @d AND category = @c
            ORDER BY received DESC, id DESC
            LIMIT @n
            """,
            r => (Event: r.GetString(0), Received: r.Int64(1), Data: r.GetString(2)),
            null, ("@d", device), ("@c", EventCategory.Irrigation), ("@n", RecentIrrigationEvents));
        var recent = new List<StoredIrrigation>();
        foreach (var (name, received, json) in Enumerable.Reverse(rows))
        {
            var started = name == EventNames.IrrigationStarted;
            if (!started && name != EventNames.IrrigationStopped)
            {
                continue;
            }

            // The data was validated before it was stored; a row that still does not parse is skipped, not fatal.
            try
            {
                using var data = JsonDocument.Parse(json);
                var root = data.RootElement;
                var zones = root.GetProperty("zones").EnumerateArray().Select(z => z.GetString() ?? "").ToArray();
                recent.Add(new StoredIrrigation(started, received, zones, started ? root.GetProperty("duration").GetInt64() : 0));
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
            }
        }

        return recent;
    }

    /// <inheritdoc />
    public async Task<long> PruneReadingsAsync(long before, int batchSize, TimeSpan pause, CancellationToken ct = default)
    {
        List<long> devices;
        await using (var connection = await database.OpenAsync(ct))
        {
            devices = await connection.QueryAsync("SELECT id FROM devices ORDER BY id", r => r.Int64(0));
        }

        long total = 0;
        foreach (var device in devices)
        {
            foreach (var kind in ReadingKinds.All)
            {
                while (!ct.IsCancellationRequested)
                {
                    int deleted;
                    // A short transaction per statement: the ingest writer waits at most one batch's delete.
                    await using (var connection = await database.OpenAsync(ct))
                    {
                        deleted = await connection.ExecuteAsync(
                            """
                            DELETE FROM readings WHERE (device, kind, time, boot, seq) IN (
                                SELECT device, kind, time, boot, seq FROM readings
                                WHERE device = @d AND kind = @k AND time < @before
                                LIMIT @n)
                            """,
                            ("@d", device), ("@k", (int)kind), ("@before", before), ("@n", batchSize));
                    }

                    total += deleted;
                    if (deleted < batchSize)
                    {
                        break;
                    }

                    await Task.Delay(pause, ct);
                }
            }
        }

        return total;
    }

    /// <inheritdoc />
    public async Task<long> NextCommandNumberAsync(CancellationToken ct = default)
    {
        await using var connection = await database.OpenAsync(ct);
        return await connection.ScalarInt64Async(
            "INSERT INTO counters(name, value) VALUES ('command', 1) ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
            null) ?? throw new InvalidOperationException("the command counter returned no value");
    }
}
