using Irrigation.Core.Sensors;

namespace Irrigation.Server.Simulation;

/// <summary>A DHT22 reading the simulated air, with occasional dropouts (runs of failed reads).</summary>
public sealed class SimulatedClimateSensor(FieldModel field, SensorFaults faults) : IClimateSensor
{
    public ClimateSample Read()
    {
        if (faults.NextReadFails())
        {
            return ClimateSample.Failed;
        }

        return new ClimateSample(true, (int)Math.Round(field.TemperatureCelsius * 10), (int)Math.Round(field.HumidityPercent * 10));
    }
}
