using Irrigation.Core.Protocol;
using Irrigation.Server.Auth;
using Irrigation.Server.Relay;

namespace Irrigation.Server.Mqtt;

/// <summary>A device the bridge exposes, as far as its discovery and states need it. Changed only under the bridge state's lock.</summary>
public sealed class BridgedDevice(string id, DeviceHub hub)
{
    /// <summary>The device id.</summary>
    public string Id { get; } = id;

    /// <summary>The device's live state (read through <see cref="DeviceSnapshot"/>).</summary>
    public DeviceHub Hub { get; } = hub;

    /// <summary>The bridge user's role: a viewer's valves are shown without a command topic.</summary>
    public DeviceRole Role { get; set; }

    /// <summary>Zones, in the device's order.</summary>
    public string[] Zones { get; set; } = [];

    /// <summary>Longest irrigation the device accepts, seconds.</summary>
    public int MaxDurationSeconds { get; set; }

    /// <summary>The firmware version from the controller's last hello (or the one published before a restart).</summary>
    public string? Firmware { get; set; }

    /// <summary>Soil probes that have reported, by the zone they serve ("" for a probe that serves none).</summary>
    public SortedSet<string> SoilProbes { get; } = new(StringComparer.Ordinal);

    /// <summary>Sensors with a fault entity: the DHT's two always, soil probes once they reported a fault.</summary>
    public SortedSet<string> FaultSensors { get; } = new(StringComparer.Ordinal) { EventNames.Temperature, EventNames.Humidity };

    /// <summary>Time of the newest reading published per state topic (a replayed older reading does not replace it).</summary>
    public Dictionary<string, long> ReadingTimes { get; } = new(StringComparer.Ordinal);

    /// <summary>Time of the newest fault change per sensor.</summary>
    public Dictionary<string, long> FaultTimes { get; } = new(StringComparer.Ordinal);

    /// <summary>Every retained topic (discovery and state) the bridge owns for this device.</summary>
    public HashSet<string> Topics { get; } = new(StringComparer.Ordinal);

    /// <summary>The discovery topics currently published for this device.</summary>
    public HashSet<string> ConfigTopics { get; } = new(StringComparer.Ordinal);
}
