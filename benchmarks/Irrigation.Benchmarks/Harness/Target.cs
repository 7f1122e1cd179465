using Irrigation.Benchmarks.Clients;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Harness;

/// <summary>
/// What a load run talks to: the product (one instance or a cluster), the yardstick relay, or Mosquitto. Its
/// processes are measured together (CPU, RSS); the clients are the same code for all of them.
/// </summary>
public abstract class Target : IAsyncDisposable
{
    /// <summary>The name in the tables ("product FULL", "yardstick", "mosquitto-ws"…).</summary>
    public abstract string Label { get; }

    /// <summary>The server-side processes whose CPU and memory count (with their children).</summary>
    public abstract IReadOnlyList<int> Pids { get; }

    /// <summary>A name for each of <see cref="Pids"/> ("instance 1", "postgres"…).</summary>
    public virtual IReadOnlyList<string> PidLabels => [.. Pids.Select((_, i) => i == 0 ? Label : "process " + (i + 1))];

    /// <summary>The process whose threads are profiled (the relay itself).</summary>
    public virtual int ProfiledPid => Pids[0];

    /// <summary>Connects controller number <paramref name="index"/> (hello done, ready to send).</summary>
    public abstract Task<LoadController> ConnectControllerAsync(int index, Meter meter, CancellationToken ct);

    /// <summary>Connects dashboard number <paramref name="number"/>, which sees every controller's events.</summary>
    public abstract Task<LoadDashboard> ConnectDashboardAsync(int number, IReadOnlyList<LoadController?> controllers, Meter meter);

    /// <summary>Frames the server dropped from full dashboard queues (-1 when it does not say).</summary>
    public virtual Task<long> DroppedAsync() => Task.FromResult(-1L);

    /// <summary>CPU time of each server-side process (with its children) so far, in the order of <see cref="Pids"/>.</summary>
    public TimeSpan[] CpuTimes() => [.. Pids.Select(ProcessStats.TreeCpuTime)];

    /// <summary>RSS of every server-side process now.</summary>
    public long RssBytes() => Pids.Sum(ProcessStats.TreeRssBytes);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();
}
