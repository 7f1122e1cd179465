using Irrigation.Benchmarks.Harness;
using Irrigation.Benchmarks.Measurement;
using static Irrigation.Benchmarks.Measurement.ResultTable;

namespace Irrigation.Benchmarks.Scenarios;

/// <summary>
/// The relay cells of issue 16, each against the product (SQLite, each synchronous mode), the yardstick and
/// Mosquitto over WebSocket, round by round with the same clients: saturation with P controllers × S dashboards
/// (targets: product ≥ 2× Mosquitto and ≥ 0.8× the yardstick in delivered events/s), and 1,000 controllers at
/// 1 event/s × S dashboards (target: product e2e p99 ≤ 1.2× the yardstick's p99).
/// </summary>
public static class RelayScenario
{
    /// <summary>Runs the fixed-rate cell, then every saturation cell, and emits their tables.</summary>
    public static async Task RunAsync(BenchSettings s)
    {
        if (s.RateControllers > 0)
        {
            await RateCellAsync(s);
        }

        foreach (var controllers in s.Cells)
        {
            await SaturationCellAsync(s, controllers);
        }
    }

    private static async Task RateCellAsync(BenchSettings s)
    {
        var table = Table($"relay: {s.RateControllers} controllers at {s.Rate:0.##} event/s × {s.Dashboards} dashboards, {s.Rounds} rounds (target: product e2e p99 ≤ 1.2× the yardstick's)");
        var runs = await RoundsAsync(s, table, s.RateControllers, s.Rate, ratedProduct: true);
        foreach (var (label, results) in runs.Where(r => r.Key.StartsWith("product", StringComparison.Ordinal) && runs.ContainsKey("yardstick") && runs.ContainsKey("mosquitto-ws")))
        {
            var perRound = results.Select((r, i) => r.E2eP99 / (double)Math.Max(1, runs["yardstick"][i].E2eP99)).ToList();
            table.Notes.Add($"{label}: e2e p99 median {Ms((long)Median(results.Select(r => (double)r.E2eP99)))} ms, yardstick {Ms((long)Median(runs["yardstick"].Select(r => (double)r.E2eP99)))} ms, " +
                            $"mosquitto-ws {Ms((long)Median(runs["mosquitto-ws"].Select(r => (double)r.E2eP99)))} ms; product ÷ yardstick per round {string.Join(", ", perRound.Select(x => x.ToString("0.00", Inv)))}, " +
                            $"median {Median(perRound).ToString("0.00", Inv)} (target ≤ 1.20).");
        }

        table.Notes.Add("Product limits at their defaults (the Relay section of the server's appsettings.json). Latency = controller send -> dashboard receive (e2e) and send -> ack received (ack).");
        table.Emit(s.Out);
    }

    private static async Task SaturationCellAsync(BenchSettings s, int controllers)
    {
        var table = Table($"relay: saturation, {controllers} controllers (window {s.Window}) × {s.Dashboards} dashboards, {s.Rounds} rounds " +
                          "(target: product ≥ 2× mosquitto-ws and ≥ 0.8× the yardstick, delivered/s)");
        var runs = await RoundsAsync(s, table, controllers, null, ratedProduct: false);
        foreach (var (label, results) in runs)
        {
            table.Notes.Add($"{label}: median {N(Median(results.Select(r => r.DeliveredPerSecond)))} delivered/s " +
                            $"({N(results.Min(r => r.DeliveredPerSecond))}–{N(results.Max(r => r.DeliveredPerSecond))}), {N(Median(results.Select(r => r.AckedPerSecond)))} acked/s; " +
                            $"median CPU per acked event: server {Median(results.Select(r => r.ServerMicrosPerEvent)):0.0} µs, clients {Median(results.Select(r => r.ClientMicrosPerEvent)):0.0} µs.");
        }

        foreach (var (label, results) in runs.Where(r => r.Key.StartsWith("product", StringComparison.Ordinal)))
        {
            foreach (var reference in new[] { "yardstick", "mosquitto-ws" }.Where(runs.ContainsKey))
            {
                var perRound = results.Select((r, i) => r.DeliveredPerSecond / Math.Max(1, runs[reference][i].DeliveredPerSecond)).ToList();
                var ofMedians = Median(results.Select(r => r.DeliveredPerSecond)) / Math.Max(1, Median(runs[reference].Select(r => r.DeliveredPerSecond)));
                table.Notes.Add($"{label} ÷ {reference}: {ofMedians.ToString("0.00", Inv)} of the medians; per round {string.Join(", ", perRound.Select(x => x.ToString("0.00", Inv)))} " +
                                $"(target {(reference == "yardstick" ? "≥ 0.80" : "≥ 2.00")}).");
            }
        }

        table.Notes.Add("Product per-device rate limit lifted (--Relay:MaxEventsPerSecond 1000000) so the pipeline is measured, not the limiter.");
        table.Emit(s.Out);
    }

