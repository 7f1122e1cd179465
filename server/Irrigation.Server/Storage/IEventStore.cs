namespace Irrigation.Server.Storage;

/// <summary>Readings and events: the ingest path and the history queries.</summary>
public interface IEventStore
{
    /// <summary>Opens the session of the single ingest writer.</summary>
    IIngestSession OpenIngestSession();

    /// <summary>Highest stored seq for (device, boot), 0 if none.</summary>
    Task<long> GetResumeSeqAsync(string deviceId, long boot, CancellationToken ct = default);

    /// <summary>
    /// Readings with <paramref name="from"/> ≤ time &lt; <paramref name="to"/> grouped in buckets of
    /// <paramref name="widthSeconds"/> starting at <paramref name="from"/>; empty buckets are omitted.
    /// </summary>
    Task<IReadOnlyList<ReadingBucket>> GetReadingBucketsAsync(string deviceId, ReadingKind kind, long from, long to, long widthSeconds, CancellationToken ct = default);

    /// <summary>
    /// The water ledger: the litres of the stored measured runs per zone in each bucket [<paramref name="bounds"/>[i],
    /// <paramref name="bounds"/>[i + 1]) by device time; zones without water in a bucket are left out.
    /// </summary>
    Task<IReadOnlyList<WaterTotal>> GetWaterAsync(string deviceId, IReadOnlyList<long> bounds, CancellationToken ct = default);

    /// <summary>Events of the given categories with from ≤ time &lt; to, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<StoredEvent>> GetEventsAsync(string deviceId, long from, long to, int limit, IReadOnlyCollection<string> categories, CancellationToken ct = default);

    /// <summary>The newest reading per kind, the last receive time, recent irrigation and the water alarms' state of a device.</summary>
    Task<DeviceLatest> GetLatestAsync(string deviceId, CancellationToken ct = default);

    /// <summary>
    /// Deletes the readings whose device time is before <paramref name="before"/>, series by series, in statements of
    /// at most <paramref name="batchSize"/> rows with <paramref name="pause"/> between them; returns how many went.
    /// </summary>
    Task<long> PruneReadingsAsync(long before, int batchSize, TimeSpan pause, CancellationToken ct = default);

    /// <summary>The next number N of the command ids "c-N", unique across restarts and server instances.</summary>
    Task<long> NextCommandNumberAsync(CancellationToken ct = default);
}
