using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Irrigation.Server.Tests.Storage;

/// <summary>
/// What storage promises, asserted through its interfaces only (so the suite survives a change of tables), and run
/// once per engine: <see cref="SqliteStorageTests"/> and <see cref="PostgresStorageTests"/>.
/// </summary>
public abstract class StorageSuite
{
    private const long Boot = 5;

    /// <summary>A new, empty database of the engine under test (not migrated yet).</summary>
    protected abstract Task<Database> CreateDatabaseAsync();

    [Fact]
    public async Task Migrate_NewDatabase_CreatedInOneStepSilentlyAndAgainIsANoOp()
    {
        var database = await CreateDatabaseAsync();
        var progress = new List<string>();

        await database.MigrateAsync(progress.Add);
        await database.MigrateAsync(progress.Add);

        Assert.Empty(progress);
        var (accounts, _) = Stores(database);
        Assert.True((await accounts.CreateUserAsync("alice", [1])).Ok);
    }

    [Fact]
    public async Task Migrate_DatabaseFromANewerServer_RefusedWithWhatToDo()
    {
        var database = await CreateDatabaseAsync();
        await database.MigrateAsync();
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE schema_version SET version = 999");
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => database.MigrateAsync());

        Assert.Contains("newer", error.Message);
    }

    [Fact]
    public async Task Accounts_ImportWithADuplicate_NothingCreatedAndTheItemNamed()
    {
        var (accounts, _) = await OpenAsync();
        await accounts.CreateUserAsync("alice", [1]);
        await accounts.AddDevicesAsync([new NewDevice("farm-01", "alice", ["zone1"], 1800, [2])]);

        var result = await accounts.AddDevicesAsync(
        [
            new NewDevice("farm-02", "alice", [], 900, [3]),
            new NewDevice("farm-01", "alice", [], 900, [4]),
        ]);
        var unknownOwner = await accounts.AddDevicesAsync([new NewDevice("farm-03", "nobody", [], 900, [5])]);

        Assert.Equal(new ProvisionResult(ProvisionError.Duplicate, 1), result);
        Assert.Equal(new ProvisionResult(ProvisionError.UnknownOwner, 0), unknownOwner);
        Assert.Null(await accounts.FindDeviceAsync("farm-02"));
        Assert.Equal(ProvisionError.Duplicate, (await accounts.CreateUserAsync("alice", [9])).Error);
        Assert.Equal("alice", await accounts.FindUserByTokenHashAsync([1]));
        var device = (await accounts.FindDeviceAsync("farm-01"))!;
        Assert.Equal(["zone1"], device.Zones);
        Assert.Equal(1800, device.MaxDurationSeconds);
    }

    [Fact]
    public async Task Ingest_DuplicateSeqAcrossReadingsAndEvents_StoredOnce()
    {
        var (_, events) = await OpenAsync(withDevice: true);
        using var session = events.OpenIngestSession();
        IngestRecord[] batch =
        [
            Reading(seq: 1, time: 100),
            Log(seq: 1, time: 100),
            Reading(seq: 1, time: 100),
            Log(seq: 2, time: 101),
            Reading(seq: 2, time: 101),
        ];
        var inserted = new bool[batch.Length];

        session.WriteBatch(batch, inserted);

        Assert.Equal([true, false, false, true, false], inserted);
        Assert.Equal(2, await events.GetResumeSeqAsync("farm-01", Boot));
        Assert.Equal(0, await events.GetResumeSeqAsync("farm-01", Boot + 1));
        Assert.Equal(1, Total(await Buckets(events, 0, 1000)));
        Assert.Single(await events.GetEventsAsync("farm-01", 0, 1000, 10, EventCategory.All));
    }

    [Fact]
    public async Task Ingest_ReplaysAcrossRestartsAndUnknownDevices_EverySeqStoredExactlyOnce()
    {
        var (_, events) = await OpenAsync(withDevice: true);
        var random = new Random(7);
        var sent = 0L;
        // Ten "restarts" (a new session each), each replaying a random part of what was already sent.
        for (var restart = 0; restart < 10; restart++)
        {
            using var session = events.OpenIngestSession();
            var from = Math.Max(1, sent - random.Next(0, 40));
            var to = sent + random.Next(1, 60);
            var batch = new List<IngestRecord>();
            for (var seq = from; seq <= to; seq++)
            {
                batch.Add(seq % 7 == 0 ? Log(seq, 1000 + seq) : Reading(seq, 1000 + seq));
            }

            batch.Add(Reading(1, 1) with { DeviceId = "nobody" });
            var inserted = new bool[batch.Count];
            session.WriteBatch(batch, inserted);
            Assert.Equal(to - sent, inserted.Count(i => i));
            Assert.False(inserted[^1]);
            sent = to;
        }

        Assert.Equal(sent, await events.GetResumeSeqAsync("farm-01", Boot));
        var readings = Enumerable.Range(1, (int)sent).Count(seq => seq % 7 != 0);
        Assert.Equal(readings, Total(await Buckets(events, 0, 100_000)));
        Assert.Equal(sent - readings, (await events.GetEventsAsync("farm-01", 0, 100_000, 1000, EventCategory.All)).Count);
    }

    [Fact]
    public async Task Ingest_TwoWritersOfTheSameBootAtOnce_EverySeqStoredOnce()
    {
        // Two instances while a controller moves from one to the other: the first still holds events in flight when
        // the second gets all of them again (a controller resends in order from welcome.resume).
        var (_, events) = await OpenAsync(withDevice: true);
        const int count = 400;
        async Task WriteAll(int batchSize)
        {
            await Task.Yield();
            using var session = events.OpenIngestSession();
            foreach (var chunk in Enumerable.Range(1, count).Chunk(batchSize))
            {
                var batch = chunk.Select(s => Reading(s, s)).ToList();
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        session.WriteBatch(batch, new bool[batch.Count]);
                        break;
                    }
                    catch (System.Data.Common.DbException) when (attempt < 5)
                    {
                        // A writer that lost a race on a unique key retries, as the ingest pipeline does.
                    }
                }
            }
        }

        await Task.WhenAll(Task.Run(() => WriteAll(40)), Task.Run(() => WriteAll(25)));

        Assert.Equal(count, Total(await Buckets(events, 0, 100_000)));
        Assert.Equal(count, await events.GetResumeSeqAsync("farm-01", Boot));
    }

    [Fact]
    public async Task Buckets_RandomReadings_EqualAnIndependentComputation()
    {
        var (_, events) = await OpenAsync(withDevice: true);
        var random = new Random(11);
        var readings = Enumerable.Range(1, 3000).Select(seq => (Seq: (long)seq, Time: 10_000L + random.Next(0, 86_400), Value: (long)random.Next(-400, 1500))).ToList();
        using (var session = events.OpenIngestSession())
        {
            foreach (var chunk in readings.Chunk(500))
            {
                var batch = chunk.Select(r => Reading(r.Seq, r.Time) with { Value = r.Value }).ToList();
                session.WriteBatch(batch, new bool[batch.Count]);
            }
        }

        for (var query = 0; query < 20; query++)
        {
            long from = 10_000 + random.Next(-1000, 40_000);
            var to = from + random.Next(1, 60_000);
            long width = random.Next(1, 5000);

            var buckets = await events.GetReadingBucketsAsync("farm-01", ReadingKind.Temperature, from, to, width);

            var expected = readings.Where(r => r.Time >= from && r.Time < to)
                .GroupBy(r => (r.Time - from) / width)
                .OrderBy(g => g.Key)
                .Select(g => new ReadingBucket(from + g.Key * width, g.Count(), g.Min(r => r.Value), g.Max(r => r.Value), g.Average(r => (double)r.Value)))
                .ToList();
            Assert.Equal(expected.Count, buckets.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i] with { Avg = 0 }, buckets[i] with { Avg = 0 });
                Assert.Equal(expected[i].Avg, buckets[i].Avg, 9);
            }
        }
    }

    [Fact]
    public async Task Latest_ReadingsAndIrrigation_NewestPerKindAndTheZonesEvents()
    {
        var (_, events) = await OpenAsync(withDevice: true);
        using (var session = events.OpenIngestSession())
        {
            IngestRecord[] batch =
            [
                Reading(1, 500) with { Value = 210 },
                Reading(2, 400) with { Value = 199 }, // older time, later seq: not the latest
                Reading(3, 450) with { Event = "soil_moisture", Kind = ReadingKind.SoilMoisture, Value = 333, Raw = 2100, Zone = "zone1" },
                Event(4, 460, "irrigation_started", """{"time":460,"zones":["zone1"],"reason":"manual","duration":600}"""),
                Event(5, 470, "irrigation_stopped", """{"time":470,"zones":["zone1"],"reason":"manual"}"""),
            ];
            session.WriteBatch(batch, new bool[batch.Length]);
        }

        var latest = await events.GetLatestAsync("farm-01");

        Assert.Equal(new LatestReading(ReadingKind.Temperature, 500, 210, null, null), latest.Readings.Single(r => r.Kind == ReadingKind.Temperature));
        Assert.Equal(new LatestReading(ReadingKind.SoilMoisture, 450, 333, 2100, "zone1"), latest.Readings.Single(r => r.Kind == ReadingKind.SoilMoisture));
        Assert.DoesNotContain(latest.Readings, r => r.Kind == ReadingKind.Humidity);
        Assert.Equal([true, false], latest.RecentIrrigation.Select(i => i.Started));
        Assert.Equal(600, latest.RecentIrrigation[0].DurationSeconds);
        Assert.Equal(["zone1"], latest.RecentIrrigation[1].Zones);
        Assert.Equal(new DeviceLatest(null, [], []).LastSeen, (await events.GetLatestAsync("nobody")).LastSeen);
    }

    [Fact]
    public async Task Events_CategoriesRangeAndLimit_NewestFirst()
    {
        var (_, events) = await OpenAsync(withDevice: true);
        using (var session = events.OpenIngestSession())
        {
            IngestRecord[] batch =
            [
                Log(1, 100),
                Event(2, 200, "status", """{"time":200,"uptime":1,"free_heap":1,"rssi":-50,"open_zones":[],"buffered":0,"dropped":0}"""),
                Log(3, 300),
                Log(4, 400),
                new IngestRecord { DeviceId = "farm-01", Event = "stop", Time = 350, Received = 350, DataJson = """{"id":"c-1","zones":[]}""" },
            ];
            session.WriteBatch(batch, new bool[batch.Length]);
        }

        var logs = await events.GetEventsAsync("farm-01", 150, 400, 10, [EventCategory.Log]);
        var all = await events.GetEventsAsync("farm-01", 0, 1000, 3, EventCategory.All);

        Assert.Equal([300L], logs.Select(e => e.Time));
        Assert.Equal([400L, 350L, 300L], all.Select(e => e.Time));
        Assert.Null(all[1].Seq);
        Assert.Equal(EventCategory.Command, all[1].Category);
    }

    [Fact]
    public async Task Retention_ReadingsOlderThanTheCutoff_PrunedInBatchesAndRecentKept()
    {
        var (_, events) = await OpenAsync(withDevice: true);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var old = now - 401L * 86400;
        using (var session = events.OpenIngestSession())
        {
            var batch = Enumerable.Range(1, 25).Select(i => Reading(i, i <= 20 ? old + i : now)).ToList();
            session.WriteBatch(batch, new bool[batch.Count]);
        }

        var options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { RetentionDays = 400, PruneBatchSize = 7 });
        var retention = new RetentionService(events, options, TimeProvider.System, NullLogger<RetentionService>.Instance);

        var pruned = await retention.PruneOnceAsync(CancellationToken.None);

        Assert.Equal(20, pruned);
        Assert.Equal(5, Total(await Buckets(events, 0, long.MaxValue / 2)));
        Assert.Equal(25, await events.GetResumeSeqAsync("farm-01", Boot));
    }

    [Fact]
    public async Task CommandNumbers_TwoStoresOnOneDatabase_NeverRepeat()
    {
        var database = await CreateDatabaseAsync();
        await database.MigrateAsync();
        var first = new SqlEventStore(database);
        var second = new SqlEventStore(database);

        var numbers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? first : second).NextCommandNumberAsync()));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), numbers.Order());
    }

    [Fact]
    public async Task Water_RepeatsReplaysAndOtherDevices_EachStoredVolumeSummedOnceInItsBucket()
    {
        var (accounts, events) = await OpenAsync(withDevice: true);
        await accounts.AddDevicesAsync([new NewDevice("farm-02", "alice", ["zone1"], 1800, [3])]);
        IngestRecord[] first =
        [
            Stopped(1, 100, ["zone1"], 50),
            Stopped(1, 100, ["zone1"], 50), // a repeat in the same batch
            Stopped(2, 150, ["zone2"], 70),
            Event(3, 160, "irrigation_stopped", """{"time":160,"zones":["zone1"],"reason":"manual"}"""), // no meter: no volume
            Stopped(4, 250, ["zone1"], 25),
        ];
        var inserted = new bool[first.Length];
        using (var session = events.OpenIngestSession())
        {
            session.WriteBatch(first, inserted);
        }

        // A restart, then the controller resends everything (its ack was lost), and another device waters too.
        using (var session = events.OpenIngestSession())
        {
            IngestRecord[] replay = [.. first, Stopped(1, 120, ["zone1"], 999) with { DeviceId = "farm-02" }];
            session.WriteBatch(replay, new bool[replay.Length]);
        }

        var totals = await events.GetWaterAsync("farm-01", [0, 200, 300]);
        var later = await events.GetWaterAsync("farm-01", [300, 400]);

        Assert.Equal([true, false, true, true, true], inserted);
        Assert.Equal([new WaterTotal(0, "zone1", 50), new WaterTotal(0, "zone2", 70), new WaterTotal(1, "zone1", 25)], totals);
        Assert.Empty(later);
        Assert.Equal([new WaterTotal(0, "zone1", 999)], await events.GetWaterAsync("farm-02", [0, 200]));
    }

    [Fact]
    public async Task Migrate_VolumesAndFlowAlertsStoredBeforeTheLedger_BackfilledAndRecategorised()
    {
        var database = await CreateDatabaseAsync();
        await database.MigrateAsync();
        var (accounts, events) = Stores(database);
        await accounts.CreateUserAsync("alice", [1]);
        await accounts.AddDevicesAsync([new NewDevice("farm-01", "alice", ["zone1", "zone2"], 1800, [2])]);
        using (var session = events.OpenIngestSession())
        {
            IngestRecord[] batch =
            [
                Stopped(1, 100, ["zone1"], 120),
                Stopped(2, 110, ["zone1", "zone2"], 30),
                Stopped(3, 120, [], 5),
                Event(4, 130, "irrigation_stopped", """{"time":130,"zones":["zone2"],"reason":"failsafe"}"""),
                Event(5, 140, "flow_alert", """{"time":140,"kind":"leak","expected":0,"measured":35}"""),
            ];
            session.WriteBatch(batch, new bool[batch.Length]);
        }

        // The database as schema 8 left it: no ledger, flow alerts filed under log.
        await using (var connection = await database.OpenAsync())
        {
            await connection.ExecuteAsync("DROP TABLE water");
            await connection.ExecuteAsync("UPDATE events SET category = 'log' WHERE event = 'flow_alert'");
            await connection.ExecuteAsync("UPDATE schema_version SET version = 8");
        }

        var progress = new List<string>();
        await database.MigrateAsync(progress.Add);

        Assert.Contains(progress, line => line.Contains("version 9"));
        Assert.Equal(
            [new WaterTotal(0, "*", 5), new WaterTotal(0, "zone1", 120), new WaterTotal(0, "zone1+zone2", 30)],
            await events.GetWaterAsync("farm-01", [0, 1000]));
        var alert = Assert.Single(await events.GetEventsAsync("farm-01", 0, 1000, 10, [EventCategory.FlowAlert]));
        Assert.Equal("flow_alert", alert.Event);
        Assert.Empty(await events.GetEventsAsync("farm-01", 0, 1000, 10, [EventCategory.Log]));
    }

    [Fact]
    public async Task Latest_LeakAlertsAndClearLeakCommands_LockedUntilAnOkResultOfAClearSentAfterIt()
    {
        var (_, events) = await OpenAsync(withDevice: true);
        using var session = events.OpenIngestSession();
        void Write(params IngestRecord[] batch) => session.WriteBatch(batch, new bool[batch.Length]);

        Write(
            Event(1, 100, "flow_alert", """{"time":100,"zone":"zone1","kind":"high","expected":180,"measured":560}"""),
            Command(105, "clear_leak", """{"id":"c-1"}"""),
            Event(2, 106, "command_result", """{"time":106,"id":"c-1","ok":true}"""), // cleared before the leak
            Event(3, 110, "flow_alert", """{"time":110,"kind":"leak","expected":0,"measured":35}"""));
        var leaked = await events.GetLatestAsync("farm-01");
        Write(
            Command(115, "irrigate", """{"id":"c-2","zones":["zone1"],"duration":60}"""),
            Event(4, 116, "command_result", """{"time":116,"id":"c-2","ok":true}"""), // not a clear
            Command(120, "clear_leak", """{"id":"c-3"}"""),
            Event(5, 121, "command_result", """{"time":121,"id":"c-3","ok":false,"error":"busy"}"""));
        var refused = await events.GetLatestAsync("farm-01");
        Write(
            Command(130, "clear_leak", """{"id":"c-4"}"""),
            Event(6, 131, "command_result", """{"time":131,"ok":true,"id":"c-4"}"""));
        var cleared = await events.GetLatestAsync("farm-01");

        Assert.True(leaked.LeakLocked);
        Assert.Equal(["leak", "high"], leaked.FlowAlerts.Select(a => a.Kind));
        Assert.Equal(new FlowAlert(100, "zone1", "high", 180, 560), leaked.FlowAlerts[1]);
        Assert.Null(leaked.FlowAlerts[0].Zone);
        Assert.True(refused.LeakLocked);
        Assert.Equal(["c-3", "c-1"], refused.ClearLeakIds);
        Assert.False(cleared.LeakLocked);
        Assert.False((await events.GetLatestAsync("nobody")).LeakLocked);
    }

    private async Task<(IAccountStore, IEventStore)> OpenAsync(bool withDevice = false)
    {
        var database = await CreateDatabaseAsync();
        await database.MigrateAsync();
        var (accounts, events) = Stores(database);
        if (withDevice)
        {
            await accounts.CreateUserAsync("alice", [1]);
            await accounts.AddDevicesAsync([new NewDevice("farm-01", "alice", ["zone1"], 1800, [2])]);
        }

        return (accounts, events);
    }

    private static (IAccountStore, IEventStore) Stores(Database database) =>
        (new SqlAccountStore(database, TimeProvider.System), new SqlEventStore(database));

    private static Task<IReadOnlyList<ReadingBucket>> Buckets(IEventStore events, long from, long to) =>
        events.GetReadingBucketsAsync("farm-01", ReadingKind.Temperature, from, to, to - from);

    private static long Total(IReadOnlyList<ReadingBucket> buckets) => buckets.Sum(b => b.Count);

    private static IngestRecord Reading(long seq, long time) => new()
    {
        DeviceId = "farm-01",
        Event = "temperature",
        Boot = Boot,
        Seq = seq,
        Time = time,
        Received = time,
        Kind = ReadingKind.Temperature,
        Value = seq % 1000,
    };

    // irrigation_stopped with a measured volume, as the controller handler hands it to storage.
    private static IngestRecord Stopped(long seq, long time, string[] zones, long litres) =>
        Event(seq, time, "irrigation_stopped",
            $$"""{"time":{{time}},"zones":[{{string.Join(",", zones.Select(z => $"\"{z}\""))}}],"reason":"completed","litres":{{litres}}}""")
        with { Litres = litres, Zone = WaterZone.Of(zones) };

    // A command the server sent (no boot, no seq).
    private static IngestRecord Command(long time, string name, string data) =>
        new() { DeviceId = "farm-01", Event = name, Time = time, Received = time, DataJson = data };

    private static IngestRecord Log(long seq, long time) =>
        Event(seq, time, "log", $$"""{"time":{{time}},"level":"W","message":"m{{seq}}"}""");

    private static IngestRecord Event(long seq, long time, string name, string data) => new()
    {
        DeviceId = "farm-01",
        Event = name,
        Boot = Boot,
        Seq = seq,
        Time = time,
        Received = time,
        DataJson = data,
    };
}
