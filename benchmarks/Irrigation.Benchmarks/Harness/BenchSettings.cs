using System.Globalization;

namespace Irrigation.Benchmarks.Harness;

/// <summary>Command-line flags with the defaults of issue 16's cells (`all` takes about half an hour on 2 cores).</summary>
public sealed class BenchSettings
{
    /// <summary>
    /// Seconds of load before the measurement window opens: long enough for the servers' tiered JIT to finish
    /// (about 5 s of the product's compilation thread, measured from /proc in earlier passes).
    /// </summary>
    public double Warmup { get; set; } = 6;

    /// <summary>Seconds of the measurement window.</summary>
    public double Duration { get; set; } = 15;

    /// <summary>Controllers of each saturation cell.</summary>
    public int[] Cells { get; set; } = [100, 1000];

    /// <summary>Dashboards (all of the one user who owns every device), in every relay cell.</summary>
    public int Dashboards { get; set; } = 5;

    /// <summary>Unacknowledged events a saturating controller keeps in flight (the firmware's default send_window).</summary>
    public int Window { get; set; } = 8;

    /// <summary>
    /// Rounds of each saturation cell; each round runs every target back to back, so a slow stretch of the shared
    /// machine hits them all, and ratios are taken per round and of the medians.
    /// </summary>
    public int Rounds { get; set; } = 3;

    /// <summary>Controllers of the fixed-rate cell.</summary>
    public int RateControllers { get; set; } = 1000;

    /// <summary>Events per second per controller in the fixed-rate cell.</summary>
    public double Rate { get; set; } = 1;

    /// <summary>Idle controllers held at once.</summary>
    public int Idle { get; set; } = 18_000;

    /// <summary>Client processes that hold them (each may open at most 20,000 files).</summary>
    public int IdleWorkers { get; set; } = 4;

    /// <summary>Controllers of the PostgreSQL ingest cell.</summary>
    public int IngestControllers { get; set; } = 1000;

    /// <summary>Controllers of the cluster cell.</summary>
    public int ClusterControllers { get; set; } = 100;

    /// <summary>Which targets the relay cells run: product, yardstick, mosquitto-ws (all by default).</summary>
    public string[] Targets { get; set; } = ["yardstick", "mosquitto-ws", "product"];

    /// <summary>SQLite synchronous modes the product runs with in the relay cells.</summary>
    public string[] Sync { get; set; } = ["FULL"];

    /// <summary>Connections opened at once while connecting.</summary>
    public int ConnectParallel { get; set; } = 64;

    /// <summary>Markdown results file.</summary>
    public string Out { get; set; } = "";

    /// <summary>Folder for the data dirs (a real disk: fsync cost is part of the result).</summary>
    public string DataRoot { get; set; } = Path.GetTempPath();

    /// <summary>Repository root (the folder with Irrigation.sln).</summary>
    public string RepoRoot { get; set; } = "";

    /// <summary>Parses flags after the subcommand; null with a message on error.</summary>
    public static BenchSettings? Parse(string[] args, out string error)
    {
        var s = new BenchSettings();
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            if (i + 1 >= args.Length)
            {
                error = $"{name} needs a value";
                return null;
            }

            var v = args[++i];
            switch (name)
            {
                case "--warmup": s.Warmup = D(v); break;
                case "--duration": s.Duration = D(v); break;
                case "--cells": s.Cells = v == "none" ? [] : v.Split(',').Select(I).ToArray(); break;
                case "--dashboards": s.Dashboards = I(v); break;
                case "--window": s.Window = I(v); break;
                case "--rounds": s.Rounds = Math.Max(1, I(v)); break;
                case "--rate-controllers": s.RateControllers = I(v); break;
                case "--rate": s.Rate = D(v); break;
                case "--idle": s.Idle = I(v); break;
                case "--idle-workers": s.IdleWorkers = Math.Max(1, I(v)); break;
                case "--ingest-controllers": s.IngestControllers = I(v); break;
                case "--cluster-controllers": s.ClusterControllers = I(v); break;
                case "--sync": s.Sync = v.ToUpperInvariant().Split(','); break;
                case "--targets": s.Targets = v.Split(','); break;
                case "--connect-parallel": s.ConnectParallel = I(v); break;
                case "--out": s.Out = v; break;
                case "--data-root": s.DataRoot = v; break;
                case "--server-dll":
                    // ServerProcess (tests/TestSupport) reads this for every server and CLI it starts.
                    Environment.SetEnvironmentVariable("IRRIGATION_SERVER_DLL", Path.GetFullPath(v));
                    break;
                default:
                    error = $"unknown flag {name}";
                    return null;
            }
        }

        s.RepoRoot = RepoPaths.Root;
        if (!File.Exists(ServerProcess.Dll))
        {
            error = $"{ServerProcess.Dll} not found: build it (dotnet build -c Release server/Irrigation.Server) or pass --server-dll";
            return null;
        }

        if (s.Out.Length == 0)
        {
            s.Out = Path.Combine(s.RepoRoot, "benchmarks", "results", "latest.md");
        }

        return s;
    }

    private static double D(string v) => double.Parse(v, CultureInfo.InvariantCulture);

    private static int I(string v) => int.Parse(v, CultureInfo.InvariantCulture);
}
