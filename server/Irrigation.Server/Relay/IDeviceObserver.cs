namespace Irrigation.Server.Relay;

/// <summary>
/// Told of every change a <see cref="DeviceHub"/> publishes (events, presence), from inside the hub's lock, so in
/// the order the dashboards see them. The relay's live path runs through it: an implementation only hands the change
/// to its own bounded queue and returns, it never blocks and never throws (the MQTT bridge is one).
/// </summary>
public interface IDeviceObserver
{
    /// <summary>The hub applied <paramref name="update"/>; <paramref name="frame"/> is the tagged frame the dashboards got.</summary>
    void Published(DeviceHub hub, in DeviceUpdate update, byte[] frame);
}
