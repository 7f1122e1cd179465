using Irrigation.Core.Irrigation;

namespace Irrigation.Server.Simulation;

/// <summary>A zone's valve: opening it lets that zone's water through (and so waters its simulated soil).</summary>
public sealed class SimulatedValve(WaterModel water, int zone) : IValve
{
    public void SetOpen(bool open) => water.SetValve(zone, open);
}
