using Irrigation.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Support;

/// <summary>
/// The server's real event store whose ingest commits wait until the test opens the gate: shows what the relay does
/// while an event is on its way to the disk.
/// </summary>
public sealed class GatedEventStore(IEventStore inner) : IEventStore
{
    private readonly ManualResetEventSlim _open = new(false);
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wraps the server's IEventStore in a gated one; the instance is in the server's services.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<SqlEventStore>();
        services.AddSingleton(sp => new GatedEventStore(sp.GetRequiredService<SqlEventStore>()));
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<GatedEventStore>());
    }

    /// <summary>Completes when a batch was handed to storage (and is being held).</summary>
    public Task CommitRequested => _requested.Task;

    /// <summary>Lets every commit through from now on.</summary>
    public void Open() => _open.Set();

    /// <inheritdoc />
    public IIngestSession OpenIngestSession() => new Session(inner.OpenIngestSession(), this);

    /// <inheritdoc />
    public Task<long> GetResumeSeqAsync(string deviceId, long boot, CancellationToken ct = default) => inner.GetResumeSeqAsync(deviceId, boot, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<ReadingBucket>> GetReadingBucketsAsync(string deviceId, ReadingKind kind, long from, long to, long widthSeconds, CancellationToken ct = default) =>
        inner.GetReadingBucketsAsync(deviceId, kind, from, to, widthSeconds, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<WaterTotal>> GetWaterAsync(string deviceId, IReadOnlyList<long> bounds, CancellationToken ct = default) =>
        inner.GetWaterAsync(deviceId, bounds, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> GetEventsAsync(string deviceId, long from, long to, int limit, IReadOnlyCollection<string> categories, CancellationToken ct = default) =>
        inner.GetEventsAsync(deviceId, from, to, limit, categories, ct);

    /// <inheritdoc />
    public Task<DeviceLatest> GetLatestAsync(string deviceId, CancellationToken ct = default) => inner.GetLatestAsync(deviceId, ct);

    /// <inheritdoc />
    public Task<long> PruneReadingsAsync(long before, int batchSize, TimeSpan pause, CancellationToken ct = default) =>
        inner.PruneReadingsAsync(before, batchSize, pause, ct);

    /// <inheritdoc />
    public Task<long> NextCommandNumberAsync(CancellationToken ct = default) => inner.NextCommandNumberAsync(ct);

    private sealed class Session(IIngestSession inner, GatedEventStore store) : IIngestSession
    {
        public void WriteBatch(IReadOnlyList<IngestRecord> batch, Span<bool> inserted)
        {
            store._requested.TrySetResult();
            store._open.Wait();
            inner.WriteBatch(batch, inserted);
        }

        public void Dispose()
        {
            store._open.Set();
            inner.Dispose();
        }
    }
}
