using System.Diagnostics;
using Irrigation.Benchmarks.Clients;
using Irrigation.Benchmarks.Harness;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Scenarios;

/// <summary>The outcome of one load run.</summary>
public sealed record LoadResult(
    string Label, int Controllers, int Dashboards, double Seconds,
    double SentPerSecond, double AckedPerSecond, double DeliveredPerSecond,
    long E2eP50, long E2eP99, long E2eMax, long AckP50, long AckP99, long AckMax,
    long Errors, long Dropped, double ServerCpuPercent, double ClientCpuPercent, long ServerRss, int Disconnected,
    string Threads, IReadOnlyList<double> ProcessCpuPercent)
{
    /// <summary>Server CPU per acknowledged event in µs (100 % = one core for one second).</summary>
    public double ServerMicrosPerEvent => ServerCpuPercent * 1e4 / Math.Max(1, AckedPerSecond);

    /// <summary>Client CPU per acknowledged event in µs.</summary>
    public double ClientMicrosPerEvent => ClientCpuPercent * 1e4 / Math.Max(1, AckedPerSecond);
}

/// <summary>
/// One run: S dashboards join, then P controllers connect and send (fixed rate, or saturating with a window of
/// unacknowledged events); after the warm-up the window opens for the set duration; the senders stop, a short
/// drain, everything is dropped. Bounded in time: every loop ends at stopAt or when its connection fails.
/// </summary>
public static class LoadRun
{
    /// <summary>Runs the load against a started target.</summary>
    public static async Task<LoadResult> RunAsync(Target target, BenchSettings s, int controllers, int dashboards, double? rate, int window)
    {
        var meter = new Meter();
        var clients = new LoadController?[controllers];
        var boards = new List<LoadDashboard>();
        try
        {
            for (var d = 0; d < dashboards; d++)
            {
                boards.Add(await target.ConnectDashboardAsync(d, clients, meter));
            }

            using var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            await ConnectAllAsync(controllers, s.ConnectParallel, async i => clients[i] = await target.ConnectControllerAsync(i, meter, connectTimeout.Token));
            // Let the presence frames of the connects drain before any event is timed.
            await Task.Delay(TimeSpan.FromSeconds(1));

            var stopAt = Stopwatch.GetTimestamp() + (long)((s.Warmup + s.Duration) * Stopwatch.Frequency);
            var senders = rate is double r
                ? clients.Select(c => c!.RunAtRateAsync(TimeSpan.FromSeconds(1 / r), TimeSpan.FromSeconds(Random.Shared.NextDouble() / r), stopAt)).ToArray()
                : clients.Select(c => Task.Run(() => c!.RunSaturatedAsync(window, stopAt))).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(s.Warmup));
            var serverCpu0 = target.CpuTimes();
            var clientCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
            var threads0 = ProcessStats.ThreadCpu(target.ProfiledPid);
            meter.Start();
            await Task.Delay(TimeSpan.FromSeconds(s.Duration));
            meter.Stop();
            var serverCpu = target.CpuTimes().Select((t, i) => t - serverCpu0[i]).ToArray();
            var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpu0;
            var threads = ProcessStats.ThreadProfile(threads0, ProcessStats.ThreadCpu(target.ProfiledPid), meter.Window);
            var rss = target.RssBytes();
            await Task.WhenAny(Task.WhenAll(senders), Task.Delay(TimeSpan.FromSeconds(10)));
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var dropped = await target.DroppedAsync();
            var secs = meter.Window.TotalSeconds;
            return new LoadResult(target.Label, controllers, dashboards, secs,
                meter.Sent / secs, meter.Acked / secs, meter.Delivered / secs,
                meter.EndToEnd.PercentileMicros(0.50), meter.EndToEnd.PercentileMicros(0.99), meter.EndToEnd.MaxMicros,
                meter.Ack.PercentileMicros(0.50), meter.Ack.PercentileMicros(0.99), meter.Ack.MaxMicros,
                clients.Sum(c => c?.Errors ?? 0), dropped, serverCpu.Sum(t => 100 * t.TotalSeconds / secs), 100 * clientCpu.TotalSeconds / secs, rss,
                boards.Count(b => b.ClosedByServer), threads, [.. serverCpu.Select(t => 100 * t.TotalSeconds / secs)]);
        }
        finally
        {
            await Task.WhenAll(clients.Where(c => c is not null).Select(c => c!.DisposeAsync().AsTask()).Concat(boards.Select(b => b.DisposeAsync().AsTask())));
        }
    }

    /// <summary>Runs <paramref name="connect"/> for 0…count-1, <paramref name="parallel"/> at a time.</summary>
    public static async Task ConnectAllAsync(int count, int parallel, Func<int, Task> connect)
    {
        using var gate = new SemaphoreSlim(parallel);
        await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
        {
            await gate.WaitAsync();
            try
            {
                await connect(i);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
