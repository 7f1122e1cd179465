using Irrigation.Benchmarks.Harness;
using Irrigation.Benchmarks.Measurement;
using Irrigation.Benchmarks.Scenarios;
using Irrigation.Benchmarks.Yardstick;

// Load benchmarks of issue 16 (docs/benchmarks.md). Not a test: run it with benchmarks/run.sh.
const string usage = """
    Usage: benchmarks/run.sh <relay|idle|postgres|cluster|all> [flags]
      relay     saturation cells (--cells) and the fixed-rate cell, product vs yardstick vs mosquitto-ws
      idle      idle controllers held by client processes; server RSS per connection
      postgres  ingest on PostgreSQL 15 (and SQLite FULL beside it)
      cluster   CPU per event of the Redis path: one instance vs two + Redis
    Flags: --duration S (15)  --warmup S (6)  --rounds N (3)  --cells 100,1000|none  --dashboards S (5)  --window N (8)
      --rate-controllers P (1000)  --rate R (1)  --idle N (18000)  --idle-workers K (4)  --ingest-controllers P (1000)
      --cluster-controllers P (100)  --sync FULL[,NORMAL]  --connect-parallel N (64)  --out FILE (benchmarks/results/latest.md)
      --targets yardstick,mosquitto-ws,product  --data-root DIR (temp)  --server-dll PATH
    """;

switch (args.FirstOrDefault())
{
    case "yardstick-serve":
        return await MinimalRelay.RunAsync(args[1..]);
    case "idle-worker":
        ThreadPool.SetMinThreads(16, 16);
        return await IdleWorker.RunAsync(args[1..]);
    case "relay" or "idle" or "postgres" or "cluster" or "all":
        break;
    default:
        Console.Error.WriteLine(usage);
        return 2;
}

var settings = BenchSettings.Parse(args[1..], out var error);
if (settings is null)
{
    Console.Error.WriteLine("error: " + error);
    Console.Error.WriteLine(usage);
    return 2;
}

// Thousands of sockets at once: enough pool threads that connecting does not wait on thread injection.
ThreadPool.SetMinThreads(Math.Max(16, Environment.ProcessorCount * 4), 16);
var header = $"\n## Run of `{string.Join(' ', args)}`\n\nMachine: {ProcessStats.Machine(settings.DataRoot, settings.RepoRoot)}\n";
Console.WriteLine(header.Trim());
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.Out))!);
File.AppendAllText(settings.Out, header);
var scenario = args[0];
if (scenario is "relay" or "all")
{
    await RelayScenario.RunAsync(settings);
}

if (scenario is "postgres" or "all")
{
    await PostgresScenario.RunAsync(settings);
}

if (scenario is "cluster" or "all")
{
    await ClusterScenario.RunAsync(settings);
}

if (scenario is "idle" or "all")
{
    await IdleScenario.RunAsync(settings);
}

var footer = $"\nFinished {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {File.ReadAllText("/proc/loadavg").Trim()}\n";
File.AppendAllText(settings.Out, footer);
Console.WriteLine(footer.Trim() + $"\nResults appended to {settings.Out}");
return 0;
