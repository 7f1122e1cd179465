using Irrigation.Server.Storage.Sqlite;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Storage;

/// <summary>The sync of the write-ahead log that the ingest writer's acks wait for (Storage:Synchronous FULL).</summary>
public class SqliteLogSyncTests : IDisposable
{
    private readonly string _dir = TestServer.NewTempDir();

    [Fact]
    public void Sync_AppendedLog_Returns()
    {
        var path = Path.Combine(_dir, "irrigation.db-wal");
        File.WriteAllBytes(path, new byte[4096]);
        using var sync = new SqliteLogSync(path);
        File.AppendAllText(path, "more");

        sync.Sync();

        Assert.Equal(4100, new FileInfo(path).Length);
    }

    [Fact]
    public void Sync_FileThatCannotBeSynced_ThrowsInsteadOfAcking()
    {
        // Linux refuses to sync a character device (EINVAL): the failure must reach the syncer, which retries
        // instead of acknowledging what may not be on disk.
        using var sync = new SqliteLogSync("/dev/null");

        var error = Assert.Throws<IOException>(sync.Sync);

        Assert.Contains("/dev/null", error.Message);
    }

    public void Dispose() => TestServer.TryDelete(_dir);
}
