using Irrigation.Core.Device;

namespace Irrigation.Server.Simulation;

/// <summary>Plausible ESP32 health figures for the status event.</summary>
public sealed class SimulatedDeviceInfo(Random random) : IDeviceInfo
{
    public int FreeHeapBytes => 60_000 + random.Next(0, 4_000);

    public int Rssi => -55 - random.Next(0, 20);
}
