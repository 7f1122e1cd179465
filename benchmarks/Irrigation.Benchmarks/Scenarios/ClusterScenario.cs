using Irrigation.Benchmarks.Harness;
using Irrigation.Benchmarks.Measurement;
using static Irrigation.Benchmarks.Measurement.ResultTable;

namespace Irrigation.Benchmarks.Scenarios;

/// <summary>
/// The CPU cost per event of the Redis path. The same saturating load (P controllers, S dashboards, rate limit
/// lifted) against one instance on PostgreSQL, and against two instances sharing PostgreSQL and Redis with the
/// controllers on the first and the dashboards on the second, so that every event crosses Redis. Two cores cannot
/// show scaling; the CPU of each process per acknowledged event says what the backplane costs and what one more
/// instance would add.
/// </summary>
public static class ClusterScenario
{
    /// <summary>Runs the rounds and emits the table.</summary>
    public static async Task RunAsync(BenchSettings s)
    {
        var table = new ResultTable($"cluster: {s.ClusterControllers} controllers (window {s.Window}) × {s.Dashboards} dashboards on PostgreSQL, one instance vs two + Redis, {s.Rounds} rounds",
            "setup", "acked/s", "delivered/s", "e2e p50 ms", "e2e p99 ms", "ack p99 ms", "dropped",
            "instance 1 µs/event", "instance 2 µs/event", "redis µs/event", "postgres µs/event", "total µs/event", "client µs/event", "load avg / CPU pressure");
        await using var postgres = await PostgresServer.StartAsync();
        await using var redis = await RedisServer.StartAsync();
        var results = new Dictionary<string, List<LoadResult>>();
        for (var round = 1; round <= s.Rounds; round++)
        {
            foreach (var setup in new[] { "one instance", "two instances + redis" })
            {
                var storage = ProductTarget.Postgres(await postgres.CreateDatabaseAsync());
                await using var target = setup == "one instance"
                    ? await ProductTarget.StartAsync(s, setup, s.ClusterControllers, storage, ProductTarget.Unlimited, 1, ("postgres", ProcessStats.PostmasterPid(postgres.DataDirectory)))
                    : await ProductTarget.StartAsync(s, setup, s.ClusterControllers, storage, [.. ProductTarget.Unlimited, "--ConnectionStrings:Redis", redis.ConnectionString],
                        2, ("redis", redis.ProcessId), ("postgres", ProcessStats.PostmasterPid(postgres.DataDirectory)));
                var r = await LoadRun.RunAsync(target, s, s.ClusterControllers, s.Dashboards, null, s.Window);
                (results.TryGetValue(setup, out var list) ? list : results[setup] = []).Add(r);
                var perEvent = PerEvent(target.PidLabels, r);
                table.Add($"{setup} #{round}", N(r.AckedPerSecond), N(r.DeliveredPerSecond), Ms(r.E2eP50), Ms(r.E2eP99), Ms(r.AckP99), r.Dropped.ToString(Inv),
                    Micros(perEvent, "instance 1"), Micros(perEvent, "instance 2"), Micros(perEvent, "redis"), Micros(perEvent, "postgres"),
                    r.ServerMicrosPerEvent.ToString("0.0", Inv), r.ClientMicrosPerEvent.ToString("0.0", Inv), ProcessStats.LoadAverage());
                Console.WriteLine($"  {setup} #{round}: {N(r.AckedPerSecond)} acked/s, {N(r.DeliveredPerSecond)} delivered/s; instance 1 threads: {r.Threads}");
                if (round == 1)
                {
                    table.Notes.Add($"{setup} #1, instance 1's CPU by thread name: {r.Threads}.");
                }
            }
        }

        var single = Medians(results["one instance"], ["instance 1", "postgres"]);
        var cluster = Medians(results["two instances + redis"], ["instance 1", "instance 2", "redis", "postgres"]);
        var path = cluster["instance 1"] + cluster["instance 2"] + cluster["redis"] - single["instance 1"];
        table.Notes.Add($"Medians per acked event: one instance {single["instance 1"]:0.0} µs (+ postgres {single["postgres"]:0.0} µs); two instances: " +
                        $"the controllers' instance {cluster["instance 1"]:0.0} µs, the dashboards' instance {cluster["instance 2"]:0.0} µs, redis {cluster["redis"]:0.0} µs " +
                        $"(+ postgres {cluster["postgres"]:0.0} µs). The Redis path costs {path:0.0} µs of CPU per event beyond one instance.");
        table.Notes.Add("Each event is published once by the instance holding its controller; every other instance that has a dashboard of the device's " +
                        $"owner receives it from Redis and fans it out: one more such instance adds about {cluster["instance 2"]:0.0} µs per event on itself " +
                        $"(receive and fan-out, as the dashboards' instance here) and up to {cluster["redis"]:0.0} µs in Redis (one more subscriber), " +
                        "while the controllers it takes over bring their own ingest CPU with them.");
        table.Emit(s.Out);
    }

    private static Dictionary<string, double> PerEvent(IReadOnlyList<string> labels, LoadResult r) =>
        labels.Select((label, i) => (label, micros: r.ProcessCpuPercent[i] * 1e4 / Math.Max(1, r.AckedPerSecond))).ToDictionary(x => x.label, x => x.micros);

    private static Dictionary<string, double> Medians(List<LoadResult> runs, string[] labels) =>
        labels.Select((label, i) => (label, median: RelayScenario.Median(runs.Select(r => r.ProcessCpuPercent[i] * 1e4 / Math.Max(1, r.AckedPerSecond)))))
            .ToDictionary(x => x.label, x => x.median);

    private static string Micros(Dictionary<string, double> perEvent, string label) =>
        perEvent.TryGetValue(label, out var v) ? v.ToString("0.0", Inv) : "-";
}
