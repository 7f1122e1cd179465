using Irrigation.Core.Logging;

namespace Irrigation.Server.Simulation;

/// <summary>
/// A simulated controller's serial port: keeps the last lines (bounded) and echoes warnings, errors and skipped runs
/// (or, when verbose, every line) to the console with the device's name in front, as a technician's terminal would
/// show them.
/// </summary>
public sealed class SimulatedSerialLog(string deviceId, bool verbose, Action<string> console) : ILogSink
{
    private const int KeptLines = 200;
    private readonly Queue<string> _lines = new();

    public void WriteLine(string line)
    {
        lock (_lines)
        {
            if (_lines.Count == KeptLines)
            {
                _lines.Dequeue();
            }

            _lines.Enqueue(line);
        }

        // The line format is "[00012.345] W subsystem: message"; the level letter sits after the uptime.
        int level = line.IndexOf(']') + 2;
        bool important = level > 1 && level < line.Length
            && (line[level] == 'W' || line[level] == 'E' || line.Contains(" irrigation: skipped", StringComparison.Ordinal));
        if (verbose || important)
        {
            console($"{deviceId,-8} serial {line}");
        }
    }

    /// <summary>The most recent lines, oldest first.</summary>
    public string[] RecentLines()
    {
        lock (_lines)
        {
            return [.. _lines];
        }
    }
}
