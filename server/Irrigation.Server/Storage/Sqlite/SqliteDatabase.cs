using Irrigation.Server.Options;
using Microsoft.Data.Sqlite;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Opens connections to the SQLite database under the data dir and migrates its schema. WAL lets the history API
/// read while the ingest writer commits. The series index lives in a second file (see <see cref="SqliteSeriesIndexer"/>)
/// so that indexing takes that file's write lock, never the ingest writer's.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string _connectionString;
    private readonly string _seriesConnectionString;
    private readonly Lazy<SqliteSeriesIndexer> _seriesIndex;
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
        // A pool of its own: these connections keep the index attached between uses, and Open() must never hand one
        // out (the Cache key, set to its default, only makes the connection string, and so the pool, differ).
        _seriesConnectionString = new SqliteConnectionStringBuilder(_connectionString) { Cache = SqliteCacheMode.Private }.ToString();
        SeriesIndexPath = options.SeriesIndexPath;
        using (var connection = Open())
        {
            SqliteMigrations.Apply(connection, message => Console.Error.WriteLine(message));
        }

        // Created on first use: CLI commands never touch the series index.
        _seriesIndex = new Lazy<SqliteSeriesIndexer>(() => new SqliteSeriesIndexer(this));
    }

    /// <summary>Full path of the series index file.</summary>
    public string SeriesIndexPath { get; }

    /// <summary>The series index of this database (its schema is checked, and rebuilt if stale, on first use).</summary>
    public SqliteSeriesIndexer SeriesIndex => _seriesIndex.Value;

    /// <summary>The options it was opened with.</summary>
    public StorageOptions Options { get; }

    /// <summary>Full path of the database file.</summary>
    public string Path { get; }

    /// <summary>An open (pooled) connection to the database alone, with the per-connection settings applied.</summary>
    public SqliteConnection Open() => Configure(new SqliteConnection(_connectionString), _synchronous);

    /// <summary>
    /// True when the ingest writer's commits are made durable by <see cref="SqliteLogSync"/> instead of inside the
    /// commit (Storage:Synchronous FULL): the same fsync of the log, moved off the writer's thread.
    /// </summary>
    public bool DefersIngestSync => _synchronous == "FULL";

    /// <summary>
    /// The ingest writer's connection. With <see cref="DefersIngestSync"/> its commits do not fsync (NORMAL); the
    /// writer must then have them synced by a <see cref="SqliteLogSync"/> before anything is acknowledged.
    /// </summary>
    public SqliteConnection OpenForIngest() =>
        Configure(new SqliteConnection(_connectionString), DefersIngestSync ? "NORMAL" : _synchronous);

    /// <summary>Full path of the write-ahead log next to the database file.</summary>
    public string LogPath => Path + "-wal";

    /// <summary>
    /// A connection with the series index attached as schema <c>series</c>, for queries and pruning. Never use it for
    /// ingest: a BEGIN IMMEDIATE on it would take the series index's write lock too.
    /// </summary>
    public SqliteConnection OpenWithSeries()
    {
        _ = SeriesIndex;
        return OpenWithSeriesUnchecked();
    }

    /// <summary>Like <see cref="OpenWithSeries"/>, for the indexer that creates the schema.</summary>
    internal SqliteConnection OpenWithSeriesUnchecked()
    {
        var connection = Configure(new SqliteConnection(_seriesConnectionString), _synchronous);
        using var attach = connection.CreateCommand();
        attach.CommandText = "SELECT COUNT(*) FROM pragma_database_list WHERE name = 'series'";
        if ((long)attach.ExecuteScalar()! == 0)
        {
            // The index is derived data: NORMAL survives a crash, and a power loss costs at most a re-index of the tail.
            attach.CommandText = "ATTACH DATABASE $path AS series; PRAGMA series.journal_mode=WAL; PRAGMA series.synchronous=NORMAL;";
            attach.Parameters.AddWithValue("$path", SeriesIndexPath);
            attach.ExecuteNonQuery();
        }

        return connection;
    }

    private SqliteConnection Configure(SqliteConnection connection, string synchronous)
    {
        connection.Open();
        using var command = connection.CreateCommand();
        // journal_mode is stored in the file; synchronous and foreign_keys are per connection.
        // synchronous=FULL in WAL mode fsyncs the log at each commit: an ack (sent after commit) then survives
        // a power loss, not only a process crash. wal_autocheckpoint bounds the WAL (see StorageOptions); the
        // checkpoint runs inside the commit of whichever connection crosses it, after that commit is durable.
        command.CommandText =
            $"PRAGMA journal_mode=WAL; PRAGMA synchronous={synchronous}; PRAGMA foreign_keys=ON; PRAGMA wal_autocheckpoint={_walAutoCheckpoint};";
        command.ExecuteNonQuery();
        return connection;
    }
}
