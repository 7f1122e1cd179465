namespace Irrigation.Server.Simulation;

/// <summary>
/// What can go wrong with a simulated field's water, each one meant to raise its own alarm in the real core
/// (docs/protocol.md, "Water"). Written in settings as burst_pipe, stuck_valve, closed_supply, slow_leak.
/// </summary>
public enum WaterFaultKind
{
    /// <summary>A zone's pipe is broken behind its valve: the zone flows three times its usual rate (alarm <c>high</c>).</summary>
    BurstPipe,

    /// <summary>A zone's valve does not close: water flows through it whenever the master valve is open (alarm <c>leak</c>).</summary>
    StuckValve,

    /// <summary>The supply in front of the master valve is shut: no zone gets water (alarm <c>none</c>).</summary>
    ClosedSupply,

    /// <summary>A leak behind the master valve: 2 L/min whenever the master valve is open (alarm <c>leak</c>).</summary>
    SlowLeak,
}
