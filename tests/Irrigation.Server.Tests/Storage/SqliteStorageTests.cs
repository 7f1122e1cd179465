using Irrigation.Server.Options;
using Irrigation.Server.Storage;
using Irrigation.Server.Storage.Sqlite;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Storage;

/// <summary>The storage suite on SQLite, and what only SQLite has: WAL, the upgrade of the packed-log releases.</summary>
public sealed class SqliteStorageTests : StorageSuite, IDisposable
{
    private readonly List<string> _dirs = [];

    /// <inheritdoc />
    protected override Task<Database> CreateDatabaseAsync()
    {
        var dir = TestServer.NewTempDir();
        _dirs.Add(dir);
        return Task.FromResult<Database>(new SqliteDatabase(new StorageOptions { DataDir = dir }));
    }

    [Fact]
    public async Task Open_AnyConnection_WriteAheadLogAndFullSync()
    {
        var database = (SqliteDatabase)await CreateDatabaseAsync();
        await database.MigrateAsync();

        using var connection = database.Open();

        Assert.Equal("wal", await connection.QueryScalarTextAsync("PRAGMA journal_mode"));
        Assert.Equal(2, await connection.ScalarInt64Async("PRAGMA synchronous", null)); // 2 = FULL
    }

    [Fact]
    public async Task Migrate_DatabaseOfThePackedLogRelease_EveryReadingBecomesARow()
    {
        // A database written by the last packed-log release (schema 5): 1,905 readings of two devices in 54 packed
        // rows, 13 events, three boots, and the series index file beside it.
        var dir = TestServer.NewTempDir();
        _dirs.Add(dir);
        File.Copy(RepoPaths.Combine("tests", "Irrigation.Server.Tests", "Storage", "Fixtures", "irrigation-v5.db"), Path.Combine(dir, "irrigation.db"));
        File.WriteAllText(Path.Combine(dir, "irrigation-series.db"), "stale index");
        var database = new SqliteDatabase(new StorageOptions { DataDir = dir });
        var progress = new List<string>();

        await database.MigrateAsync(progress.Add);

        Assert.Contains(progress, line => line.Contains("moving 1905 readings into plain rows"));
        Assert.False(File.Exists(Path.Combine(dir, "irrigation-series.db")));
        using var connection = database.Open();
        Assert.Equal(1905, await connection.ScalarInt64Async("SELECT COUNT(*) FROM readings", null));
        var events = new SqlEventStore(database);
        Assert.Equal(907, await events.GetResumeSeqAsync("farm-02", 222));
        Assert.Equal(1000, await events.GetResumeSeqAsync("farm-01", 111));
        // farm-02's last reading of each kind (the 300th minute: 22:59 on 2025-12-01).
        var latest = await events.GetLatestAsync("farm-02");
        var last = 1764547200 + 299 * 60;
        Assert.Equal(new LatestReading(ReadingKind.Temperature, last, 249, null, null), latest.Readings.Single(r => r.Kind == ReadingKind.Temperature));
        Assert.Equal(new LatestReading(ReadingKind.SoilMoisture, last, 399, 2299, "zone2"), latest.Readings.Single(r => r.Kind == ReadingKind.SoilMoisture));
        Assert.Equal(7, (await events.GetEventsAsync("farm-02", 0, long.MaxValue, 100, EventCategory.All)).Count);
        // Accounts survive with their tokens and zones, and new data goes on where the old stopped.
        var accounts = new SqlAccountStore(database, TimeProvider.System);
        Assert.Equal(["zone1", "zone2"], (await accounts.FindDeviceAsync("farm-01"))!.Zones);
        Assert.True(await events.NextCommandNumberAsync() >= 1);
    }

    public void Dispose()
    {
        foreach (var dir in _dirs)
        {
            TestServer.TryDelete(dir);
        }
    }
}
