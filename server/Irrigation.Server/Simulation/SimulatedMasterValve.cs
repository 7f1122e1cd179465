using Irrigation.Core.Irrigation;

namespace Irrigation.Server.Simulation;

/// <summary>The master valve (or pump relay) on the main line, in front of the meter and every zone valve.</summary>
public sealed class SimulatedMasterValve(WaterModel water) : IValve
{
    public void SetOpen(bool open) => water.MasterOpen = open;
}
