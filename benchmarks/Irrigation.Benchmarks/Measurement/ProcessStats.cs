using System.Diagnostics;
using System.Globalization;

namespace Irrigation.Benchmarks.Measurement;

/// <summary>Resident memory and CPU time of processes and their threads, from /proc (Linux).</summary>
public static class ProcessStats
{
    /// <summary>VmRSS of the process in bytes, or 0 if unreadable (it ended).</summary>
    public static long RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }

    /// <summary>VmRSS of the process and its children (PostgreSQL's backends), in bytes.</summary>
    public static long TreeRssBytes(int pid) => Tree(pid).Sum(RssBytes);

    /// <summary>User + system CPU time of the process (all its threads), from /proc/PID/stat.</summary>
    public static TimeSpan CpuTime(int pid) => StatCpu($"/proc/{pid}/stat");

    /// <summary>CPU time of the process and its children (a PostgreSQL server is one process per connection).</summary>
    public static TimeSpan TreeCpuTime(int pid) => Tree(pid).Aggregate(TimeSpan.Zero, (sum, p) => sum + CpuTime(p));

    /// <summary>CPU time of each thread of the process, summed by thread name (".NET TP Worker", "Kestrel"…).</summary>
    public static Dictionary<string, TimeSpan> ThreadCpu(int pid)
    {
        var byName = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var name = ReadOrEmpty(Path.Combine(task, "comm")).Trim();
                byName[name] = byName.GetValueOrDefault(name) + StatCpu(Path.Combine(task, "stat"));
            }
        }
        catch (IOException)
        {
        }

        return byName;
    }

    /// <summary>"name 63 %, name 20 %…": the CPU of each thread name between two <see cref="ThreadCpu"/> samples.</summary>
    public static string ThreadProfile(Dictionary<string, TimeSpan> before, Dictionary<string, TimeSpan> after, TimeSpan window, int top = 6) =>
        string.Join(", ", after
            .Select(kv => (Name: kv.Key, Cpu: kv.Value - before.GetValueOrDefault(kv.Key)))
            .Where(t => t.Cpu > TimeSpan.Zero)
            .OrderByDescending(t => t.Cpu)
            .Take(top)
            .Select(t => $"{t.Name} {100 * t.Cpu.TotalSeconds / window.TotalSeconds:0} %"));

    /// <summary>The machine, for the report: cores, memory, the data disk, load average, commit and time.</summary>
    public static string Machine(string dataRoot, string repoRoot)
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var memKb = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim().Split(' ')[0] ?? "0";
        var load = File.ReadAllText("/proc/loadavg").Split(' ');
        var disk = Run("df", "-h", "--output=source,fstype,size", dataRoot).Split('\n').Skip(1).FirstOrDefault()?.Trim() ?? "?";
        var commit = Run("git", "-C", repoRoot, "rev-parse", "--short", "HEAD").Trim();
        var dirty = Run("git", "-C", repoRoot, "status", "--porcelain", "--untracked-files=no").Trim().Length > 0 ? " (with uncommitted changes)" : "";
        return $"{Environment.ProcessorCount} cores ({cpu}), {long.Parse(memKb, CultureInfo.InvariantCulture) / 1048576.0:0.0} GiB RAM, " +
               $"data disk {string.Join(' ', disk.Split(' ', StringSplitOptions.RemoveEmptyEntries))}, .NET {Environment.Version}, " +
               $"load average {load[0]} {load[1]} {load[2]}, CPU pressure {CpuPressure()} % (some, avg60), commit {commit}{dirty}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }

    /// <summary>The postmaster's process id, from the first line of postmaster.pid in <paramref name="dataDirectory"/>.</summary>
    public static int PostmasterPid(string dataDirectory) =>
        int.Parse(File.ReadLines(Path.Combine(dataDirectory, "postmaster.pid")).First().Trim(), CultureInfo.InvariantCulture);

    /// <summary>
    /// "1-minute load average / CPU pressure": the share of the last 10 s in which some runnable task waited for a
    /// core (/proc/pressure/cpu, "some avg10"). On a machine shared with other sessions it says how much of the two
    /// cores a run really had.
    /// </summary>
    public static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0] + " / " + CpuPressure("avg10") + " %";

    private static string CpuPressure(string window = "avg60")
    {
        var some = ReadOrEmpty("/proc/pressure/cpu").Split('\n').FirstOrDefault(l => l.StartsWith("some", StringComparison.Ordinal)) ?? "";
        var field = some.Split(' ').FirstOrDefault(f => f.StartsWith(window + "=", StringComparison.Ordinal));
        return field is null ? "?" : field[(window.Length + 1)..];
    }

    private static IEnumerable<int> Tree(int pid)
    {
        yield return pid;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var child) && child != pid && ParentOf(child) == pid)
            {
                yield return child;
            }
        }
    }

    private static int ParentOf(int pid)
    {
        var stat = ReadOrEmpty($"/proc/{pid}/stat");
        var fields = stat.Length == 0 ? [] : stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return fields.Length > 1 && int.TryParse(fields[1], out var parent) ? parent : -1;
    }

    // Fields 14 and 15 (utime, stime) in clock ticks of 1/100 s; the command name (field 2) may contain spaces, so
    // fields are counted after its closing parenthesis.
    private static TimeSpan StatCpu(string path)
    {
        var stat = ReadOrEmpty(path);
        if (stat.Length == 0)
        {
            return TimeSpan.Zero;
        }

        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return TimeSpan.FromSeconds((long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0);
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static string Run(string file, params string[] args)
    {
        try
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args)
            {
                info.ArgumentList.Add(a);
            }

            using var p = Process.Start(info)!;
            var output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "";
        }
    }
}
