using System.Data.Common;
using Npgsql;

namespace Irrigation.Server.Storage.Postgres;

/// <summary>
/// PostgreSQL through Npgsql's data source (its connection pool): the engine that several server instances share.
/// Durability is PostgreSQL's own: with <c>synchronous_commit</c> on (its default) a commit returns after the WAL
/// reached the disk, so acks keep their promise.
/// </summary>
public sealed class PostgresDatabase : Database, IAsyncDisposable
{
    // Any number the application alone uses: serialises migrations of servers and CLI commands starting at once.
    private const long MigrationLockKey = 0x49727269_67617465;

    private readonly NpgsqlDataSource _dataSource;

    /// <summary>Creates the pool for <paramref name="connectionString"/> (an Npgsql connection string).</summary>
    public PostgresDatabase(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new InvalidOperationException($"ConnectionStrings:Postgres is not a valid Npgsql connection string: {e.Message}", e);
        }

        Location = $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <inheritdoc />
    public override string Engine => Options.StorageOptions.Postgres;

    /// <inheritdoc />
    public override string Location { get; }

    /// <inheritdoc />
    public override async Task<DbConnection> OpenAsync(CancellationToken ct = default) => await _dataSource.OpenConnectionAsync(ct);

    /// <inheritdoc />
    public override IIngestSession OpenIngestSession() => new PostgresIngestSession(_dataSource.OpenConnection());

    /// <inheritdoc />
    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection)
    {
        var transaction = await connection.BeginTransactionAsync();
        await transaction.ExecuteAsync("SELECT pg_advisory_xact_lock(@k)", ("@k", MigrationLockKey));
        return transaction;
    }

    /// <inheritdoc />
    protected override async Task<bool> HasTablesAsync(DbConnection connection, DbTransaction transaction) =>
        await connection.ScalarInt64Async(
            "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'schema_version'",
            transaction) > 0;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
