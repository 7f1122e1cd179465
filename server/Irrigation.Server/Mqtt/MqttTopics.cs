using System.Security.Cryptography;
using System.Text;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// Every topic the bridge publishes or reads, in one place. States live under <c>BASE/DEVICE/…</c>, the bridge's own
/// under <c>BASE/_bridge/…</c> (no device id starts with '_'), Home Assistant's discovery configs under
/// <c>PREFIX/COMPONENT/NODE/OBJECT/config</c> with NODE the base topic made safe for a discovery topic.
/// </summary>
public sealed class MqttTopics
{
    private const string BridgeLevel = "_bridge";
    private const string SetLevel = "set";
    private const string RainDelayLevel = "rain_delay";

    /// <summary>Checks both settings (a mistake fails the start with what to fix).</summary>
    public MqttTopics(string baseTopic, string discoveryPrefix)
    {
        Base = Check(baseTopic, "Mqtt:BaseTopic");
        Prefix = Check(discoveryPrefix, "Mqtt:DiscoveryPrefix");
        NodeId = Key(Base);
    }

    /// <summary>The base topic.</summary>
    public string Base { get; }

    /// <summary>Home Assistant's discovery prefix.</summary>
    public string Prefix { get; }

    /// <summary>The node id of every discovery topic and the first part of every unique_id.</summary>
    public string NodeId { get; }

    /// <summary>online/offline of the bridge itself (the broker publishes "offline" when the bridge vanishes).</summary>
    public string BridgeAvailability => $"{Base}/{BridgeLevel}/availability";

    /// <summary>Answers to commands that name no device of the bridge.</summary>
    public string BridgeResult => $"{Base}/{BridgeLevel}/result";

    /// <summary>Home Assistant announces "online" here when it (re)starts.</summary>
    public string HomeAssistantStatus => $"{Prefix}/status";

    /// <summary>Every discovery config of this bridge (read back at connect to find stale ones).</summary>
    public string DiscoveryFilter => $"{Prefix}/+/{NodeId}/+/config";

    /// <summary>Everything under the base topic: commands are the topics that end in /set.</summary>
    public string CommandFilter => $"{Base}/#";

    /// <summary>online/offline of a device's controller.</summary>
    public string Availability(string device) => $"{Base}/{device}/availability";

    /// <summary>A device-wide value: temperature, humidity, signal, buffered.</summary>
    public string Value(string device, string name) => $"{Base}/{device}/{name}";

    /// <summary>A soil probe's moisture, by the zone it serves.</summary>
    public string Soil(string device, string probe) => $"{Base}/{device}/soil_moisture/{Key(probe)}";

    /// <summary>ON while a sensor is disconnected.</summary>
    public string Fault(string device, string sensor) => $"{Base}/{device}/sensor/{Key(sensor)}/fault";

    /// <summary>open/closed of a zone's valve.</summary>
    public string ZoneState(string device, string zone) => $"{Base}/{device}/zone/{Key(zone)}/state";

    /// <summary>The litres a zone was given today (local day of the device), one decimal.</summary>
    public string WaterToday(string device, string zone) => $"{Base}/{device}/zone/{Key(zone)}/water_today";

    /// <summary>ON while a rain delay holds (the device's saved settings), OFF otherwise.</summary>
    public string RainDelay(string device) => $"{Base}/{device}/{RainDelayLevel}";

    /// <summary>Where ON (no automatic watering for a day) or OFF (clear) sets the device's rain delay.</summary>
    public string RainDelayCommand(string device) => $"{Base}/{device}/{RainDelayLevel}/{SetLevel}";

    /// <summary>Where OPEN, CLOSE or a number of seconds opens or closes a zone's valve.</summary>
    public string ZoneCommand(string device, string zone) => $"{Base}/{device}/zone/{Key(zone)}/{SetLevel}";

    /// <summary>Answers to a device's commands (not retained).</summary>
    public string Result(string device) => $"{Base}/{device}/result";

    /// <summary>The discovery topic of one entity of a device.</summary>
    public string Config(string component, string device, string entity) => $"{Prefix}/{component}/{NodeId}/{Key(device)}_{Key(entity)}/config";

    /// <summary>The unique_id of one entity of a device: stable for as long as the base topic and the ids are.</summary>
    public string UniqueId(string device, string entity) => $"{NodeId}_{device}_{entity}";

    /// <summary>The identifier of a device in Home Assistant's device registry.</summary>
    public string DeviceIdentifier(string device) => $"{NodeId}_{device}";

    /// <summary>True for a command topic (ends in /set, under the base): the bridge answers every one.</summary>
    public bool IsCommand(string topic) => topic.StartsWith(Base + "/", StringComparison.Ordinal) && topic.EndsWith("/" + SetLevel, StringComparison.Ordinal);

    /// <summary>Splits <c>BASE/DEVICE/zone/ZONE/set</c>; the device alone when only it could be read.</summary>
    public bool TryParseZoneCommand(string topic, out string? device, out string? zone)
    {
        zone = null;
        var levels = Levels(topic);
        device = levels is { Length: > 0 } && levels[0].Length > 0 ? levels[0] : null;
        if (levels is [_, "zone", var z, SetLevel] && z.Length > 0)
        {
            zone = z;
            return device is not null;
        }

        return false;
    }

    /// <summary>Reads the device of <c>BASE/DEVICE/rain_delay/set</c>.</summary>
    public bool TryParseRainDelayCommand(string topic, out string? device)
    {
        device = Levels(topic) is [var d, RainDelayLevel, SetLevel] && d.Length > 0 ? d : null;
        return device is not null;
    }

    /// <summary>Splits a state topic into its device and the levels after it (null when not under the base).</summary>
    public string[]? Levels(string topic) =>
        topic.StartsWith(Base + "/", StringComparison.Ordinal) ? topic[(Base.Length + 1)..].Split('/') : null;

    /// <summary>
    /// A name made safe for a topic level and a discovery object id (letters, digits, '_' and '-'); a name that had
    /// to change keeps a short hash of the original, so two names never meet.
    /// </summary>
    public static string Key(string name)
    {
        var safe = true;
        foreach (var c in name)
        {
            safe &= char.IsAsciiLetterOrDigit(c) || c is '_' or '-';
        }

        if (safe && name.Length > 0)
        {
            return name;
        }

        var chars = name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_').ToArray();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8];
        return new string(chars) + "_" + hash;
    }

    private static string Check(string topic, string setting)
    {
        topic = topic.Trim();
        if (topic.Length == 0 || topic.StartsWith('/') || topic.EndsWith('/') || topic.Contains("//", StringComparison.Ordinal)
            || topic.IndexOfAny(['+', '#', '\0']) >= 0)
        {
            throw new InvalidOperationException(
                $"{setting} '{topic}' is not a topic prefix: use levels of letters, digits, '_' or '-' separated by '/', " +
                "without '+', '#' or a leading or trailing '/' (e.g. 'irrigation' or 'farm/irrigation').");
        }

        return topic;
    }
}
