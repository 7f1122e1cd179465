using Irrigation.Core.Irrigation;

namespace Irrigation.Core.Tests.Fakes;

/// <summary>Records the valve's state and how often and when it changed.</summary>
public sealed class FakeValve : IValve
{
    public bool IsOpen;
    public int Opens;
    public int CloseCalls;
    public Func<long>? Clock;
    public long OpenedAtMs = -1;
    public readonly List<string> Calls = new();
    /// <summary>Every real change of state, with the clock: what two runs can be compared by.</summary>
    public readonly List<(long Ms, bool Open)> Timeline = new();

    public void SetOpen(bool open)
    {
        Calls.Add(open ? "open" : "close");
        if (open != IsOpen)
        {
            Timeline.Add((Clock?.Invoke() ?? 0, open));
        }

        if (open && !IsOpen)
        {
            Opens++;
            OpenedAtMs = Clock?.Invoke() ?? 0;
        }

        if (!open)
        {
            CloseCalls++;
        }

        IsOpen = open;
    }
}
