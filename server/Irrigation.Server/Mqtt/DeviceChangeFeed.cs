using System.Threading.Channels;
using Irrigation.Server.Relay;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// The bridge's end of the relay's live path: every hub change lands in a bounded queue, and the relay never waits
/// for it. When the bridge falls behind, the oldest change is dropped and counted; the bridge re-reads a device's
/// zones and presence from its hub on every such event, so a lost change costs at most one stale reading.
/// </summary>
public sealed class DeviceChangeFeed : IDeviceObserver
{
    private readonly Channel<DeviceChange> _channel;

    /// <summary>A queue of <paramref name="capacity"/> changes.</summary>
    public DeviceChangeFeed(int capacity, MqttMetrics metrics)
    {
        _channel = Channel.CreateBounded<DeviceChange>(
            new BoundedChannelOptions(Math.Max(1, capacity)) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => metrics.ChangeDropped());
        metrics.ObserveQueue(() => _channel.Reader.Count);
    }

    /// <summary>What the bridge reads.</summary>
    public ChannelReader<DeviceChange> Reader => _channel.Reader;

    /// <inheritdoc />
    public void Published(DeviceHub hub, in DeviceUpdate update, byte[] frame) =>
        _channel.Writer.TryWrite(new DeviceChange(hub, update, frame));
}
