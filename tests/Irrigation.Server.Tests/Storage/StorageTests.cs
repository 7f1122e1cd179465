using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Irrigation.Server.Storage.Sqlite;
using Irrigation.Server.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Tests.Storage;

public class StorageTests : IDisposable
{
    private readonly string _dataDir = TestServer.NewTempDir();

    [Fact]
    public void Migrations_NewAndReopenedDatabase_AtLatestVersionWithWal()
    {
        var options = new StorageOptions { DataDir = _dataDir };
        _ = new SqliteDatabase(options);
        var reopened = new SqliteDatabase(options);

        using var connection = reopened.Open();
        using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", mode.ExecuteScalar());
        Assert.Equal(SqliteMigrations.LatestVersion, SqliteMigrations.CurrentVersion(connection));
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM schema_version";
        Assert.Equal(1L, count.ExecuteScalar());
    }

    [Fact]
    public void Migrations_DatabaseFromNewerServer_RefusedWithMessage()
    {
        var options = new StorageOptions { DataDir = _dataDir };
        using (var connection = new SqliteDatabase(options).Open())
        {
            using var bump = connection.CreateCommand();
            bump.CommandText = "UPDATE schema_version SET version = 99";
            bump.ExecuteNonQuery();
        }

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteDatabase(options));

        Assert.Contains("newer", error.Message);
    }

    [Fact]
    public async Task Ingest_DuplicateSeqAcrossReadingsAndEvents_StoredOnce()
    {
        var (accounts, events) = Open();
        await accounts.CreateUserAsync("alice", [1]);
        await accounts.AddDevicesAsync([new NewDevice("farm-01", "alice", [], 1800, [2])]);
        using var session = events.OpenIngestSession();
        var batch = new IngestRecord?[]
        {
            Reading(seq: 1, received: 100),
            new IngestRecord { DeviceId = "farm-01", Event = "log", Boot = 5, Seq = 1, Time = 1, Received = 100, DataJson = "{}" },
            Reading(seq: 1, received: 100),
            new IngestRecord { DeviceId = "farm-01", Event = "log", Boot = 5, Seq = 2, Time = 1, Received = 100, DataJson = "{}" },
            Reading(seq: 2, received: 100),
        };
        var inserted = new bool[batch.Length];

        session.WriteBatch(batch, inserted);

        Assert.Equal([true, false, false, true, false], inserted);
        Assert.Equal(2, await events.GetResumeSeqAsync("farm-01", 5));
        Assert.Equal(0, await events.GetResumeSeqAsync("farm-01", 6));
    }

    [Theory]
    [InlineData("FULL", true, 2L)]
    [InlineData("NORMAL", false, 1L)]
    [InlineData("EXTRA", false, 3L)]
    public async Task IngestSession_BySynchronousMode_DefersItsSyncOnlyForFull(string mode, bool defers, long otherConnections)
    {
        var database = new SqliteDatabase(new StorageOptions { DataDir = _dataDir, Synchronous = mode });
        var accounts = new SqliteAccountStore(database);
        await accounts.CreateUserAsync("alice", [1]);
        await accounts.AddDevicesAsync([new NewDevice("farm-01", "alice", [], 1800, [2])]);
        using var session = new SqliteEventStore(database, new SqliteDeviceKeys()).OpenIngestSession();

        session.WriteBatch([Reading(seq: 1, received: 100)], new bool[1]);
        session.Sync();

        Assert.Equal(defers, session.DefersSync);
        using var other = database.Open();
        using var command = other.CreateCommand();
        // Only the writer's own commits skip the in-commit fsync; every other connection keeps the configured mode.
        command.CommandText = "PRAGMA synchronous";
        Assert.Equal(otherConnections, (long)command.ExecuteScalar()!);
        command.CommandText = "SELECT COALESCE(SUM(count), 0) FROM reading_batches";
        Assert.Equal(1L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task Retention_OldReadings_PrunedInBatchesAndRecentOnesKept()
    {
        var (accounts, events) = Open();
        await accounts.CreateUserAsync("alice", [1]);
        await accounts.AddDevicesAsync([new NewDevice("farm-01", "alice", [], 1800, [2])]);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var old = now - 401L * 86400;
        using (var session = events.OpenIngestSession())
        {
            // Five commits of five readings: four long ago, the last one now.
            for (var first = 1; first <= 25; first += 5)
            {
                var batch = Enumerable.Range(first, 5).Select(i => (IngestRecord?)Reading(i, i <= 20 ? old : now)).ToList();
                session.WriteBatch(batch, new bool[batch.Count]);
            }
        }

        // Pruning takes indexed rows only; the series index service would have indexed them long before.
        new SqliteDatabase(new StorageOptions { DataDir = _dataDir }).SeriesIndex.StepAll();
        var options = Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDir = _dataDir, RetentionDays = 400, PruneBatchSize = 7 });
        var retention = new RetentionService(events, options, TimeProvider.System, NullLogger<RetentionService>.Instance);

        var pruned = await retention.PruneOnceAsync(CancellationToken.None);

        Assert.Equal(20, pruned);
        var left = await events.GetReadingBucketsAsync("farm-01", ReadingKind.Temperature, 0, long.MaxValue / 2, long.MaxValue / 2);
        Assert.Equal(5, Assert.Single(left).Count);
    }

    [Fact]
    public async Task Server_RestartOnSameDataDir_KeepsLastValuesAndCommandNumbers()
    {
        string alice;
        string farm;
        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            alice = await server.CreateUserAsync("alice");
            farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
            await using var controller = await server.ConnectControllerAsync("farm-01", farm);
            var seq = await controller.TemperatureAsync(1764547200, 215);
            await controller.WaitAckAsync(seq);
            using var http = server.Http(alice);
            await http.PostAsync("api/devices/farm-01/stop", new StringContent("{\"zones\":[]}", System.Text.Encoding.UTF8, "application/json"));
            await controller.Socket.WaitForEventAsync("stop");
        }

        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            var board = await server.ConnectDashboardAsync("alice", alice);
            await using var controller = await server.ConnectControllerAsync("farm-01", farm);
            using var http = server.Http(alice);
            var response = await http.PostAsync("api/devices/farm-01/stop", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

            var device = board.Frames[0].GetProperty("data").GetProperty("devices")[0];
            Assert.Equal(215, device.GetProperty("last").GetProperty("temperature").GetProperty("record").GetInt32());
            Assert.True(device.GetProperty("last_seen").GetInt64() > 0);
            Assert.Contains("\"c-2\"", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Server_RestartDuringIrrigation_KeepsOpenZoneAndLeaseClosesEnded()
    {
        string alice;
        string farm;
        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            alice = await server.CreateUserAsync("alice");
            farm = await server.AddDeviceAsync("farm-01", "alice", "zone1", "zone2");
            await using var controller = await server.ConnectControllerAsync("farm-01", farm);
            await controller.SendAsync("irrigation_started", "{\"time\":1764547200,\"zones\":[\"zone2\"],\"reason\":\"manual\",\"duration\":1}");
            await controller.SendAsync("irrigation_stopped", "{\"time\":1764547201,\"zones\":[\"zone2\"],\"reason\":\"completed\"}");
            var seq = await controller.SendAsync("irrigation_started", "{\"time\":1764547202,\"zones\":[\"zone1\"],\"reason\":\"soil_dry\",\"duration\":600}");
            await controller.WaitAckAsync(seq);
        }

        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            using var http = server.Http(alice);
            using var body = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("api/devices"));

            var zones = body.RootElement.GetProperty("devices")[0].GetProperty("zones").EnumerateArray().ToDictionary(z => z.GetProperty("zone").GetString()!);
            Assert.True(zones["zone1"].GetProperty("open").GetBoolean());
            Assert.InRange(zones["zone1"].GetProperty("remaining").GetInt64(), 540, 600);
            Assert.False(zones["zone2"].GetProperty("open").GetBoolean());
        }
    }

    public void Dispose() => TestServer.TryDelete(_dataDir);

    private (IAccountStore, IEventStore) Open()
    {
        var database = new SqliteDatabase(new StorageOptions { DataDir = _dataDir });
        return (new SqliteAccountStore(database), new SqliteEventStore(database, new SqliteDeviceKeys()));
    }

    private static IngestRecord Reading(long seq, long received) => new()
    {
        DeviceId = "farm-01",
        Event = "temperature",
        Boot = 5,
        Seq = seq,
        Time = received,
        Received = received,
        Kind = ReadingKind.Temperature,
        Value = seq,
    };
}
