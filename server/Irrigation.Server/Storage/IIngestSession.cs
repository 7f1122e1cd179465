namespace Irrigation.Server.Storage;

/// <summary>The single writer's handle on storage; used from one thread only.</summary>
public interface IIngestSession : IDisposable
{
    /// <summary>
    /// Stores the batch in one transaction and returns once it is committed and durable. <paramref name="inserted"/>[i]
    /// is false when record i was a repeat (its seq at or below the highest stored for its device and boot) or names
    /// an unknown device. Throws when the commit failed: then nothing of the batch is stored, and the caller retries.
    /// </summary>
    void WriteBatch(IReadOnlyList<IngestRecord> batch, Span<bool> inserted);
}
