using Irrigation.Server.Options;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Opens connections to the one SQLite file under the data dir and migrates its schema. WAL lets the history API
/// read while the ingest writer commits.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _synchronous;
    private readonly int _walAutoCheckpoint;

    /// <summary>Creates the data dir if needed and migrates the schema to the latest version.</summary>
    public SqliteDatabase(StorageOptions options)
    {
        _synchronous = options.Synchronous.ToUpperInvariant() switch
        {
            "FULL" => "FULL",
            "NORMAL" => "NORMAL",
            "EXTRA" => "EXTRA",
            _ => throw new InvalidOperationException($"Storage:Synchronous must be FULL, NORMAL or EXTRA, not '{options.Synchronous}'."),
        };
        _walAutoCheckpoint = options.WalAutoCheckpointPages > 0
            ? options.WalAutoCheckpointPages
            : throw new InvalidOperationException($"Storage:WalAutoCheckpointPages must be positive, not {options.WalAutoCheckpointPages}.");
        if (options.SeriesIndexRows <= 0 || options.SeriesIndexInterval <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"Storage:SeriesIndexRows and Storage:SeriesIndexInterval must be positive, not {options.SeriesIndexRows} and {options.SeriesIndexInterval}.");
        }

        Options = options;
        Path = options.DatabasePath;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Seconds a command retries while another connection (the CLI, pruning) holds the write lock.
            DefaultTimeout = 30,
        }.ToString();
        using var connection = Open();
        SqliteMigrations.Apply(connection, message => Console.Error.WriteLine(message));
    }

    /// <summary>The options it was opened with.</summary>
    public StorageOptions Options { get; }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>An open connection with the per-connection settings applied.</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // journal_mode is stored in the file; synchronous and foreign_keys are per connection.
        // synchronous=FULL in WAL mode fsyncs the log at each commit: an ack (sent after commit) then survives
        // a power loss, not only a process crash. wal_autocheckpoint bounds the WAL (see StorageOptions); the
        // checkpoint runs inside the commit of whichever connection crosses it, after that commit is durable.
        command.CommandText =
            $"PRAGMA journal_mode=WAL; PRAGMA synchronous={_synchronous}; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint={_walAutoCheckpoint};";
        command.ExecuteNonQuery();
        return connection;
    }
}
