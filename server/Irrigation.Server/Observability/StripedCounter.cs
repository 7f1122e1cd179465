namespace Irrigation.Server.Observability;

/// <summary>
/// An exact counter bumped from every core at frame rate: each core adds to its own cell (a cache line of its own),
/// so the increments of the receive loops, the completer and the dashboard writers do not fight over one line.
/// Reading sums the cells (a scrape, not a hot path).
/// </summary>
public sealed class StripedCounter
{
    // 128 bytes apart: adjacent-line prefetching pairs 64-byte lines.
    private const int Spacing = 16;

    private readonly long[] _cells = new long[Environment.ProcessorCount * Spacing];

    /// <summary>Adds one.</summary>
    public void Increment()
    {
        // The processor id is a hint: a thread that moves on just lands on another cell, and Interlocked keeps it exact.
        var cell = Thread.GetCurrentProcessorId() % Environment.ProcessorCount * Spacing;
        Interlocked.Increment(ref _cells[cell]);
    }

    /// <summary>The total so far.</summary>
    public long Value
    {
        get
        {
            long total = 0;
            for (var i = 0; i < _cells.Length; i += Spacing)
            {
                total += Interlocked.Read(ref _cells[i]);
            }

            return total;
        }
    }
}
