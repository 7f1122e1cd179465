using System.Globalization;
using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// The devices the bridge exposes and what it publishes for each: turns device changes into retained discovery
/// configs and states in the <see cref="RetainedOutbox"/>. One lock; nothing inside it waits.
/// </summary>
public sealed class BridgeState(MqttTopics topics, HomeAssistantDiscovery discovery, RetainedOutbox outbox, ILogger<BridgeState> log)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, BridgedDevice> _devices = new(StringComparer.Ordinal);

    /// <summary>True once the device list has been read: only then can a discovery config on the broker be called stale.</summary>
    public bool Synced { get; private set; }

    /// <summary>True when the bridge exposes the device.</summary>
    public bool IsBridged(string device)
    {
        lock (_gate)
        {
            return _devices.ContainsKey(device);
        }
    }

    /// <summary>The longest irrigation the device accepts, or null when the bridge does not expose it.</summary>
    public int? MaxDurationSeconds(string device)
    {
        lock (_gate)
        {
            return _devices.TryGetValue(device, out var d) ? d.MaxDurationSeconds : null;
        }
    }

    /// <summary>The device's zones, or null when the bridge does not expose it.</summary>
    public string[]? ZonesOf(string device)
    {
        lock (_gate)
        {
            return _devices.TryGetValue(device, out var d) ? d.Zones : null;
        }
    }

    /// <summary>
    /// What the bridge reads from storage: the litres (tenths) each zone was given today, and whether a rain delay
    /// holds now.
    /// </summary>
    public void ApplyStoredStates(string device, IReadOnlyDictionary<string, long> waterToday, bool rainDelay)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue(device, out var d))
            {
                return;
            }

            foreach (var zone in d.Zones)
            {
                SetState(d, topics.WaterToday(device, zone), Tenths(waterToday.GetValueOrDefault(zone)));
            }

            SetState(d, topics.RainDelay(device), rainDelay ? "ON" : "OFF");
        }
    }

    /// <summary>
    /// Makes the exposed devices exactly <paramref name="devices"/>: a new one is published whole, a gone one (removed,
    /// or no longer shared with the bridge's user) has every topic deleted, a role change updates the valves.
    /// </summary>
    public void Sync(IReadOnlyList<(DeviceAccess Access, Relay.DeviceHub Hub, DeviceSnapshot Snapshot)> devices)
    {
        lock (_gate)
        {
            var wanted = devices.Select(d => d.Access.Device.DeviceId).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _devices.Values.Where(d => !wanted.Contains(d.Id)).ToList())
            {
                log.LogInformation("MQTT: {Device} is no longer exposed: removing it from Home Assistant", gone.Id);
                foreach (var topic in gone.Topics)
                {
                    outbox.Clear(topic);
                }

                _devices.Remove(gone.Id);
            }

            foreach (var (access, hub, snapshot) in devices)
            {
                var id = access.Device.DeviceId;
                if (!_devices.TryGetValue(id, out var device))
                {
                    // The role first: a reading's new probe publishes the discovery, whose rain-delay entity is by role.
                    device = _devices[id] = new BridgedDevice(id, hub) { Role = access.Role };
                    foreach (var reading in snapshot.Readings)
                    {
                        ApplyReading(device, reading.Kind, reading.Time, reading.Record, reading.Zone);
                    }
                }

                device.Role = access.Role;
                ApplySnapshot(device, snapshot);
            }

            Synced = true;
        }
    }

    /// <summary>Presence, zones and their valves as the device's hub has them now.</summary>
    public void ApplySnapshot(string device, DeviceSnapshot snapshot)
    {
        lock (_gate)
        {
            if (_devices.TryGetValue(device, out var d))
            {
                ApplySnapshot(d, snapshot);
            }
        }
    }

    /// <summary>A reading (<paramref name="kind"/> is its event name; tenths).</summary>
    public void ApplyReading(string device, string kind, long time, long record, string? zone)
    {
        lock (_gate)
        {
            if (_devices.TryGetValue(device, out var d))
            {
                ApplyReading(d, kind, time, record, zone);
            }
        }
    }

    /// <summary>A status report: Wi-Fi signal (dBm) and events waiting on the controller.</summary>
    public void ApplyStatus(string device, long rssi, long buffered)
    {
        lock (_gate)
        {
            if (_devices.TryGetValue(device, out var d))
            {
                SetState(d, topics.Value(device, "signal"), rssi.ToString(CultureInfo.InvariantCulture));
                SetState(d, topics.Value(device, "buffered"), buffered.ToString(CultureInfo.InvariantCulture));
            }
        }
    }

    /// <summary>sensor_disconnected (<paramref name="fault"/>) or sensor_reconnected.</summary>
    public void ApplyFault(string device, string sensor, bool fault, long time)
    {
        lock (_gate)
        {
            if (!_devices.TryGetValue(device, out var d))
            {
                return;
            }

            if (d.FaultSensors.Add(sensor))
            {
                PublishDiscovery(d);
            }

            SetFault(d, sensor, fault, time);
        }
    }

    /// <summary>The firmware version the controller's hello reported.</summary>
    public void ApplyFirmware(string device, string firmware)
    {
        lock (_gate)
        {
            if (_devices.TryGetValue(device, out var d) && d.Firmware != firmware)
            {
                d.Firmware = firmware;
                PublishDiscovery(d);
            }
        }
    }

    /// <summary>
    /// A discovery config of this bridge's node that the broker holds (read back at connect, so possibly one the
    /// bridge is replacing right now). A config of an exposed device is kept when it is a soil probe or a sensor
    /// fault that reported before a restart, and the firmware it names is kept until the controller says hello;
    /// any other config the bridge does not publish now is stale and deleted, with its state.
    /// </summary>
    public void ObserveRetainedConfig(string topic, string payload)
    {
        if (payload.Length == 0)
        {
            return;
        }

        string? stateTopic = null;
        string? firmware = null;
        try
        {
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                stateTopic = root.TryGetProperty("state_topic", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                firmware = root.TryGetProperty("device", out var dev) && dev.ValueKind == JsonValueKind.Object
                    && dev.TryGetProperty("sw_version", out var sw) && sw.ValueKind == JsonValueKind.String ? sw.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // Not ours in any shape we wrote: stale.
        }

        lock (_gate)
        {
            if (!Synced)
            {
                return;
            }

            var levels = stateTopic is null ? null : topics.Levels(stateTopic);
            if (levels is [var id, ..] && _devices.TryGetValue(id, out var device))
            {
                var adopted = levels switch
                {
                    [_, "soil_moisture", var probe] => device.SoilProbes.Add(probe),
                    [_, "sensor", var sensor, "fault"] => device.FaultSensors.Add(sensor),
                    _ => false,
                };
                if (adopted)
                {
                    // Its retained state is the bridge's too now (deleted with the device).
                    device.Topics.Add(stateTopic!);
                }

                if (device.Firmware is null && firmware is { Length: > 0 })
                {
                    device.Firmware = firmware;
                    adopted = true;
                }

                if (adopted)
                {
                    PublishDiscovery(device);
                }
            }
            else if (levels is [var gone, ..] && stateTopic is not null && !outbox.Holds(stateTopic))
            {
                // A device this bridge no longer exposes (removed while the server was down): its states go too.
                outbox.Clear(stateTopic);
                if (!outbox.Holds(topics.Availability(gone)))
                {
                    outbox.Clear(topics.Availability(gone));
                }
            }

            if (!outbox.Holds(topic))
            {
                log.LogInformation("MQTT: deleting the stale discovery config {Topic}", topic);
                outbox.Clear(topic);
            }
        }
    }

    private void ApplySnapshot(BridgedDevice device, DeviceSnapshot snapshot)
    {
        device.MaxDurationSeconds = snapshot.MaxDurationSeconds;
        var zones = snapshot.Zones.Select(z => z.Zone).ToArray();
        if (!zones.SequenceEqual(device.Zones))
        {
            foreach (var removed in device.Zones.Except(zones))
            {
                foreach (var topic in new[] { topics.ZoneState(device.Id, removed), topics.WaterToday(device.Id, removed) })
                {
                    device.Topics.Remove(topic);
                    outbox.Clear(topic);
                }
            }

            device.Zones = zones;
        }

        PublishDiscovery(device);
        SetState(device, topics.Availability(device.Id), snapshot.Online ? "online" : "offline");
        foreach (var (zone, open) in snapshot.Zones)
        {
            SetState(device, topics.ZoneState(device.Id, zone), open ? "open" : "closed");
        }
    }

    private void ApplyReading(BridgedDevice device, string kind, long time, long record, string? zone)
    {
        string topic;
        switch (kind)
        {
            case EventNames.Temperature:
            case EventNames.Humidity:
                topic = topics.Value(device.Id, kind);
                // A good reading means the sensor works (the controller reports a reconnect before it).
                SetFault(device, kind, fault: false, time);
                break;
            case EventNames.SoilMoisture:
                var probe = zone ?? HomeAssistantDiscovery.UnassignedProbe;
                if (device.SoilProbes.Add(probe))
                {
                    PublishDiscovery(device);
                }

                topic = topics.Soil(device.Id, probe);
                break;
            default:
                return;
        }

        // A replayed older reading (an offline buffer) never replaces a newer one.
        if (device.ReadingTimes.TryGetValue(topic, out var newest) && time < newest)
        {
            return;
        }

        device.ReadingTimes[topic] = time;
        SetState(device, topic, Tenths(record));
    }

    private void SetFault(BridgedDevice device, string sensor, bool fault, long time)
    {
        if (device.FaultTimes.TryGetValue(sensor, out var newest) && time < newest)
        {
            return;
        }

        device.FaultTimes[sensor] = time;
        SetState(device, topics.Fault(device.Id, sensor), fault ? "ON" : "OFF");
    }

    private void PublishDiscovery(BridgedDevice device)
    {
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var config in discovery.For(device))
        {
            current.Add(config.Topic);
            device.Topics.Add(config.Topic);
            outbox.Set(config.Topic, config.Payload);
        }

        foreach (var stale in device.ConfigTopics.Where(t => !current.Contains(t)).ToList())
        {
            device.Topics.Remove(stale);
            outbox.Clear(stale);
        }

        device.ConfigTopics.Clear();
        device.ConfigTopics.UnionWith(current);
    }

    private void SetState(BridgedDevice device, string topic, string payload)
    {
        device.Topics.Add(topic);
        outbox.Set(topic, payload);
    }

    // 223 -> "22.3", -5 -> "-0.5": tenths on the wire, one decimal for Home Assistant, formatted here and nowhere else.
    private static string Tenths(long record) => (record / 10m).ToString("0.0", CultureInfo.InvariantCulture);
}
