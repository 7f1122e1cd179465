using System.Diagnostics;
using System.Globalization;
using System.Net;
using Irrigation.Benchmarks.Harness;
using Irrigation.Benchmarks.Measurement;
using static Irrigation.Benchmarks.Measurement.ResultTable;

namespace Irrigation.Benchmarks.Scenarios;

/// <summary>
/// N controllers complete hello and then stay silent (keepalive only), held by several client processes; the
/// server's RSS before and after gives the memory per idle connection (target ≤ 16 KiB with 18,000 held).
/// </summary>
public static class IdleScenario
{
    /// <summary>Runs the idle cell against the product (SQLite FULL, every default) and emits its table.</summary>
    public static async Task RunAsync(BenchSettings s)
    {
        var table = new ResultTable($"idle: {s.Idle} idle controllers over {s.IdleWorkers} client processes (target ≤ 16 KiB of server RSS per connection)",
            "target", "connected", "connect s", "RSS before MiB", "RSS after MiB", "RSS after hold MiB", "KiB per connection", "still open", "load avg / CPU pressure");
        await using var target = await ProductTarget.StartAsync(s, "product FULL", s.Idle, ProductTarget.Sqlite("FULL"), []);
        var server = target.Instances[0];
        var tokens = Path.Combine(s.DataRoot, $"irrigation-bench-tokens-{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(tokens, target.DeviceTokens);
        // Let the fresh server settle (JIT, first GC) so the baseline is not its start-up peak.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = ProcessStats.RssBytes(server.Pid);
        var workers = new List<Process>();
        try
        {
            var watch = Stopwatch.StartNew();
            var share = (s.Idle + s.IdleWorkers - 1) / s.IdleWorkers;
            for (var k = 0; k < s.IdleWorkers; k++)
            {
                var from = k * share;
                var count = Math.Min(share, s.Idle - from);
                // Each worker from its own source address: ~28,000 ephemeral ports each towards the one server port.
                workers.Add(StartWorker(IdleWorker.Arguments(server.Address, tokens, from, count, IPAddress.Parse($"127.0.0.{2 + k}"), s.ConnectParallel)));
            }

            var connected = 0;
            foreach (var worker in workers)
            {
                var line = await worker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(600)) ?? "connected 0 (worker exited)";
                Console.WriteLine("  idle worker: " + line);
                connected += int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
                if (!line.Contains("failed 0", StringComparison.Ordinal))
                {
                    table.Notes.Add("idle worker: " + line);
                }
            }

            var connectSeconds = watch.Elapsed.TotalSeconds;
            await Task.Delay(TimeSpan.FromSeconds(5));
            var after = ProcessStats.RssBytes(server.Pid);
            await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, s.Duration)));
            var hold = ProcessStats.RssBytes(server.Pid);
            var open = 0;
            foreach (var worker in workers)
            {
                await worker.StandardInput.WriteLineAsync("count");
                var line = await worker.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? "open 0";
                open += int.Parse(line.Split(' ')[1], CultureInfo.InvariantCulture);
            }

            var serverOpen = await Metrics.ReadAsync(server.Address, "irrigation_connections", "kind=controller");
            var perConnection = (hold - before) / 1024.0 / Math.Max(1, connected);
            table.Add(target.Label, connected.ToString(Inv), connectSeconds.ToString("0.0", Inv), MiB(before), MiB(after), MiB(hold),
                perConnection.ToString("0.0", Inv), $"{open} (server: {serverOpen})", ProcessStats.LoadAverage());
            table.Notes.Add($"Server RSS with {connected} idle controllers: {MiB(hold)} MiB, {perConnection:0.0} KiB per connection " +
                            $"({(perConnection <= 16 ? "meets" : "misses")} the 16 KiB target). Client processes' RSS: " +
                            $"{string.Join(", ", workers.Select(w => MiB(ProcessStats.RssBytes(w.Id)) + " MiB"))}.");
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.StandardInput.Close();
                if (!worker.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    worker.Kill(entireProcessTree: true);
                }

                worker.Dispose();
            }

            File.Delete(tokens);
        }

        table.Emit(s.Out);
    }

    private static Process StartWorker(string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(typeof(IdleWorker).Assembly.Location);
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        return Process.Start(info)!;
    }
}
