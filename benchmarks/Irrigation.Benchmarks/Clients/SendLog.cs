namespace Irrigation.Benchmarks.Clients;

/// <summary>
/// Send timestamps of one controller, indexed by seq, in chunks allocated on demand: the sender writes, the
/// dashboards' receive loops read concurrently, and no resize ever moves data under a reader.
/// </summary>
public sealed class SendLog
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    private readonly long[]?[] _chunks = new long[]?[4096];

    /// <summary>Records when seq was sent (Stopwatch ticks).</summary>
    public void Set(long seq, long ticks)
    {
        var c = (int)(seq >> ChunkBits);
        if (c >= _chunks.Length)
        {
            return;
        }

        var chunk = Volatile.Read(ref _chunks[c]);
        if (chunk is null)
        {
            chunk = new long[ChunkSize];
            Volatile.Write(ref _chunks[c], chunk);
        }

        Volatile.Write(ref chunk[seq & (ChunkSize - 1)], ticks);
    }

    /// <summary>When seq was sent, or 0 if unknown.</summary>
    public long Get(long seq)
    {
        var c = (int)(seq >> ChunkBits);
        if (seq < 0 || c >= _chunks.Length)
        {
            return 0;
        }

        var chunk = Volatile.Read(ref _chunks[c]);
        return chunk is null ? 0 : Volatile.Read(ref chunk[seq & (ChunkSize - 1)]);
    }
}
