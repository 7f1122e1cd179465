using System.Data.Common;

namespace Irrigation.Server.Storage;

/// <summary>
/// The server's one database, on SQLite or PostgreSQL: pooled connections, the schema and its migrations, and the
/// ingest writer's session. Everything above it (<see cref="SqlAccountStore"/>, <see cref="SqlEventStore"/>) runs the
/// same SQL on both engines; only connections, DDL and the bulk insert of the writer differ.
/// </summary>
public abstract class Database
{
    /// <summary>"sqlite" or "postgres", for logs and /healthz.</summary>
    public abstract string Engine { get; }

    /// <summary>Where the data is, for logs (a file path or host/database; never a password).</summary>
    public abstract string Location { get; }

    /// <summary>An open pooled connection with the per-connection settings applied. Dispose it.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken ct = default);

    /// <summary>The single ingest writer's session (its own connection and prepared statements).</summary>
    public abstract IIngestSession OpenIngestSession();

    /// <summary>Brings the schema to <see cref="Schema.Latest"/>: a new database in one step, an old one step by step.</summary>
    /// <param name="progress">Receives one line per upgrade step (nothing for a new database).</param>
    public async Task MigrateAsync(Action<string>? progress = null)
    {
        await using var connection = await OpenAsync();
        await using (var create = connection.Command("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)", null))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var transaction = await BeginMigrationAsync(connection);
        var current = (int)(await connection.ScalarInt64Async("SELECT MAX(version) FROM schema_version", transaction) ?? 0);
        if (current > Schema.Latest)
        {
            throw new InvalidOperationException(
                $"The database ({Location}) has schema version {current}, newer than this server's {Schema.Latest}. Use a newer server or another database.");
        }

        if (current == Schema.Latest)
        {
            await SeedAsync(transaction);
            await transaction.CommitAsync();
            return;
        }

        var fresh = current == 0 && !await HasTablesAsync(connection, transaction);
        if (current < Schema.Baseline && !fresh)
        {
            await UpgradeLegacyAsync(connection, transaction, current, progress);
            current = Schema.Baseline;
        }

        foreach (var step in Schema.Steps)
        {
            if (step.Version <= current)
            {
                continue;
            }

            if (!fresh)
            {
                progress?.Invoke($"Upgrading the database schema to version {step.Version}: {step.Description}…");
            }

            await transaction.ExecuteAsync(Engine == "sqlite" ? step.Sqlite : step.Postgres);
        }

        await transaction.ExecuteAsync("DELETE FROM schema_version");
        await transaction.ExecuteAsync("INSERT INTO schema_version(version) VALUES (@v)", ("@v", Schema.Latest));
        await SeedAsync(transaction);
        await transaction.CommitAsync();
    }

    /// <summary>
    /// A transaction that no other migrating process can run beside (two servers, or a CLI command and a server,
    /// starting at once): the second one reads the version again once the first committed.
    /// </summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection);

    /// <summary>True when the database already holds tables of an unversioned layout (nothing to create over).</summary>
    protected abstract Task<bool> HasTablesAsync(DbConnection connection, DbTransaction transaction);

    /// <summary>Moves a database of an older engine-specific layout to <see cref="Schema.Baseline"/>.</summary>
    protected virtual Task UpgradeLegacyAsync(DbConnection connection, DbTransaction transaction, int version, Action<string>? progress) =>
        throw new InvalidOperationException($"The database ({Location}) has schema version {version}, which this server cannot upgrade.");

    // Rows every database needs, kept in step with the code on every start (the readable names of the kinds).
    private static async Task SeedAsync(DbTransaction transaction)
    {
        foreach (var kind in ReadingKinds.All)
        {
            await transaction.ExecuteAsync(
                "INSERT INTO reading_kinds(kind, name) VALUES (@k, @n) ON CONFLICT (kind) DO UPDATE SET name = excluded.name",
                ("@k", (int)kind), ("@n", ReadingKinds.ToEventName(kind)));
        }
    }
}
