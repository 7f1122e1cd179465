using System.Diagnostics;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Clients;

/// <summary>
/// One simulated controller of a load run, whatever carries its events (the product's WebSocket protocol or MQTT):
/// numbered temperature events, either at a fixed rate or as fast as a window of unacknowledged events allows. The
/// send time of every seq is kept so that dashboards and acks can be matched to it.
/// </summary>
public abstract class LoadController(int index, Meter meter) : IAsyncDisposable
{
    private SemaphoreSlim? _window;
    private long _acked;
    private long _lastSent;

    /// <summary>The controller's number (device b-NNNNN).</summary>
    public int Index { get; } = index;

    /// <summary>When each seq was sent.</summary>
    public SendLog Log { get; } = new();

    /// <summary>True while the connection is open.</summary>
    public abstract bool IsOpen { get; }

    /// <summary>Error frames the server sent.</summary>
    public virtual int Errors => 0;

    /// <summary>Sends one as fast as the window allows, until stopAt.</summary>
    public async Task RunSaturatedAsync(int window, long stopAt)
    {
        _window = new SemaphoreSlim(window, int.MaxValue);
        while (Stopwatch.GetTimestamp() < stopAt)
        {
            if (!await _window.WaitAsync(TimeSpan.FromSeconds(5)))
            {
                return; // No ack for 5 s: the server is gone or stuck; the report shows it.
            }

            if (!await SendNextAsync())
            {
                return;
            }
        }
    }

    /// <summary>Sends one event every period (the first after phase) until stopAt.</summary>
    public async Task RunAtRateAsync(TimeSpan period, TimeSpan phase, long stopAt)
    {
        var start = Stopwatch.GetTimestamp();
        for (var k = 0L; ; k++)
        {
            var due = start + (long)((phase + (period * k)).TotalSeconds * Stopwatch.Frequency);
            if (due >= stopAt)
            {
                return;
            }

            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            if (!await SendNextAsync())
            {
                return;
            }
        }
    }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>Sends the event <paramref name="seq"/>; false when the connection failed.</summary>
    protected abstract ValueTask<bool> SendAsync(long seq, long time, int record);

    /// <summary>A cumulative ack: every seq up to <paramref name="upTo"/> is acknowledged.</summary>
    protected void AckedUpTo(long upTo)
    {
        var now = Stopwatch.GetTimestamp();
        var from = Interlocked.Read(ref _acked);
        if (upTo <= from)
        {
            return;
        }

        for (var s = from + 1; s <= upTo; s++)
        {
            meter.OnAcked(Log.Get(s), now);
        }

        Interlocked.Exchange(ref _acked, upTo);
        _window?.Release((int)(upTo - from));
    }

    /// <summary>An ack of the one event <paramref name="seq"/> (MQTT's PUBACK).</summary>
    protected void AckedOne(long seq)
    {
        meter.OnAcked(Log.Get(seq), Stopwatch.GetTimestamp());
        _window?.Release();
    }

    private async ValueTask<bool> SendNextAsync()
    {
        var seq = ++_lastSent;
        var now = Stopwatch.GetTimestamp();
        Log.Set(seq, now);
        meter.OnSent(now);
        return await SendAsync(seq, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 200 + (int)(seq % 50));
    }
}
