using System.Diagnostics;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Clients;

/// <summary>
/// One dashboard of a load run: every event it receives is matched by (device, seq) to the controller's send time
/// and counted as a delivery with its end-to-end latency.
/// </summary>
public abstract class LoadDashboard(IReadOnlyList<LoadController?> controllers, Meter meter) : IAsyncDisposable
{
    private long _received;

    /// <summary>Events received in total.</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>True if the server closed this dashboard.</summary>
    public abstract bool ClosedByServer { get; }

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <summary>Records the delivery of event <paramref name="seq"/> of controller number <paramref name="device"/>.</summary>
    protected void Delivered(int device, long seq)
    {
        var now = Stopwatch.GetTimestamp();
        var sentAt = device >= 0 && device < controllers.Count ? controllers[device]?.Log.Get(seq) ?? 0 : 0;
        Interlocked.Increment(ref _received);
        meter.OnDelivered(sentAt, now);
    }
}
