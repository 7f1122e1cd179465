using System.Data.Common;
using Irrigation.Server.Options;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// The embedded engine: one file under the data dir, in WAL mode so the history API reads while the ingest writer
/// commits, with <c>synchronous</c> FULL by default so an acknowledged event survives a power loss.
/// </summary>
public sealed class SqliteDatabase : Database
{
    private readonly string _connectionString;
    private readonly string _synchronous;

    /// <summary>Checks the options and creates the data dir; <see cref="Database.MigrateAsync"/> creates the schema.</summary>
    public SqliteDatabase(StorageOptions options)
    {
        _synchronous = options.Synchronous.ToUpperInvariant() switch
        {
            "FULL" => "FULL",
            "NORMAL" => "NORMAL",
            "EXTRA" => "EXTRA",
            _ => throw new InvalidOperationException($"Storage:Synchronous must be FULL, NORMAL or EXTRA, not '{options.Synchronous}'."),
        };
        Path = options.DatabasePath;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Seconds a statement retries while another connection (the CLI, pruning) holds the write lock.
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string Engine => StorageOptions.Sqlite;

    /// <inheritdoc />
    public override string Location => Path;

    /// <inheritdoc />
    public override Task<DbConnection> OpenAsync(CancellationToken ct = default) => Task.FromResult<DbConnection>(Open());

    /// <summary>An open pooled connection (Microsoft.Data.Sqlite is synchronous inside).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // journal_mode is stored in the file; synchronous and foreign_keys are per connection. In WAL mode FULL
        // fsyncs the log at each commit, and the ingest writer acks only after its commit returned.
        command.CommandText = $"PRAGMA journal_mode=WAL; PRAGMA synchronous={_synchronous}; PRAGMA foreign_keys=ON;";
        command.ExecuteNonQuery();
        return connection;
    }

    /// <inheritdoc />
    public override IIngestSession OpenIngestSession() => new SqliteIngestSession(Open());

    /// <inheritdoc />
    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection) =>
        // BEGIN IMMEDIATE takes the write lock first: the second process re-reads the version once the first committed.
        await connection.BeginTransactionAsync();

    /// <inheritdoc />
    protected override async Task<bool> HasTablesAsync(DbConnection connection, DbTransaction transaction) =>
        await connection.ScalarInt64Async(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name <> 'schema_version'", transaction) > 0;

    /// <inheritdoc />
    protected override Task UpgradeLegacyAsync(DbConnection connection, DbTransaction transaction, int version, Action<string>? progress)
    {
        SqliteLegacyUpgrade.Run((SqliteConnection)connection, (SqliteTransaction)transaction, version, progress);
        // The packed releases kept a derived series index beside the database; plain rows need none.
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, "irrigation-series.db" + suffix));
        }

        return Task.CompletedTask;
    }
}
