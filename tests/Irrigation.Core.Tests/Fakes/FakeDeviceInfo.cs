using Irrigation.Core.Device;

namespace Irrigation.Core.Tests.Fakes;

public sealed class FakeDeviceInfo : IDeviceInfo
{
    public int FreeHeapBytes { get; set; } = 61234;
    public int Rssi { get; set; } = -67;
}
