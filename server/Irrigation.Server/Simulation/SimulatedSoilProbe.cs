using Irrigation.Core.Sensors;

namespace Irrigation.Server.Simulation;

/// <summary>
/// A capacitive probe in one zone's soil: the voltage (raw counts) falls as the soil gets wetter, as on the real
/// sensor. A dropout reads as an unplugged probe (raw 0), which the core must treat as disconnected.
/// </summary>
public sealed class SimulatedSoilProbe(FieldModel field, int zone, SensorFaults faults, Random random) : ISoilProbe
{
    /// <summary>Raw reading in dry air, as the default calibration assumes.</summary>
    public const int DryRaw = 3400;

    /// <summary>Raw reading in water.</summary>
    public const int WetRaw = 1400;

    public int MaxRaw => 4095;

    public int ReadRaw()
    {
        if (faults.NextReadFails())
        {
            return 0;
        }

        double raw = DryRaw - (DryRaw - WetRaw) * field.SoilPercent(zone) / 100 + (random.NextDouble() * 2 - 1) * 12;
        return Math.Clamp((int)Math.Round(raw), 1, MaxRaw - 1);
    }
}
