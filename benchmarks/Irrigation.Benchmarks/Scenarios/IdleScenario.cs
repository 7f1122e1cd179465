using System.Diagnostics;
using Irrigation.Benchmarks.Clients;
using Irrigation.Benchmarks.Harness;
using Irrigation.Benchmarks.Measurement;
using static Irrigation.Benchmarks.Measurement.ResultTable;

namespace Irrigation.Benchmarks.Scenarios;

/// <summary>
/// Issue 3: N controllers complete hello and then stay silent (only keepalive); the server's RSS before and after
/// gives the memory per idle connection.
/// </summary>
public static class IdleScenario
{
    /// <summary>Runs the idle scenario against the product (FULL) and emits its table.</summary>
    public static async Task RunAsync(BenchSettings s)
    {
        var table = new ResultTable($"idle: {s.Idle} idle controllers (target < 1 GiB)",
            "target", "connected", "connect s", "RSS before MiB", "RSS after MiB", "RSS after hold MiB", "KiB per connection", "still open");
        await using var target = await Target.StartProductAsync(s, s.Idle, "FULL");
        var meter = new Meter();
        // Let the fresh server settle (JIT, first GC) so the baseline is not its start-up peak.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = ProcessStats.RssBytes(target.Server.Pid);
        var clients = Enumerable.Range(0, s.Idle).Select(i => new ControllerClient(i, target.DeviceTokens[i], meter)).ToArray();
        var watch = Stopwatch.StartNew();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(300));
        var connected = 0;
        try
        {
            await LoadRun.ConnectAllAsync(clients, target.Server.Ws, s.ConnectParallel, timeout.Token);
        }
        catch (Exception e)
        {
            table.Notes.Add($"connecting failed: {e.GetType().Name}: {e.Message}");
        }

        var connectSeconds = watch.Elapsed.TotalSeconds;
        connected = clients.Count(c => c.IsOpen);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = ProcessStats.RssBytes(target.Server.Pid);
        await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, s.Duration - 3)));
        var hold = ProcessStats.RssBytes(target.Server.Pid);
        var open = clients.Count(c => c.IsOpen);
        var serverOpen = await target.Server.MetricAsync("irrigation_connections{kind=\"controller\"}");
        table.Add(target.Label, connected.ToString(), connectSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
            MiB(before), MiB(after), MiB(hold), N((hold - before) / 1024.0 / Math.Max(1, connected)), $"{open} (server: {serverOpen})");
        table.Notes.Add($"Server RSS with {connected} idle controllers: {MiB(hold)} MiB ({(hold < (1L << 30) ? "under" : "over")} the 1 GiB target). " +
                        $"Client process RSS: {MiB(Environment.WorkingSet)} MiB.");
        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        table.Emit(s.Out);
    }
}
