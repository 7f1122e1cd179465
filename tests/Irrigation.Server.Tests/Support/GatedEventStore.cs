using Irrigation.Server.Storage;
using Irrigation.Server.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Support;

/// <summary>
/// The real SQLite store whose ingest session defers its sync, and holds every sync until the test opens the gate:
/// shows what the relay does between a commit and its fsync.
/// </summary>
public sealed class GatedEventStore(SqliteEventStore inner) : IEventStore
{
    private readonly ManualResetEventSlim _open = new(false);
    private readonly TaskCompletionSource _requested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Replaces the server's IEventStore with a gated one; the instance is in the server's services.</summary>
    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<SqliteEventStore>();
        services.AddSingleton<GatedEventStore>();
        services.AddSingleton<IEventStore>(sp => sp.GetRequiredService<GatedEventStore>());
    }

    /// <summary>Completes when a sync of stored events was requested (and is being held).</summary>
    public Task SyncRequested => _requested.Task;

    /// <summary>Lets every sync through from now on.</summary>
    public void Open() => _open.Set();

    /// <inheritdoc />
    public IIngestSession OpenIngestSession() => new Session(inner.OpenIngestSession(), this);

    /// <inheritdoc />
    public Task<long> GetResumeSeqAsync(string deviceId, long boot, CancellationToken ct = default) => inner.GetResumeSeqAsync(deviceId, boot, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<ReadingBucket>> GetReadingBucketsAsync(string deviceId, ReadingKind kind, long from, long to, long widthSeconds, CancellationToken ct = default) =>
        inner.GetReadingBucketsAsync(deviceId, kind, from, to, widthSeconds, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredEvent>> GetEventsAsync(string deviceId, long from, long to, int limit, IReadOnlyCollection<string> categories, CancellationToken ct = default) =>
        inner.GetEventsAsync(deviceId, from, to, limit, categories, ct);

    /// <inheritdoc />
    public Task<DeviceLatest> GetLatestAsync(string deviceId, CancellationToken ct = default) => inner.GetLatestAsync(deviceId, ct);

    /// <inheritdoc />
    public Task<int> PruneReadingsAsync(long receivedBefore, int batchSize, CancellationToken ct = default) => inner.PruneReadingsAsync(receivedBefore, batchSize, ct);

    /// <inheritdoc />
    public Task<long> GetLastCommandNumberAsync(CancellationToken ct = default) => inner.GetLastCommandNumberAsync(ct);

    private sealed class Session(IIngestSession inner, GatedEventStore store) : IIngestSession
    {
        public bool DefersSync => true;

        public void WriteBatch(IReadOnlyList<IngestRecord?> batch, Span<bool> inserted) => inner.WriteBatch(batch, inserted);

        public void Sync()
        {
            store._requested.TrySetResult();
            store._open.Wait();
            inner.Sync();
        }

        public void Dispose()
        {
            store._open.Set();
            inner.Dispose();
        }
    }
}
