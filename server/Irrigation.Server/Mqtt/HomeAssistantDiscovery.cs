using System.Buffers;
using System.Text;
using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Auth;

namespace Irrigation.Server.Mqtt;

/// <summary>
/// The Home Assistant MQTT discovery configs of one device: what appears in Home Assistant, written once here.
/// Keys and values follow Home Assistant's MQTT platform schemas (sensor, binary_sensor, valve, switch): every entity has a
/// unique_id, the device block and two availability topics (the bridge's and the device's, both must say online),
/// except the connectivity sensor, which must stay readable while the device is offline.
/// </summary>
/// <remarks>
/// New entities go in <see cref="For"/>: a config here and a state topic in <see cref="MqttTopics"/>, published by
/// <see cref="BridgeState"/>. Water used today and the rain delay are read from storage (<see cref="StoredStates"/>).
/// </remarks>
public sealed class HomeAssistantDiscovery(MqttTopics topics, DashboardLink dashboard, string serverVersion)
{
    /// <summary>The key of a soil probe that serves no zone.</summary>
    public const string UnassignedProbe = "unassigned";

    /// <summary>Every discovery config of <paramref name="device"/>.</summary>
    public IEnumerable<DiscoveryConfig> For(BridgedDevice device)
    {
        var id = device.Id;
        yield return Config("binary_sensor", device, "online", "Online", topics.Availability(id), w =>
        {
            w.WriteString("device_class", "connectivity");
            w.WriteString("payload_on", "online");
            w.WriteString("payload_off", "offline");
            w.WriteString("entity_category", "diagnostic");
        }, deviceAvailability: false);
        yield return Measurement(device, "temperature", "Temperature", topics.Value(id, EventNames.Temperature), "temperature", "°C", 1);
        yield return Measurement(device, "humidity", "Humidity", topics.Value(id, EventNames.Humidity), "humidity", "%", 1);
        foreach (var probe in device.SoilProbes)
        {
            var name = probe == UnassignedProbe ? "Soil moisture (no zone)" : "Soil moisture " + probe;
            yield return Measurement(device, "soil_" + probe, name, topics.Soil(id, probe), "moisture", "%", 1);
        }

        yield return Config("sensor", device, "signal", "Signal", topics.Value(id, "signal"), w =>
        {
            w.WriteString("device_class", "signal_strength");
            w.WriteString("unit_of_measurement", "dBm");
            w.WriteString("state_class", "measurement");
            w.WriteString("entity_category", "diagnostic");
        });
        yield return Config("sensor", device, "buffered", "Buffered events", topics.Value(id, "buffered"), w =>
        {
            w.WriteString("state_class", "measurement");
            w.WriteString("icon", "mdi:tray-full");
            w.WriteString("entity_category", "diagnostic");
        });
        foreach (var sensor in device.FaultSensors)
        {
            yield return Config("binary_sensor", device, "fault_" + sensor, SensorName(sensor) + " sensor", topics.Fault(id, sensor), w =>
            {
                w.WriteString("device_class", "problem");
                w.WriteString("payload_on", "ON");
                w.WriteString("payload_off", "OFF");
                w.WriteString("entity_category", "diagnostic");
            });
        }

        foreach (var zone in device.Zones)
        {
            yield return Config("valve", device, "zone_" + zone, zone, topics.ZoneState(id, zone), w =>
            {
                w.WriteString("device_class", "water");
                // A viewer's valves show their state only: Home Assistant offers no open/close without a command topic.
                if (device.Role >= DeviceRole.Operator)
                {
                    w.WriteString("command_topic", topics.ZoneCommand(id, zone));
                    w.WriteString("payload_open", "OPEN");
                    w.WriteString("payload_close", "CLOSE");
                }

                w.WriteString("state_open", "open");
                w.WriteString("state_closed", "closed");
                w.WriteBoolean("reports_position", false);
                // The state comes from the controller's irrigation events only, never from the command.
                w.WriteBoolean("optimistic", false);
            });
            // The water ledger's today, per zone: Home Assistant's water dashboard sums total_increasing sensors and
            // takes the drop at local midnight for a new cycle.
            yield return Config("sensor", device, "water_" + zone, "Water used today " + zone, topics.WaterToday(id, zone), w =>
            {
                w.WriteString("device_class", "water");
                w.WriteString("unit_of_measurement", "L");
                w.WriteString("state_class", "total_increasing");
                w.WriteNumber("suggested_display_precision", 1);
            });
        }

        // A viewer sees the rain delay without a switch (a switch must have a command topic).
        yield return device.Role >= DeviceRole.Operator
            ? Config("switch", device, "rain_delay", "Rain delay", topics.RainDelay(id), w =>
            {
                w.WriteString("command_topic", topics.RainDelayCommand(id));
                w.WriteString("payload_on", "ON");
                w.WriteString("payload_off", "OFF");
                w.WriteString("state_on", "ON");
                w.WriteString("state_off", "OFF");
                // On means a saved rain delay, read back from the settings, never assumed from the command.
                w.WriteBoolean("optimistic", false);
                w.WriteString("icon", "mdi:weather-pouring");
            })
            : Config("binary_sensor", device, "rain_delay", "Rain delay", topics.RainDelay(id), w =>
            {
                w.WriteString("payload_on", "ON");
                w.WriteString("payload_off", "OFF");
                w.WriteString("icon", "mdi:weather-pouring");
            });
    }

