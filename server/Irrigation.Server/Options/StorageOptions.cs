namespace Irrigation.Server.Options;

/// <summary>Where and how data is stored (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Storage";

    /// <summary>The embedded default: one SQLite file under <see cref="DataDir"/>.</summary>
    public const string Sqlite = "sqlite";

    /// <summary>PostgreSQL at <c>ConnectionStrings:Postgres</c> (what several server instances share).</summary>
    public const string Postgres = "postgres";

    /// <summary><see cref="Sqlite"/> (default) or <see cref="Postgres"/>.</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>Folder of the SQLite database (<c>--data-dir</c>); relative paths are relative to the working directory.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Readings whose device time is older than this many days are pruned.</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>Time between two pruning passes.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per pruning transaction; small so ingest never waits long for the write lock.</summary>
    public int PruneBatchSize { get; set; } = 2000;

    /// <summary>
    /// Accepted events waiting for the storage writer. Events reach the dashboards before they are stored; a full
    /// queue makes the controllers' receive loops wait, which slows the controllers down through TCP.
    /// </summary>
    public int IngestQueueLength { get; set; } = 20000;

    /// <summary>Most events committed in one transaction (the writer takes what is queued, up to this).</summary>
    public int IngestBatchSize { get; set; } = 2048;

    /// <summary>
    /// SQLite <c>synchronous</c> mode: FULL (default) fsyncs the write-ahead log at every commit, before its acks,
    /// so an acknowledged event survives a power loss; NORMAL survives a process crash (SIGKILL) but may lose the
    /// last commits on power loss. PostgreSQL uses its own <c>synchronous_commit</c> (on by default).
    /// </summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>Full path of the SQLite database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDir, "irrigation.db"));
}
