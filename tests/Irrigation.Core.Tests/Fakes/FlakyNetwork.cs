namespace Irrigation.Core.Tests.Fakes;

/// <summary>
/// The network weather of the simulated weeks around a <see cref="FakeLink"/>: server outages (10 s to 3 h), dropped
/// connections and a server that goes silent (1 to 10 min), each decided by one roll of a die.
/// </summary>
public sealed class FlakyNetwork(FakeLink link)
{
    private long _outageUntil = -1;
    private long _silentUntil = -1;

    /// <summary>When the last outage began (long.MaxValue before the first).</summary>
    public long OutageFrom { get; private set; } = long.MaxValue;

    /// <summary>
    /// Applies a roll in 0…999: below 8 an outage (unless one lasts), below 20 a drop, below 23 a silent server
    /// (unless it is silent already). Returns false when the roll was none of these, for the caller's own weather.
    /// </summary>
    public bool Roll(int roll, long simMs, Random rng)
    {
        if (roll < 8 && _outageUntil < simMs)
        {
            _outageUntil = simMs + rng.Next(10, 3 * 3600) * 1000L;
            OutageFrom = simMs;
            link.ServerUp = false;
            link.Drop();
        }
        else if (roll < 20)
        {
            link.Drop();
        }
        else if (roll < 23 && _silentUntil < simMs)
        {
            _silentUntil = simMs + rng.Next(60, 600) * 1000L;
            link.Silent = true;
        }
        else
        {
            return false;
        }

        return true;
    }

    /// <summary>Ends the outage and the silence whose time is up; call every tick.</summary>
    public void Settle(long simMs)
    {
        if (simMs >= _outageUntil && !link.ServerUp)
        {
            link.ServerUp = true;
        }

        if (simMs >= _silentUntil)
        {
            link.Silent = false;
        }
    }
}
