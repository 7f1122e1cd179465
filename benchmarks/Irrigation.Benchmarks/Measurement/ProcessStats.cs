using System.Globalization;

namespace Irrigation.Benchmarks.Measurement;

/// <summary>Reads a process's resident memory and CPU time from /proc (Linux).</summary>
public static class ProcessStats
{
    /// <summary>VmRSS of the process in bytes, or -1 if unreadable.</summary>
    public static long RssBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                {
                    var kb = line[6..].Trim().Split(' ')[0];
                    return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return -1;
    }

    /// <summary>User + system CPU time of the process, from /proc/PID/stat (clock ticks of 1/100 s).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) may contain spaces: fields are counted after its closing parenthesis.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / 100.0);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>A short description of the machine for the report.</summary>
    public static string Machine()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var mem = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        var load = File.ReadAllText("/proc/loadavg").Split(' ');
        return $"{Environment.ProcessorCount} cores ({cpu}), MemTotal {mem}, .NET {Environment.Version}, " +
               $"{System.Runtime.InteropServices.RuntimeInformation.OSDescription}, load avg {load[0]} {load[1]} {load[2]}, " +
               $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC";
    }
}
