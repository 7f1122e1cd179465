namespace Irrigation.Server.Simulation;

/// <summary>
/// One water fault of a simulated controller: <paramref name="Kind"/> on <paramref name="Device"/>, in zone
/// <paramref name="Zone"/> for the faults of a zone (burst pipe, stuck valve; null for the main line's).
/// </summary>
public sealed record WaterFault(string Device, string? Zone, WaterFaultKind Kind)
{
    /// <summary>The fault as the setting writes it: <c>sim-01/zone2=burst_pipe</c>.</summary>
    public override string ToString() => $"{Device}{(Zone is null ? "" : "/" + Zone)}={WaterFaultList.Name(Kind)}";

    /// <summary>True for the faults that belong to one zone (the others are the main line's).</summary>
    public static bool IsZoneFault(WaterFaultKind kind) => kind is WaterFaultKind.BurstPipe or WaterFaultKind.StuckValve;
}
