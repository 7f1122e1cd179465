namespace Irrigation.Benchmarks.Measurement;

/// <summary>
/// Lock-free log-linear histogram of latencies in microseconds: exact below 1 ms, then 128 sub-buckets per power of
/// two (under 1 % error). Millions of samples cost a fixed few KiB and no allocation, so recording does not disturb
/// what is measured.
/// </summary>
public sealed class LatencyHistogram
{
    private const int Linear = 1024;
    private const int SubBits = 7;
    private const int Sub = 1 << SubBits;
    private readonly long[] _counts = new long[Linear + (40 * Sub)];
    private long _count;
    private long _max;

    /// <summary>Samples recorded.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>Largest sample in microseconds.</summary>
    public long MaxMicros => Interlocked.Read(ref _max);

    /// <summary>Records one latency given in Stopwatch ticks.</summary>
    public void RecordTicks(long ticks) => Record(ticks * 1_000_000 / System.Diagnostics.Stopwatch.Frequency);

    /// <summary>Records one latency in microseconds (negative counts as 0).</summary>
    public void Record(long micros)
    {
        if (micros < 0)
        {
            micros = 0;
        }

        Interlocked.Increment(ref _counts[Index(micros)]);
        Interlocked.Increment(ref _count);
        long seen;
        while (micros > (seen = Interlocked.Read(ref _max)) && Interlocked.CompareExchange(ref _max, micros, seen) != seen)
        {
        }
    }

    /// <summary>The value at quantile q (0..1) in microseconds, 0 when empty.</summary>
    public long PercentileMicros(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= Math.Max(1, rank))
            {
                return Math.Min(UpperBound(i), MaxMicros);
            }
        }

        return MaxMicros;
    }

    private static int Index(long v)
    {
        if (v < Linear)
        {
            return (int)v;
        }

        var exponent = 63 - (int)long.LeadingZeroCount(v); // >= 10
        var mantissa = (int)((v >> (exponent - SubBits)) & (Sub - 1));
        var i = Linear + ((exponent - 10) * Sub) + mantissa;
        return Math.Min(i, Linear + (40 * Sub) - 1);
    }

    private static long UpperBound(int i)
    {
        if (i < Linear)
        {
            return i;
        }

        var exponent = ((i - Linear) / Sub) + 10;
        var mantissa = (i - Linear) % Sub;
        return (1L << exponent) + ((long)(mantissa + 1) << (exponent - SubBits)) - 1;
    }
}
