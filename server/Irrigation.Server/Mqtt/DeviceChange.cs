using Irrigation.Server.Relay;

namespace Irrigation.Server.Mqtt;

/// <summary>One change a device hub published: the hub, what changed, and the tagged frame the dashboards got.</summary>
public readonly record struct DeviceChange(DeviceHub Hub, DeviceUpdate Update, byte[] Frame);