    /// <summary>"soil_moisture_2" → "Soil moisture 2".</summary>
    public static string SensorName(string sensor)
    {
        var words = sensor.Replace('_', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    private DiscoveryConfig Measurement(BridgedDevice device, string entity, string name, string stateTopic, string deviceClass, string unit, int precision) =>
        Config("sensor", device, entity, name, stateTopic, w =>
        {
            w.WriteString("device_class", deviceClass);
            w.WriteString("unit_of_measurement", unit);
            w.WriteString("state_class", "measurement");
            w.WriteNumber("suggested_display_precision", precision);
        });

    private DiscoveryConfig Config(string component, BridgedDevice device, string entity, string name, string stateTopic,
        Action<Utf8JsonWriter> platform, bool deviceAvailability = true)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("unique_id", topics.UniqueId(device.Id, entity));
            w.WriteString("state_topic", stateTopic);
            platform(w);
            w.WriteStartArray("availability");
            WriteAvailability(w, topics.BridgeAvailability);
            if (deviceAvailability)
            {
                WriteAvailability(w, topics.Availability(device.Id));
            }

            w.WriteEndArray();
            w.WriteString("availability_mode", "all");
            w.WriteNumber("qos", 1);
            w.WriteStartObject("device");
            w.WriteStartArray("identifiers");
            w.WriteStringValue(topics.DeviceIdentifier(device.Id));
            w.WriteEndArray();
            w.WriteString("name", device.Id);
            w.WriteString("manufacturer", "Irrigation (open source)");
            w.WriteString("model", $"ESP32 irrigation controller, {device.Zones.Length} zone{(device.Zones.Length == 1 ? "" : "s")}");
            if (device.Firmware is { Length: > 0 } firmware)
            {
                w.WriteString("sw_version", firmware);
            }

            if (dashboard.Url is { } url)
            {
                w.WriteString("configuration_url", url);
            }

            w.WriteEndObject();
            w.WriteStartObject("origin");
            w.WriteString("name", "Irrigation server");
            w.WriteString("sw_version", serverVersion);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return new DiscoveryConfig(topics.Config(component, device.Id, entity), Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    private static void WriteAvailability(Utf8JsonWriter w, string topic)
    {
        w.WriteStartObject();
        w.WriteString("topic", topic);
        w.WriteString("payload_available", "online");
        w.WriteString("payload_not_available", "offline");
        w.WriteEndObject();
    }
}
