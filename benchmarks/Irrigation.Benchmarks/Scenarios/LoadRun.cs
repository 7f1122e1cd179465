using System.Diagnostics;
using Irrigation.Benchmarks.Clients;
using Irrigation.Benchmarks.Harness;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Scenarios;

/// <summary>The outcome of one load run.</summary>
public sealed record LoadResult(
    string Label, int Controllers, int Dashboards, string Load, double Seconds,
    double SentPerSecond, double AckedPerSecond, double DeliveredPerSecond,
    long E2eP50, long E2eP99, long E2eMax, long AckP50, long AckP99, long AckMax,
    long Errors, long Dropped, double ServerCpuPercent, double ClientCpuPercent, long ServerRss, int Disconnected);

/// <summary>
/// One run: S dashboards join, then P controllers connect and send (fixed rate, or saturating with a window of
/// unacknowledged events); after the warm-up the window opens for the set duration; senders stop, a short drain,
/// everything is dropped. Bounded in time: every loop ends at stopAt or when its socket fails.
/// </summary>
public static class LoadRun
{
    /// <summary>Runs the load against a started target.</summary>
    public static async Task<LoadResult> RunAsync(Target target, BenchSettings s, int controllers, int dashboards, double? rate, int window)
    {
        var meter = new Meter();
        var clients = Enumerable.Range(0, controllers).Select(i => new ControllerClient(i, target.DeviceTokens[i], meter)).ToArray();
        var boards = Enumerable.Range(0, dashboards).Select(_ => new DashboardClient(clients, meter)).ToArray();
        using var connectTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        foreach (var b in boards)
        {
            await b.ConnectAsync(target.DashboardUri, connectTimeout.Token);
        }

        await ConnectAllAsync(clients, target.Server.Ws, s.ConnectParallel, connectTimeout.Token);
        // Let the presence frames of the connects drain before any event is timed.
        await Task.Delay(TimeSpan.FromSeconds(1));

        var start = Stopwatch.GetTimestamp();
        var stopAt = start + (long)((s.Warmup + s.Duration) * Stopwatch.Frequency);
        var senders = rate is double r
            ? clients.Select(c => c.RunAtRateAsync(TimeSpan.FromSeconds(1 / r), TimeSpan.FromSeconds(Random.Shared.NextDouble() / r), stopAt)).ToArray()
            : clients.Select(c => Task.Run(() => c.RunSaturatedAsync(window, stopAt))).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(s.Warmup));
        var serverCpu0 = ProcessStats.CpuTime(target.Server.Pid);
        var clientCpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        meter.Start();
        await Task.Delay(TimeSpan.FromSeconds(s.Duration));
        meter.Stop();
        var serverCpu = ProcessStats.CpuTime(target.Server.Pid) - serverCpu0;
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpu0;
        var rss = ProcessStats.RssBytes(target.Server.Pid);
        await Task.WhenAny(Task.WhenAll(senders), Task.Delay(TimeSpan.FromSeconds(10)));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var dropped = await target.Server.MetricAsync("irrigation_dropped_total");
        var disconnected = boards.Count(b => b.ClosedByServer);
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()).Concat(boards.Select(b => b.DisposeAsync().AsTask())));

        var secs = meter.Window.TotalSeconds;
        var load = rate is double rr ? $"{rr:0.##}/s each" : $"window {window}";
        return new LoadResult(target.Label, controllers, dashboards, load, secs,
            meter.Sent / secs, meter.Acked / secs, meter.Delivered / secs,
            meter.EndToEnd.PercentileMicros(0.50), meter.EndToEnd.PercentileMicros(0.99), meter.EndToEnd.MaxMicros,
            meter.Ack.PercentileMicros(0.50), meter.Ack.PercentileMicros(0.99), meter.Ack.MaxMicros,
            meter.Errors, dropped, 100 * serverCpu.TotalSeconds / secs, 100 * clientCpu.TotalSeconds / secs, rss, disconnected);
    }

    /// <summary>Connects every controller, <paramref name="parallel"/> at a time.</summary>
    public static async Task ConnectAllAsync(IReadOnlyList<ControllerClient> clients, Uri server, int parallel, CancellationToken ct)
    {
        using var gate = new SemaphoreSlim(parallel);
        var tasks = clients.Select(async c =>
        {
            await gate.WaitAsync(ct);
            try
            {
                await c.ConnectAsync(server, ct);
            }
            finally
            {
                gate.Release();
            }
        }).ToArray();
        await Task.WhenAll(tasks);
    }
}
