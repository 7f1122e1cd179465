using Irrigation.Core.Irrigation;

namespace Irrigation.Server.Simulation;

/// <summary>A zone's valve: opening it waters that zone's simulated soil.</summary>
public sealed class SimulatedValve(FieldModel field, int zone) : IValve
{
    public void SetOpen(bool open) => field.SetValve(zone, open);
}
