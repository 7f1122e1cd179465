using Irrigation.Core.Logging;

namespace Irrigation.Core.Tests.Fakes;

/// <summary>Keeps the last lines written (bounded, so a simulated week does not eat memory).</summary>
public sealed class ListLogSink : ILogSink
{
    public readonly List<string> Lines = new();
    public long Total;
    public int Keep = 2000;

    public void WriteLine(string line)
    {
        Total++;
        if (Lines.Count >= Keep)
        {
            Lines.RemoveRange(0, Keep / 2);
        }

        Lines.Add(line);
    }
}
