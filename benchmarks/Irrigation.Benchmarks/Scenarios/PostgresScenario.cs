using Irrigation.Benchmarks.Harness;
using Irrigation.Benchmarks.Measurement;
using static Irrigation.Benchmarks.Measurement.ResultTable;

namespace Irrigation.Benchmarks.Scenarios;

/// <summary>
/// Ingest on the PostgreSQL provider: P controllers, each keeping a window of unacknowledged events, no dashboards,
/// against PostgreSQL 15 started here on 127.0.0.1 with a private data dir (fsync and synchronous_commit on, as
/// shipped); SQLite FULL under the same load beside it. Target: ≥ 20,000 acknowledged events/s from 1,000 controllers.
/// </summary>
public static class PostgresScenario
{
    /// <summary>Runs the rounds and emits the table.</summary>
    public static async Task RunAsync(BenchSettings s)
    {
        var table = new ResultTable($"ingest: {s.IngestControllers} controllers (window {s.Window}), no dashboards, PostgreSQL 15 and SQLite FULL, {s.Rounds} rounds " +
                                    "(target: PostgreSQL ≥ 20,000 acked events/s)",
            "storage", "controllers", "acked/s", "ack p50 ms", "ack p99 ms", "ack max ms", "errors", "server CPU %", "of it postgres %", "client CPU %", "server µs/event", "server RSS MiB", "load avg / CPU pressure");
        await using var postgres = await PostgresServer.StartAsync();
        var results = new Dictionary<string, List<LoadResult>>();
        for (var round = 1; round <= s.Rounds; round++)
        {
            foreach (var storage in new[] { "postgres", "sqlite FULL" })
            {
                await using var target = storage == "postgres"
                    ? await ProductTarget.StartAsync(s, "postgres", s.IngestControllers, ProductTarget.Postgres(await postgres.CreateDatabaseAsync()),
                        ProductTarget.Unlimited, 1, ("postgres", ProcessStats.PostmasterPid(postgres.DataDirectory)))
                    : await ProductTarget.StartAsync(s, "sqlite FULL", s.IngestControllers, ProductTarget.Sqlite("FULL"), ProductTarget.Unlimited);
                var r = await LoadRun.RunAsync(target, s, s.IngestControllers, 0, null, s.Window);
                (results.TryGetValue(storage, out var list) ? list : results[storage] = []).Add(r);
                table.Add($"{storage} #{round}", s.IngestControllers.ToString(Inv), N(r.AckedPerSecond), Ms(r.AckP50), Ms(r.AckP99), Ms(r.AckMax), r.Errors.ToString(Inv),
                    N(r.ServerCpuPercent), r.ProcessCpuPercent.Count > 1 ? N(r.ProcessCpuPercent[1]) : "-", N(r.ClientCpuPercent), r.ServerMicrosPerEvent.ToString("0.0", Inv),
                    MiB(r.ServerRss), ProcessStats.LoadAverage());
                Console.WriteLine($"  {storage} #{round}: {N(r.AckedPerSecond)} acked/s; threads: {r.Threads}");
                if (round == 1)
                {
                    table.Notes.Add($"{storage} #1, the server's CPU by thread name: {r.Threads}.");
                }
            }
        }

        foreach (var (storage, runs) in results)
        {
            table.Notes.Add($"{storage}: median {N(RelayScenario.Median(runs.Select(r => r.AckedPerSecond)))} acked events/s " +
                            $"({N(runs.Min(r => r.AckedPerSecond))}–{N(runs.Max(r => r.AckedPerSecond))}).");
        }

        table.Notes.Add("An ack leaves only after the transaction holding the event committed. Server CPU includes PostgreSQL's processes " +
                        "(the postmaster and its backends); the per-device rate limit is lifted.");
        table.Emit(s.Out);
    }
}
