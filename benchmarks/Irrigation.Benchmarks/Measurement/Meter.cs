using System.Diagnostics;

namespace Irrigation.Benchmarks.Measurement;

/// <summary>
/// The measurement window of one run and everything counted in it. Samples outside the window (connecting, warm-up,
/// drain) are ignored, so the numbers describe the steady state.
/// </summary>
public sealed class Meter
{
    private long _start = long.MaxValue;
    private long _end = long.MaxValue;
    private long _delivered;
    private long _acked;
    private long _sent;

    /// <summary>Controller send → dashboard receive.</summary>
    public LatencyHistogram EndToEnd { get; } = new();

    /// <summary>Controller send → ack covering it received.</summary>
    public LatencyHistogram Ack { get; } = new();

    /// <summary>True when the timestamp lies in the window.</summary>
    public bool InWindow(long ticks) => ticks >= Volatile.Read(ref _start) && ticks < Volatile.Read(ref _end);

    /// <summary>Opens the window now.</summary>
    public void Start() => Volatile.Write(ref _start, Stopwatch.GetTimestamp());

    /// <summary>Closes the window now.</summary>
    public void Stop() => Volatile.Write(ref _end, Stopwatch.GetTimestamp());

    /// <summary>Length of the window.</summary>
    public TimeSpan Window => Stopwatch.GetElapsedTime(_start, _end);

    /// <summary>Events received by dashboards in the window.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Events acknowledged in the window.</summary>
    public long Acked => Interlocked.Read(ref _acked);

    /// <summary>Events sent in the window.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Counts a dashboard delivery received at <paramref name="now"/>, sent at <paramref name="sentAt"/>.</summary>
    public void OnDelivered(long sentAt, long now)
    {
        if (!InWindow(now))
        {
            return;
        }

        Interlocked.Increment(ref _delivered);
        if (sentAt != 0)
        {
            EndToEnd.RecordTicks(now - sentAt);
        }
    }

    /// <summary>Counts an acknowledged event.</summary>
    public void OnAcked(long sentAt, long now)
    {
        if (!InWindow(now))
        {
            return;
        }

        Interlocked.Increment(ref _acked);
        if (sentAt != 0)
        {
            Ack.RecordTicks(now - sentAt);
        }
    }

    /// <summary>Counts a sent event.</summary>
    public void OnSent(long now)
    {
        if (InWindow(now))
        {
            Interlocked.Increment(ref _sent);
        }
    }
}