    // Every round runs each target back to back: the yardstick, Mosquitto, then the product in each synchronous mode.
    private static async Task<Dictionary<string, List<LoadResult>>> RoundsAsync(BenchSettings s, ResultTable table, int controllers, double? rate, bool ratedProduct)
    {
        var runs = new Dictionary<string, List<LoadResult>>();
        for (var round = 1; round <= s.Rounds; round++)
        {
            var targets = new List<Func<Task<Target>>>();
            if (s.Targets.Contains("yardstick"))
            {
                targets.Add(async () => await YardstickTarget.StartAsync());
            }

            if (s.Targets.Contains("mosquitto-ws"))
            {
                targets.Add(async () => await MosquittoTarget.StartAsync());
            }

            targets.AddRange(s.Sync.Where(_ => s.Targets.Contains("product")).Select(sync => (Func<Task<Target>>)(async () => await ProductTarget.StartAsync(
                s, "product " + sync, controllers, ProductTarget.Sqlite(sync), ratedProduct ? [] : ProductTarget.Unlimited))));
            foreach (var start in targets)
            {
                await using var target = await start();
                var r = await LoadRun.RunAsync(target, s, controllers, s.Dashboards, rate, s.Window);
                (runs.TryGetValue(r.Label, out var list) ? list : runs[r.Label] = []).Add(r);
                Add(table, r, round);
                Console.WriteLine($"  {r.Label} #{round}: {N(r.DeliveredPerSecond)} delivered/s, e2e p99 {Ms(r.E2eP99)} ms, load average / CPU pressure {ProcessStats.LoadAverage()}; threads: {r.Threads}");
                if (round == 1)
                {
                    table.Notes.Add($"{r.Label} #1, CPU by thread name: {r.Threads}.");
                }
            }
        }

        return runs;
    }

    private static ResultTable Table(string title) => new(title,
        "target", "P", "S", "sent/s", "acked/s", "delivered/s", "e2e p50 ms", "e2e p99 ms", "e2e max ms",
        "ack p50 ms", "ack p99 ms", "errors", "dropped", "server CPU %", "client CPU %", "server µs/event", "server RSS MiB", "load avg / CPU pressure");

    /// <summary>The median (mean of the middle two for an even count).</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Adds one run as a row.</summary>
    public static void Add(ResultTable t, LoadResult r, int round = 0) => t.Add(
        round > 0 ? $"{r.Label} #{round}" : r.Label, r.Controllers.ToString(Inv), r.Dashboards.ToString(Inv), N(r.SentPerSecond), N(r.AckedPerSecond), N(r.DeliveredPerSecond),
        Ms(r.E2eP50), Ms(r.E2eP99), Ms(r.E2eMax), Ms(r.AckP50), Ms(r.AckP99), r.Errors.ToString(Inv),
        r.Dropped < 0 ? "-" : r.Dropped.ToString(Inv), N(r.ServerCpuPercent), N(r.ClientCpuPercent), r.ServerMicrosPerEvent.ToString("0.0", Inv), MiB(r.ServerRss),
        ProcessStats.LoadAverage());
}
