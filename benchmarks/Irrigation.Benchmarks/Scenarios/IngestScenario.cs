using Irrigation.Benchmarks.Harness;
using Irrigation.Benchmarks.Measurement;
using static Irrigation.Benchmarks.Measurement.ResultTable;

namespace Irrigation.Benchmarks.Scenarios;

/// <summary>
/// Issue 4: sustained ingest with acks, no dashboards: 1, 100 and 1000 controllers each keeping a window of
/// unacknowledged events in flight, for each synchronous mode.
/// </summary>
public static class IngestScenario
{
    /// <summary>Runs every (mode, controller count) pair and emits one table.</summary>
    public static async Task RunAsync(BenchSettings s)
    {
        var table = new ResultTable($"ingest: events/s with acks (window {s.Window} per controller, no dashboards)",
            "sync", "controllers", "acked/s", "ack p50 ms", "ack p99 ms", "ack max ms", "errors", "server CPU %", "client CPU %", "server RSS MiB");
        foreach (var sync in s.Sync)
        {
            foreach (var count in s.IngestCounts)
            {
                await using var target = await Target.StartProductAsync(s, count, sync, RelayScenario.Unlimited);
                var r = await LoadRun.RunAsync(target, s, count, 0, null, s.Window);
                table.Add(sync, count.ToString(), N(r.AckedPerSecond), Ms(r.AckP50), Ms(r.AckP99), Ms(r.AckMax), r.Errors.ToString(),
                    N(r.ServerCpuPercent), N(r.ClientCpuPercent), MiB(r.ServerRss));
            }
        }

        table.Notes.Add("An ack is sent only after the transaction holding the event committed; ack latency = event sent -> ack received.");
        table.Emit(s.Out);
    }
}
