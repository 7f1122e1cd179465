using System.Globalization;

namespace Irrigation.Benchmarks.Harness;

/// <summary>Command-line flags with modest defaults (`all` finishes in a few minutes on 2 cores).</summary>
public sealed class BenchSettings
{
    /// <summary>
    /// Seconds of load before the measurement window opens. Long enough for the server's tiered JIT to finish: the
    /// product's compilation thread is busy until 5–6 s after it starts (about a second of CPU, measured from
    /// /proc), which a shorter warm-up counts against the product's steady-state throughput.
    /// </summary>
    public double Warmup { get; set; } = 6;

    /// <summary>Seconds of the measurement window.</summary>
    public double Duration { get; set; } = 15;

    /// <summary>Controllers of the rate scenario (a).</summary>
    public int RateControllers { get; set; } = 1000;

    /// <summary>Events per second per controller in scenario (a).</summary>
    public double Rate { get; set; } = 1;

    /// <summary>Dashboards (all of the one user who owns every device).</summary>
    public int Dashboards { get; set; } = 5;

    /// <summary>Controllers of the saturation scenario (b).</summary>
    public int SaturationControllers { get; set; } = 100;

    /// <summary>Unacknowledged events a saturating controller keeps in flight (the firmware default send_window).</summary>
    public int Window { get; set; } = 8;

    /// <summary>
    /// Rounds of the saturation scenario (b): each round runs the yardstick and then the product, so a slow
    /// stretch of a shared machine hits both; the ratio is taken of the medians (and of each round, whose median is
    /// reported too). Five, because single rounds on a shared machine move by a quarter.
    /// </summary>
    public int Rounds { get; set; } = 5;

    /// <summary>Idle controllers of the idle scenario.</summary>
    public int Idle { get; set; } = 10_000;

    /// <summary>Controller counts of the ingest scenario.</summary>
    public int[] IngestCounts { get; set; } = [1, 100, 1000];

    /// <summary>SQLite synchronous modes to run the product with.</summary>
    public string[] Sync { get; set; } = ["FULL", "NORMAL"];

    /// <summary>Connections opened at once while connecting.</summary>
    public int ConnectParallel { get; set; } = 64;

    /// <summary>Markdown results file.</summary>
    public string Out { get; set; } = "";

    /// <summary>Folder for the temporary data dirs (a real disk: fsync cost is part of the result).</summary>
    public string DataRoot { get; set; } = Path.GetTempPath();

    /// <summary>Irrigation.Server.dll (default: the server's Release or Debug build output in this repo).</summary>
    public string ServerDll { get; set; } = "";

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
                case "--controllers": s.RateControllers = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--rate": s.Rate = D(v); break;
                case "--dashboards": s.Dashboards = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--saturation-controllers": s.SaturationControllers = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--window": s.Window = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--rounds": s.Rounds = Math.Max(1, int.Parse(v, CultureInfo.InvariantCulture)); break;
                case "--idle": s.Idle = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--ingest-counts": s.IngestCounts = v.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture)).ToArray(); break;
                case "--sync": s.Sync = v.ToUpperInvariant().Split(','); break;
                case "--connect-parallel": s.ConnectParallel = int.Parse(v, CultureInfo.InvariantCulture); break;
                case "--out": s.Out = v; break;
                case "--data-root": s.DataRoot = v; break;
                case "--server-dll": s.ServerDll = v; break;
                default:
                    error = $"unknown flag {name}";
                    return null;
            }
        }

        s.RepoRoot = FindRepoRoot();
        if (s.ServerDll.Length == 0)
        {
            // The server built in the same configuration as this program (run.sh: Release builds both).
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent?.Name ?? "Release";
            s.ServerDll = Path.Combine(s.RepoRoot, "server", "Irrigation.Server", "bin", configuration, "net10.0", "Irrigation.Server.dll");
        }

        if (!File.Exists(s.ServerDll))
        {
            error = "Irrigation.Server.dll not found: build it (dotnet build -c Release server/Irrigation.Server) or pass --server-dll";
            return null;
        }

        if (s.Out.Length == 0)
        {
            s.Out = Path.Combine(s.RepoRoot, "benchmarks", "results", "latest.md");
        }

        return s;
    }

    private static double D(string v) => double.Parse(v, CultureInfo.InvariantCulture);

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Irrigation.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
