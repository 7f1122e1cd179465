using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Irrigation.Server.Storage.Sqlite;
using Irrigation.Server.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Irrigation.Server.Tests.Storage;

/// <summary>
/// Readings as an append-only log with a series index in its own file, filled in steps off the ingest path, and seq
/// marks per stream.
/// </summary>
public class SeriesIndexTests : IDisposable
{
    private const long Day = 1764547200;
    private readonly string _dataDir = TestServer.NewTempDir();

    [Fact]
    public async Task Queries_ReadingsBeforeAndAfterAnIndexStep_EachCountedOnce()
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using var session = events.OpenIngestSession();

        Write(session, 1, 7);
        var beforeStep = (Bucket: await SingleBucketAsync(events), Latest: await LatestAsync(events), Indexed: Upto(database));
        Write(session, 8, 12);
        var stepped = database.SeriesIndex.Step();
        var afterStep = (Bucket: await SingleBucketAsync(events), Latest: await LatestAsync(events), Indexed: Upto(database));
        Write(session, 13, 14);
        var tailAfterStep = await SingleBucketAsync(events);

        Assert.Equal(0, beforeStep.Indexed);
        Assert.Equal(12, stepped);
        Assert.Equal((7L, 10L, 70L), (beforeStep.Bucket.Count, beforeStep.Bucket.Min, beforeStep.Bucket.Max));
        Assert.Equal(70, beforeStep.Latest);
        Assert.Equal(12, afterStep.Indexed);
        Assert.Equal((12L, 10L, 120L), (afterStep.Bucket.Count, afterStep.Bucket.Min, afterStep.Bucket.Max));
        Assert.Equal(65.0, afterStep.Bucket.Avg, 6);
        Assert.Equal(120, afterStep.Latest);
        Assert.Equal(14, tailAfterStep.Count);
        Assert.Equal((1L, 12L), (SeriesScalar(database, "SELECT COUNT(*) FROM series.reading_blocks"), SeriesScalar(database, "SELECT SUM(count) FROM series.reading_blocks")));
        Assert.Equal(2, database.SeriesIndex.Pending);
    }

    [Fact]
    public async Task WriteBatch_CommitFailsThenRetried_StoresEveryEventOnce()
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using var session = events.OpenIngestSession();
        Execute(database, "CREATE TRIGGER refuse BEFORE INSERT ON events WHEN NEW.event = 'log' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END");
        var batch = new IngestRecord?[] { Reading(1), Reading(2), Log(3) };

        var failure = Assert.Throws<SqliteException>(() => session.WriteBatch(batch, new bool[3]));
        Execute(database, "DROP TRIGGER refuse");
        var inserted = new bool[3];
        session.WriteBatch(batch, inserted);
        var again = new bool[3];
        session.WriteBatch(batch, again);

        Assert.Contains("disk trouble", failure.Message);
        Assert.Equal([true, true, true], inserted);
        Assert.Equal([false, false, false], again);
        Assert.Equal(2L, Scalar(database, "SELECT COALESCE(SUM(count), 0) FROM reading_batches"));
        Assert.Equal(3, await events.GetResumeSeqAsync("farm-01", 5));
    }

    [Fact]
    public async Task WriteBatch_NewSessionAfterRestart_RepeatsStillRecognised()
    {
        var (_, events) = await OpenAsync(new StorageOptions());
        using (var first = events.OpenIngestSession())
        {
            first.WriteBatch([Reading(1), Reading(2)], new bool[2]);
        }

        var (database, reopened) = await OpenAsync(new StorageOptions(), provision: false);
        using var second = reopened.OpenIngestSession();
        var inserted = new bool[4];
        second.WriteBatch([Reading(2), Reading(3), Reading(1, boot: 6), Reading(3)], inserted);

        Assert.Equal([false, true, true, false], inserted);
        Assert.Equal(3, await reopened.GetResumeSeqAsync("farm-01", 5));
        Assert.Equal(1, await reopened.GetResumeSeqAsync("farm-01", 6));
        Assert.Equal(4L, Scalar(database, "SELECT COALESCE(SUM(count), 0) FROM reading_batches"));
    }

    [Fact]
    public async Task WriteBatch_WhileTheIndexFileIsWriteLocked_CommitsWithoutWaitingForIt()
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using var session = events.OpenIngestSession();
        using var indexer = new SqliteConnection($"Data Source={database.SeriesIndexPath};Pooling=False");
        indexer.Open();
        using var step = indexer.BeginTransaction();
        Execute(indexer, "UPDATE readings_indexed SET upto = upto", step);

        // SQLite would wait up to the 30 s busy timeout for a lock the batch needed; give it 10 s.
        var write = Task.Run(() => Write(session, 1, 3));
        var finished = await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(10))) == write;
        step.Rollback();
        await write;

        Assert.True(finished, "the ingest commit waited for the series index's write lock");
        Assert.Equal(3L, Scalar(database, "SELECT COALESCE(SUM(count), 0) FROM reading_batches"));
        Assert.Equal(3, database.SeriesIndex.Pending);
    }

    [Fact]
    public async Task CheckpointLog_AfterCommits_CopiesEveryWalFrameIntoTheDatabase()
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using var session = events.OpenIngestSession();
        Write(session, 1, 50);

        var copied = database.SeriesIndex.CheckpointLog();

        // The database file alone, without its WAL, must now hold every reading.
        Assert.True(copied > 0);
        var alone = Path.Combine(Path.GetDirectoryName(database.Path)!, "alone.db");
        File.Copy(database.Path, alone);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = alone, Pooling = false }.ToString());
        connection.Open();
        Assert.Equal(50L, Scalar(connection, "SELECT COALESCE(SUM(count), 0) FROM reading_batches"));
    }

    [Fact]
    public async Task LastSeen_WrittenOnceTheIntervalPassedAndAtShutdown()
    {
        var (_, events) = await OpenAsync(new StorageOptions { SeriesIndexInterval = TimeSpan.FromMilliseconds(300) });
        long? afterFirstBatch, afterInterval, afterShutdown;
        using (var session = events.OpenIngestSession())
        {
            Write(session, 1, 2);
            afterFirstBatch = (await events.GetLatestAsync("farm-01")).LastSeen;
            await Task.Delay(TimeSpan.FromMilliseconds(400));
            Write(session, 3, 3);
            afterInterval = (await events.GetLatestAsync("farm-01")).LastSeen;
            Write(session, 4, 4);
        }

        afterShutdown = (await events.GetLatestAsync("farm-01")).LastSeen;

        Assert.Null(afterFirstBatch);
        Assert.Equal(Day + 60 * 3, afterInterval);
        Assert.Equal(Day + 60 * 4, afterShutdown);
    }

    [Fact]
    public async Task SeriesIndex_FileDeletedWhileStopped_RebuiltFromTheLog()
    {
        var database = await OpenWithReadingsAsync(5, indexed: true);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(database.SeriesIndexPath + suffix);
        }

        var (reopened, reopenedEvents) = await OpenAsync(new StorageOptions(), provision: false);
        var rebuilt = (reopened.SeriesIndex.Rebuilt, reopened.SeriesIndex.Pending, Bucket: await SingleBucketAsync(reopenedEvents));
        var indexed = reopened.SeriesIndex.StepAll();

        Assert.Equal((true, 5L, 5L), (rebuilt.Rebuilt, rebuilt.Pending, rebuilt.Bucket.Count));
        Assert.Equal(5, indexed);
        Assert.Equal(5, (await SingleBucketAsync(reopenedEvents)).Count);
        Assert.Equal(50, await LatestAsync(reopenedEvents));
    }

    [Fact]
    public async Task Step_LogStartingFarAboveTheMark_IndexesTheNextRows()
    {
        // As after a rebuild of a long-running database: pruning removed the first hundred thousand ids.
        var (database, _) = await OpenAsync(new StorageOptions());
        InsertLogRow(database, new LoggedReading(100001, 1, ReadingKind.Temperature, Day, Day, 5, 1, 10, null, null),
            new LoggedReading(100002, 1, ReadingKind.Temperature, Day + 60, Day + 60, 5, 2, 20, null, null));

        var (reopened, reopenedEvents) = await OpenAsync(new StorageOptions(), provision: false);
        var indexed = reopened.SeriesIndex.StepAll();

        Assert.Equal(2, indexed);
        Assert.Equal(100002, Upto(reopened));
        Assert.Equal(2, (await SingleBucketAsync(reopenedEvents)).Count);
        Assert.Equal(0, reopened.SeriesIndex.Step());
    }

    [Fact]
    public async Task SeriesIndex_MarkBeyondTheLog_IndexRebuilt()
    {
        var database = await OpenWithReadingsAsync(3, indexed: true);
        // As if the database had been restored from an older backup while this file kept its newer mark.
        SeriesExecute(database, "UPDATE series.readings_indexed SET upto = 1000; INSERT INTO series.reading_blocks VALUES (1, 1, 0, 999, 0, 999, 1, x'00000E')");

        var (reopened, reopenedEvents) = await OpenAsync(new StorageOptions(), provision: false);
        var rebuilt = reopened.SeriesIndex.Rebuilt;
        reopened.SeriesIndex.StepAll();
        var bucket = await SingleBucketAsync(reopenedEvents);

        Assert.True(rebuilt);
        Assert.Equal(3, Upto(reopened));
        Assert.Equal((3L, 10L, 30L), (bucket.Count, bucket.Min, bucket.Max));
    }

    [Fact]
    public async Task SeriesIndex_FileNotADatabase_ReplacedAndRebuilt()
    {
        await OpenWithReadingsAsync(2, indexed: false);
        var path = new StorageOptions { DataDir = _dataDir }.SeriesIndexPath;
        File.WriteAllText(path, "this is not an SQLite file, but long enough to look like one has a header........");

        var (reopened, reopenedEvents) = await OpenAsync(new StorageOptions(), provision: false);
        var indexed = reopened.SeriesIndex.StepAll();

        Assert.Equal(2, indexed);
        Assert.Equal(2, (await SingleBucketAsync(reopenedEvents)).Count);
    }

    [Fact]
    public async Task Prune_IndexedReadings_RemovedFromLogAndIndex()
    {
        var (database, events) = await OpenAsync(new StorageOptions { RetentionDays = 400, PruneBatchSize = 4 });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using (var session = events.OpenIngestSession())
        {
            // Two commits, as the readings arrived 401 days apart.
            Write(session, Enumerable.Range(1, 6).Select(i => Reading(i, received: now - 401L * 86400)));
            Write(session, Enumerable.Range(7, 4).Select(i => Reading(i, received: now)));
        }

        database.SeriesIndex.StepAll();
        var pruned = await PruneAsync(database, events);

        // 401 days apart, the old and the new readings are in blocks of their own: the old block goes entirely.
        Assert.Equal(6, pruned);
        Assert.Equal(4L, Scalar(database, "SELECT COALESCE(SUM(count), 0) FROM reading_batches"));
        Assert.Equal((1L, 4L), (SeriesScalar(database, "SELECT COUNT(*) FROM series.reading_blocks"), SeriesScalar(database, "SELECT SUM(count) FROM series.reading_blocks")));
        Assert.Equal(4, (await SingleBucketAsync(events)).Count);
    }

    [Fact]
    public async Task Prune_PartOfABlock_PrunedPointsNeitherCountedNorLatest()
    {
        var (database, events) = await OpenAsync(new StorageOptions { RetentionDays = 400, PruneBatchSize = 100 });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using (var session = events.OpenIngestSession())
        {
            // Received long ago but stamped later than the rest (a controller with a wrong clock): the newest times.
            Write(session, Enumerable.Range(1, 6).Select(i => Reading(i, received: now - 401L * 86400, time: Day + 3600 + i)));
            Write(session, Enumerable.Range(7, 4).Select(i => Reading(i, received: now, time: Day + i)));
        }

        database.SeriesIndex.StepAll();
        var pruned = await PruneAsync(database, events);
        var bucket = await SingleBucketAsync(events);

        Assert.Equal(6, pruned);
        Assert.Equal(10L, SeriesScalar(database, "SELECT SUM(count) FROM series.reading_blocks"));
        Assert.Equal((4L, 70L, 100L), (bucket.Count, bucket.Min, bucket.Max));
        Assert.Equal(100, await LatestAsync(events));
    }

    [Fact]
    public async Task Prune_UnindexedAndNewestReadings_Kept()
    {
        var (database, events) = await OpenAsync(new StorageOptions { RetentionDays = 400, PruneBatchSize = 100 });
        var old = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 401L * 86400;
        using var session = events.OpenIngestSession();
        for (var i = 1; i <= 5; i++)
        {
            session.WriteBatch([Reading(i, received: old)], new bool[1]);
        }

        var beforeIndexing = await PruneAsync(database, events);
        database.SeriesIndex.StepAll();
        var afterIndexing = await PruneAsync(database, events);
        // The kept newest row (one commit) keeps new ids above the index mark: a reading written now is still found.
        session.WriteBatch([Reading(6)], new bool[1]);

        Assert.Equal(0, beforeIndexing);
        Assert.Equal(4, afterIndexing);
        Assert.Equal(5L, Scalar(database, "SELECT MIN(first) FROM reading_batches"));
        Assert.Equal(60, await LatestAsync(events));
        Assert.Equal(2, (await SingleBucketAsync(events)).Count);
    }

    [Fact]
    public async Task Migration_Version2DatabaseWithData_KeepsResumeHistoryAndLatest()
    {
        var path = CreateDatabaseAtVersion(2, """
                INSERT INTO readings(device, kind, time, received, boot, seq, value) VALUES
                    (1, 1, 1764547200, 1764547200, 5, 1, 210), (1, 1, 1764547260, 1764547260, 5, 2, 230);
                INSERT INTO events(device, category, event, time, received, boot, seq, data) VALUES
                    (1, 'log', 'log', 1764547300, 1764547300, 5, 3, '{}');
                """);

        var progress = new List<string>();
        using (var upgrade = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            upgrade.Open();
            SqliteMigrations.Apply(upgrade, progress.Add);
        }

        var database = new SqliteDatabase(new StorageOptions { DataDir = _dataDir });
        var events = new SqliteEventStore(database, new SqliteDeviceKeys());
        var bucket = await SingleBucketAsync(events);
        var latest = await LatestAsync(events);
        using var session = events.OpenIngestSession();
        var inserted = new bool[2];
        session.WriteBatch([Reading(3), Reading(4)], inserted);

        using (var connection = database.Open())
        {
            Assert.Equal(SqliteMigrations.LatestVersion, SqliteMigrations.CurrentVersion(connection));
        }

        Assert.Equal(7, progress.Count);
        Assert.StartsWith("Upgrading the database schema from version 2 to 3", progress[0]);
        Assert.StartsWith("Packing 2 readings into the new log", progress[5]);
        Assert.StartsWith("Database schema version 5 ready", progress[6]);
        Assert.Equal((2L, 210L, 230L), (bucket.Count, bucket.Min, bucket.Max));
        Assert.Equal(230, latest);
        Assert.Equal([false, true], inserted);
        Assert.Equal(4, await events.GetResumeSeqAsync("farm-01", 5));
        Assert.Equal(0L, Scalar(database, "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('readings', 'readings_seq', 'readings_series', 'readings_by_series')"));
    }

    [Fact]
    public async Task Migration_Version4ReadingRows_PackedWithTheirIds()
    {
        // Ids 10-12 and 20: a gap starts a new row, so every reading keeps the id the series index knows it by.
        CreateDatabaseAtVersion(4, $"""
                INSERT INTO readings(id, device, kind, time, received, boot, seq, value, raw, zone) VALUES
                    (10, 1, 1, {Day}, {Day + 1}, 5, 1, 210, NULL, NULL), (11, 1, 3, {Day + 60}, {Day + 61}, 5, 2, 300, 1800, 'zone1'),
                    (12, 1, 1, {Day + 120}, {Day + 121}, 5, 3, 230, NULL, NULL), (20, 1, 1, {Day + 180}, {Day + 181}, 5, 4, 250, NULL, NULL);
                """);

        var (database, events) = await OpenAsync(new StorageOptions(), provision: false);
        var readings = LogReadings(database);

        Assert.Equal([(10L, 3L), (20L, 1L)], Rows(database, "SELECT first, count FROM reading_batches ORDER BY first"));
        Assert.Equal(
            [
                new LoggedReading(10, 1, ReadingKind.Temperature, Day, Day + 1, 5, 1, 210, null, null),
                new LoggedReading(11, 1, ReadingKind.SoilMoisture, Day + 60, Day + 61, 5, 2, 300, 1800, "zone1"),
                new LoggedReading(12, 1, ReadingKind.Temperature, Day + 120, Day + 121, 5, 3, 230, null, null),
                new LoggedReading(20, 1, ReadingKind.Temperature, Day + 180, Day + 181, 5, 4, 250, null, null),
            ],
            readings);
        Assert.Equal(0L, Scalar(database, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'readings'"));
        Assert.Equal(4, database.SeriesIndex.StepAll());
        Assert.Equal(250, await LatestAsync(events));
        Assert.Equal(3, (await SingleBucketAsync(events)).Count);
        using var session = events.OpenIngestSession();
        Write(session, 5, 5);
        Assert.Equal(21L, Scalar(database, "SELECT MAX(first) FROM reading_batches"));
    }

    [Fact]
    public async Task Step_MoreReadingsThanABlockHolds_SplitIntoFullBlocks()
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using var session = events.OpenIngestSession();
        Write(session, 1, 300);

        database.SeriesIndex.StepAll();
        var bucket = await SingleBucketAsync(events);

        Assert.Equal([128L, 128L, 44L], SeriesColumn(database, "SELECT count FROM series.reading_blocks ORDER BY first"));
        Assert.Equal((300L, 10L, 3000L), (bucket.Count, bucket.Min, bucket.Max));
        Assert.Equal(3000, await LatestAsync(events));
    }

    [Fact]
    public async Task Step_ReadingsHoursApart_BlocksCutAtTheSpanAndQueriesFromInsideOne()
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using (var session = events.OpenIngestSession())
        {
            // One reading an hour for 21 hours: blocks of at most 6 hours.
            session.WriteBatch(Enumerable.Range(0, 21).Select(h => (IngestRecord?)Reading(h + 1, time: Day + 3600L * h)).ToList(), new bool[21]);
        }

        database.SeriesIndex.StepAll();
        // From 7.5 h: inside the second block, which starts at 7 h.
        var buckets = await events.GetReadingBucketsAsync("farm-01", ReadingKind.Temperature, Day + 27000, Day + 73800, 3600);

        Assert.Equal([0L, 25200L, 50400L], SeriesColumn(database, $"SELECT start - {Day} FROM series.reading_blocks ORDER BY start"));
        Assert.Equal(13, buckets.Count);
        Assert.Equal(Day + 27000, buckets[0].Time);
        Assert.Equal(Enumerable.Range(9, 13).Select(seq => 10L * seq), buckets.Select(b => b.Min));
    }

    [Fact]
    public async Task Step_FewReadingsPerStep_AppendedToTheSeriesLastBlock()
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using var session = events.OpenIngestSession();
        for (var first = 1; first <= 7; first += 3)
        {
            Write(session, first, first + 2);
            database.SeriesIndex.Step();
        }

        var bucket = await SingleBucketAsync(events);

        Assert.Equal([9L], SeriesColumn(database, "SELECT count FROM series.reading_blocks"));
        Assert.Equal((9L, 10L, 90L), (bucket.Count, bucket.Min, bucket.Max));
        Assert.Equal(90, await LatestAsync(events));
    }

    [Fact]
    public async Task Latest_StaleBlockBelowTheFloorWithLaterTimes_Ignored()
    {
        var database = await OpenWithReadingsAsync(5, indexed: true);
        // A block of rows already pruned from the log (ids below its first id), stamped ten days later.
        SeriesExecute(database, $"INSERT INTO series.reading_blocks VALUES (1, 1, {Day + 864000}, 0, {Day + 864000}, 0, 1, x'00000E')");
        var events = new SqliteEventStore(database, new SqliteDeviceKeys());

        Assert.Equal(50, await LatestAsync(events));
        Assert.Equal(5, (await SingleBucketAsync(events)).Count);
    }

    [Fact]
    public async Task Step_DamagedLogRow_PassedOverAndTheNextRowsIndexed()
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using var session = events.OpenIngestSession();
        Write(session, 1, 3);
        Execute(database, "UPDATE reading_batches SET readings = x'FF'");
        Write(session, 4, 5);

        var indexed = database.SeriesIndex.StepAll();

        Assert.Equal(5, indexed);
        Assert.Equal(5, Upto(database));
        Assert.Equal(2, (await SingleBucketAsync(events)).Count);
        Assert.Equal(50, await LatestAsync(events));
    }

    [Fact]
    public async Task Step_LastBlockDamaged_NextReadingsGoToANewBlock()
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using var session = events.OpenIngestSession();
        Write(session, 1, 3);
        database.SeriesIndex.Step();
        SeriesExecute(database, "UPDATE series.reading_blocks SET points = x'FF'");
        Write(session, 4, 6);

        var indexed = database.SeriesIndex.Step();

        Assert.Equal(3, indexed);
        Assert.Equal([3L, 3L], SeriesColumn(database, "SELECT count FROM series.reading_blocks ORDER BY first"));
        Assert.Equal(0, database.SeriesIndex.Pending);
    }

    [Fact]
    public async Task Step_BacklogOlderThanTheLastBlock_NewBlockAndLatestByTime()
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using var session = events.OpenIngestSession();
        // Live readings first, then a backlog of older ones the controller kept while it was offline.
        session.WriteBatch(Enumerable.Range(1, 5).Select(i => (IngestRecord?)Reading(i, time: Day + 1000 + i)).ToList(), new bool[5]);
        database.SeriesIndex.Step();
        session.WriteBatch(Enumerable.Range(6, 5).Select(i => (IngestRecord?)Reading(i, time: Day + i)).ToList(), new bool[5]);
        database.SeriesIndex.Step();

        var early = await events.GetReadingBucketsAsync("farm-01", ReadingKind.Temperature, Day, Day + 1000, 1000);

        Assert.Equal([5L, 5L], SeriesColumn(database, "SELECT count FROM series.reading_blocks ORDER BY first"));
        Assert.Equal((5L, 60L, 100L), (Assert.Single(early).Count, early[0].Min, early[0].Max));
        Assert.Equal(50, await LatestAsync(events));
        Assert.Equal(10, (await SingleBucketAsync(events)).Count);
    }

    [Fact]
    public async Task SeriesIndex_FileOfAnOlderLayout_RebuiltFromTheLog()
    {
        await OpenWithReadingsAsync(5, indexed: false);
        var path = new StorageOptions { DataDir = _dataDir }.SeriesIndexPath;
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        SqliteConnection.ClearAllPools();
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            // The layout of the previous version: one row per reading.
            old.Open();
            Execute(old, """
                CREATE TABLE readings_by_series (device INTEGER NOT NULL, kind INTEGER NOT NULL, time INTEGER NOT NULL, id INTEGER NOT NULL,
                    value INTEGER NOT NULL, PRIMARY KEY (device, kind, time, id)) WITHOUT ROWID;
                CREATE TABLE readings_indexed (upto INTEGER NOT NULL);
                INSERT INTO readings_indexed VALUES (5);
                """);
        }

        var (reopened, reopenedEvents) = await OpenAsync(new StorageOptions(), provision: false);
        var rebuilt = (reopened.SeriesIndex.Rebuilt, reopened.SeriesIndex.Pending);
        var indexed = reopened.SeriesIndex.StepAll();

        Assert.Equal((true, 5L), rebuilt);
        Assert.Equal(5, indexed);
        Assert.Equal(5, (await SingleBucketAsync(reopenedEvents)).Count);
        Assert.Equal(0L, SeriesScalar(reopened, "SELECT COUNT(*) FROM series.sqlite_master WHERE name = 'readings_by_series'"));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(8192, 0)]
    public void Open_NonPositiveSeriesIndexLimits_RefusedWithTheSettingNamed(int rows, int seconds)
    {
        var options = new StorageOptions { DataDir = _dataDir, SeriesIndexRows = rows, SeriesIndexInterval = TimeSpan.FromSeconds(seconds) };

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteDatabase(options));

        Assert.Contains("Storage:SeriesIndexRows", error.Message);
        Assert.Contains("Storage:SeriesIndexInterval", error.Message);
    }

    public void Dispose() => TestServer.TryDelete(_dataDir);

    // A provisioned database holding readings seq 1..count, as a previous run of the server left it.
    private async Task<SqliteDatabase> OpenWithReadingsAsync(int count, bool indexed)
    {
        var (database, events) = await OpenAsync(new StorageOptions());
        using (var session = events.OpenIngestSession())
        {
            Write(session, 1, count);
        }

        if (indexed)
        {
            database.SeriesIndex.StepAll();
        }

        return database;
    }

    private async Task<(SqliteDatabase, SqliteEventStore)> OpenAsync(StorageOptions options, bool provision = true)
    {
        options.DataDir = _dataDir;
        var database = new SqliteDatabase(options);
        if (provision)
        {
            var accounts = new SqliteAccountStore(database);
            await accounts.CreateUserAsync("alice", [1]);
            await accounts.AddDevicesAsync([new NewDevice("farm-01", "alice", [], 1800, [2])]);
        }

        return (database, new SqliteEventStore(database, new SqliteDeviceKeys()));
    }

    // Readings seq first..last, value 10 x seq, one minute apart.
    private static void Write(IIngestSession session, int first, int last) =>
        Write(session, Enumerable.Range(first, last - first + 1).Select(i => Reading(i)));

    // One commit.
    private static void Write(IIngestSession session, IEnumerable<IngestRecord> records)
    {
        var batch = records.Select(r => (IngestRecord?)r).ToList();
        session.WriteBatch(batch, new bool[batch.Count]);
    }

    private static IngestRecord Reading(long seq, long boot = 5, long? received = null, long? time = null) => new()
    {
        DeviceId = "farm-01",
        Event = "temperature",
        Boot = boot,
        Seq = seq,
        Time = time ?? received ?? Day + 60 * seq,
        Received = received ?? Day + 60 * seq,
        Kind = ReadingKind.Temperature,
        Value = 10 * seq,
    };

    private static IngestRecord Log(long seq) => new()
    {
        DeviceId = "farm-01", Event = "log", Boot = 5, Seq = seq, Time = Day, Received = Day, DataJson = "{}",
    };

    private static async Task<ReadingBucket> SingleBucketAsync(IEventStore events) =>
        Assert.Single(await events.GetReadingBucketsAsync("farm-01", ReadingKind.Temperature, 0, Day * 2, Day * 2));

    private static async Task<long> LatestAsync(IEventStore events) =>
        Assert.Single((await events.GetLatestAsync("farm-01")).Readings, r => r.Kind == ReadingKind.Temperature).Value;

    // A database as an older server left it: the schema of that version, user alice, device farm-01 and the data.
    private string CreateDatabaseAtVersion(int version, string data)
    {
        var path = new StorageOptions { DataDir = _dataDir }.DatabasePath;
        Directory.CreateDirectory(_dataDir);
        using var old = new SqliteConnection($"Data Source={path};Pooling=False");
        old.Open();
        Execute(old, $"CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES ({version});");
        Execute(old, string.Concat(SqliteMigrations.Steps[..version]));
        Execute(old, """
            INSERT INTO users VALUES (1, 'alice', x'01', 0);
            INSERT INTO devices VALUES (1, 'farm-01', 1, x'02', '["zone1"]', 1800, 0, NULL);
            """);
        Execute(old, data);
        return path;
    }

    // A log row as the ingest writer would have written it, ids from the first reading's.
    private static void InsertLogRow(SqliteDatabase database, params LoggedReading[] readings)
    {
        using var connection = database.Open();
        using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO reading_batches(first, count, received, readings) VALUES ($f, $c, $r, $b)";
        insert.Parameters.AddWithValue("$f", readings[0].Id);
        insert.Parameters.AddWithValue("$c", readings.Length);
        insert.Parameters.AddWithValue("$r", readings.Max(r => r.Received));
        insert.Parameters.AddWithValue("$b", ReadingBatchCodec.Encode(readings));
        insert.ExecuteNonQuery();
    }

    private static List<LoggedReading> LogReadings(SqliteDatabase database)
    {
        using var connection = database.Open();
        return SqliteReadingLog.ReadAbove(connection, null, 0, withZones: true);
    }

    private static List<(long, long)> Rows(SqliteDatabase database, string sql)
    {
        using var connection = database.Open();
        using var query = connection.CreateCommand();
        query.CommandText = sql;
        using var reader = query.ExecuteReader();
        var rows = new List<(long, long)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return rows;
    }

    private static long Upto(SqliteDatabase database) => SeriesScalar(database, "SELECT upto FROM series.readings_indexed");

    private static Task<long> PruneAsync(SqliteDatabase database, IEventStore events) =>
        new RetentionService(events, Microsoft.Extensions.Options.Options.Create(database.Options), TimeProvider.System, NullLogger<RetentionService>.Instance)
            .PruneOnceAsync(CancellationToken.None);

    private static long Scalar(SqliteDatabase database, string sql)
    {
        using var connection = database.Open();
        return Scalar(connection, sql);
    }

    private static long SeriesScalar(SqliteDatabase database, string sql)
    {
        using var connection = database.OpenWithSeries();
        return Scalar(connection, sql);
    }

    private static long[] SeriesColumn(SqliteDatabase database, string sql)
    {
        using var connection = database.OpenWithSeries();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<long>();
        while (reader.Read())
        {
            values.Add(reader.GetInt64(0));
        }

        return [.. values];
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static void SeriesExecute(SqliteDatabase database, string sql)
    {
        using var connection = database.OpenWithSeries();
        Execute(connection, sql);
    }

    private static void Execute(SqliteDatabase database, string sql)
    {
        using var connection = database.Open();
        Execute(connection, sql);
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
