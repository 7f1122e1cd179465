using Irrigation.Server.Storage;

namespace Irrigation.Server.Relay;

/// <summary>One batch of the ingest pipeline: taken and committed by the writer, then completed in order by the completer.</summary>
public sealed class CommittedBatch(int capacity)
{
    /// <summary>The items, in channel order.</summary>
    public List<IngestItem> Items { get; } = new(capacity);

    /// <summary>What each item stores (null: nothing), parallel to <see cref="Items"/>.</summary>
    public List<IngestRecord?> Records { get; } = new(capacity);

    /// <summary>Set by the commit: true where the record was new and stored (false for repeats and nothing to store).</summary>
    public bool[] Inserted { get; } = new bool[capacity];

    /// <summary>True when the batch had anything to store (a transaction was committed for it).</summary>
    public bool Stored { get; set; }
}
