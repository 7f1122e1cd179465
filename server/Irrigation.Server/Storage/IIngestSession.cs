namespace Irrigation.Server.Storage;

/// <summary>The single writer's handle on storage; used from one thread only.</summary>
public interface IIngestSession : IDisposable
{
    /// <summary>
    /// Stores the batch in one transaction and returns after it committed durably. <paramref name="inserted"/>[i]
    /// is false when record i was a duplicate (same device, boot and seq already stored) or null.
    /// </summary>
    void WriteBatch(IReadOnlyList<IngestRecord?> batch, Span<bool> inserted);
}
