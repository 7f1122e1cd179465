namespace Irrigation.Server.Options;

/// <summary>Where and how data is stored (configuration section <c>Storage</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Storage";

    /// <summary>Folder of the SQLite database (<c>--data-dir</c>); relative paths are relative to the working directory.</summary>
    public string DataDir { get; set; } = "./data";

    /// <summary>Raw readings older than this many days (by server receive time) are pruned.</summary>
    public int RetentionDays { get; set; } = 400;

    /// <summary>Time between two pruning passes.</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Rows deleted per pruning transaction; small so ingest never waits long for the write lock.</summary>
    public int PruneBatchSize { get; set; } = 2000;

    /// <summary>Accepted events waiting for the storage writer; a full queue slows the sending controllers down.</summary>
    public int IngestQueueLength { get; set; } = 20000;

    /// <summary>
    /// Most events committed in one transaction. One commit's events reach a dashboard queue at once, so keep this
    /// well below Relay:DashboardQueueLength (default 4 batches of headroom).
    /// </summary>
    public int IngestBatchSize { get; set; } = 256;

    /// <summary>
    /// SQLite <c>synchronous</c> mode: FULL (default) fsyncs the WAL after every commit and before its acks, so an
    /// ack survives a power loss (the ingest writer's fsync runs on a syncer thread of its own, one fsync for all
    /// the commits before it, while the writer stores the next batch); NORMAL survives a process crash (SIGKILL)
    /// but may lose the last commits on power loss.
    /// </summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>
    /// SQLite <c>wal_autocheckpoint</c> in pages (4 KiB each): the commit that grows the WAL past this many pages
    /// copies it back into the database (and fsyncs it) on the ingest writer's thread, for a WAL of at most ~40 MiB.
    /// A passive checkpoint from the series indexer's thread every <see cref="SeriesIndexInterval"/> normally leaves
    /// that one only the last interval's pages to copy.
    /// </summary>
    public int WalAutoCheckpointPages { get; set; } = 10000;

    /// <summary>
    /// Readings are indexed by series (device, kind, time) in the background, in steps, not one commit at a time: a
    /// step runs when this many readings are unindexed, or <see cref="SeriesIndexInterval"/> after the last step.
    /// Queries read the unindexed rows too, so the lag only bounds how much of the log a history query scans.
    /// </summary>
    public int SeriesIndexRows { get; set; } = 32768;

    /// <summary>
    /// Longest time between two series index steps while readings arrive (see <see cref="SeriesIndexRows"/>); also
    /// how late <c>devices.last_seen</c> may be written (the live value is in memory).
    /// </summary>
    public TimeSpan SeriesIndexInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Full path of the database file.</summary>
    public string DatabasePath => Path.GetFullPath(Path.Combine(DataDir, "irrigation.db"));

    /// <summary>
    /// Full path of the series index file beside the database: derived from the readings, rebuilt when missing or
    /// when it does not match the database (after restoring a backup of <see cref="DatabasePath"/> alone).
    /// </summary>
    public string SeriesIndexPath => Path.GetFullPath(Path.Combine(DataDir, "irrigation-series.db"));
}
