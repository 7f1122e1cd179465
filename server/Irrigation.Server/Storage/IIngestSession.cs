namespace Irrigation.Server.Storage;

/// <summary>The single writer's handle on storage; used from one thread only.</summary>
public interface IIngestSession : IDisposable
{
    /// <summary>
    /// Stores the batch in one transaction and returns after it committed, durably unless <see cref="DefersSync"/>.
    /// <paramref name="inserted"/>[i] is false when record i was a duplicate (same device, boot and seq already
    /// stored) or null.
    /// </summary>
    void WriteBatch(IReadOnlyList<IngestRecord?> batch, Span<bool> inserted);

    /// <summary>
    /// True when a commit is durable only once a later <see cref="Sync"/> returned: nothing may be acknowledged
    /// before that.
    /// </summary>
    bool DefersSync { get; }

    /// <summary>
    /// Makes every batch committed before the call durable. The one method that may run on another thread, while
    /// <see cref="WriteBatch"/> stores the next batch.
    /// </summary>
    void Sync();
}
