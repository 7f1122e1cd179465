using Irrigation.Benchmarks.Harness;
using Irrigation.Benchmarks.Measurement;
using Irrigation.Benchmarks.Scenarios;
using Irrigation.Benchmarks.Yardstick;

// Load benchmarks of the relay (issue 3) and the ingest path (issue 4). Not a test: run it with benchmarks/run.sh.
const string usage = """
    Usage: benchmarks/run.sh <relay|ingest|idle|all> [flags]
      --duration S (15)  --warmup S (3)  --controllers P (1000)  --rate R (1)  --dashboards S (5)
      --saturation-controllers P (100)  --window N (8)  --idle N (10000)  --ingest-counts 1,100,1000
      --sync FULL,NORMAL  --connect-parallel N (64)  --out FILE (benchmarks/results/latest.md)
      --data-root DIR (temp)  --server-dll PATH  --rounds N (3, saturation rounds)
    """;

if (args.Length > 0 && args[0] == "yardstick-serve")
{
    return await MinimalRelay.RunAsync(args[1..]);
}

if (args.Length == 0 || args[0] is not ("relay" or "ingest" or "idle" or "all"))
{
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

// Many sockets at once: start enough pool threads that connecting thousands does not wait on thread injection.
ThreadPool.SetMinThreads(Math.Max(16, Environment.ProcessorCount * 4), 16);
var header = $"\n## Run of `{string.Join(' ', args)}`\n\nMachine: {ProcessStats.Machine()}\n";
Console.WriteLine(header.Trim());
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(settings.Out))!);
File.AppendAllText(settings.Out, header);
var scenario = args[0];
if (scenario is "relay" or "all")
{
    await RelayScenario.RunAsync(settings);
}

if (scenario is "ingest" or "all")
{
    await IngestScenario.RunAsync(settings);
}

if (scenario is "idle" or "all")
{
    await IdleScenario.RunAsync(settings);
}

Console.WriteLine($"\nResults appended to {settings.Out}");
return 0;
