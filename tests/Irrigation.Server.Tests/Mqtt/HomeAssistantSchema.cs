using System.Text.Json;
using System.Text.RegularExpressions;

namespace Irrigation.Server.Tests.Mqtt;

/// <summary>
/// Home Assistant's MQTT discovery schema for the platforms the bridge uses, as facts read from its sources
/// (homeassistant/components/mqtt: discovery.py's topic pattern, config.py's MQTT_RO_SCHEMA and MQTT_RW_SCHEMA,
/// schemas.py's entity, device, origin and availability schemas, sensor.py, binary_sensor.py, valve.py, switch.py
/// with switch's device classes (outlet, switch), and sensor's
/// DEVICE_CLASS_UNITS / DEVICE_CLASS_STATE_CLASSES). Home Assistant drops unknown keys silently; this check
/// reports them, so a misspelt key fails a test instead of vanishing.
/// </summary>
public static partial class HomeAssistantSchema
{
    private static readonly string[] BaseKeys = ["qos", "encoding"];

    private static readonly string[] EntityKeys =
    [
        "availability", "availability_mode", "availability_template", "availability_topic", "payload_available", "payload_not_available",
        "device", "entity_picture", "origin", "enabled_by_default", "entity_category", "icon", "json_attributes_topic",
        "json_attributes_template", "object_id", "default_entity_id", "unique_id",
    ];

    private static readonly Dictionary<string, string[]> PlatformKeys = new()
    {
        ["sensor"] = ["state_topic", "value_template", "device_class", "expire_after", "force_update", "last_reset_value_template", "name", "options",
            "suggested_display_precision", "state_class", "unit_of_measurement"],
        ["binary_sensor"] = ["state_topic", "value_template", "device_class", "expire_after", "force_update", "name", "off_delay", "payload_off", "payload_on"],
        ["valve"] = ["command_topic", "command_template", "device_class", "name", "optimistic", "payload_close", "payload_open", "payload_stop",
            "position_closed", "position_open", "reports_position", "retain", "state_closed", "state_closing", "state_open", "state_opening",
            "state_topic", "value_template"],
        // MQTT_RW_SCHEMA (command_topic, optimistic, retain, state_topic) and switch.py's own keys.
        ["switch"] = ["command_topic", "command_template", "device_class", "name", "optimistic", "payload_off", "payload_on", "retain",
            "state_off", "state_on", "state_topic", "value_template"],
    };

    // Required by MQTT_RO_SCHEMA for the read-only platforms.
    private static readonly Dictionary<string, string[]> Required = new()
    {
        ["sensor"] = ["state_topic"],
        ["binary_sensor"] = ["state_topic"],
        ["valve"] = [],
        ["switch"] = ["command_topic"],
    };

    private static readonly Dictionary<string, string[]> SensorUnits = new()
    {
        ["temperature"] = ["°C", "°F", "K"],
        ["humidity"] = ["%"],
        ["moisture"] = ["%"],
        ["signal_strength"] = ["dB", "dBm"],
        ["water"] = ["CCF", "ft³", "m³", "gal", "L"],
    };

    private static readonly Dictionary<string, string[]> SensorStateClasses = new()
    {
        ["temperature"] = ["measurement"],
        ["humidity"] = ["measurement"],
        ["moisture"] = ["measurement"],
        ["signal_strength"] = ["measurement"],
        ["water"] = ["total", "total_increasing"],
    };

    private static readonly string[] BinarySensorClasses =
    [
        "battery", "battery_charging", "carbon_monoxide", "cold", "connectivity", "door", "garage_door", "gas", "heat", "light", "lock",
        "moisture", "motion", "moving", "occupancy", "opening", "plug", "power", "presence", "problem", "running", "safety", "smoke",
        "sound", "tamper", "update", "vibration", "window",
    ];

    private static readonly string[] DeviceKeys =
    [
        "identifiers", "connections", "manufacturer", "model", "model_id", "name", "hw_version", "serial_number", "sw_version",
        "via_device", "suggested_area", "configuration_url",
    ];

    /// <summary>The component of a discovery topic, or null when Home Assistant would not read the topic.</summary>
    public static string? Component(string prefix, string topic)
    {
        var match = TopicPattern().Match(topic.StartsWith(prefix + "/", StringComparison.Ordinal) ? topic[(prefix.Length + 1)..] : "");
        return match.Success ? match.Groups["component"].Value : null;
    }

    /// <summary>Everything Home Assistant would refuse or drop in the config on <paramref name="topic"/>.</summary>
    public static List<string> Problems(string prefix, string topic, JsonElement config)
    {
        var problems = new List<string>();
        var component = Component(prefix, topic);
        if (component is null || !PlatformKeys.TryGetValue(component, out var platformKeys))
        {
            problems.Add($"{topic}: not a discovery topic of sensor, binary_sensor, valve or switch");
            return problems;
        }

        var allowed = BaseKeys.Concat(EntityKeys).Concat(platformKeys).ToHashSet();
        foreach (var property in config.EnumerateObject())
        {
            if (!allowed.Contains(property.Name))
            {
                problems.Add($"unknown key '{property.Name}' (Home Assistant drops it)");
            }
        }

        foreach (var key in Required[component])
        {
            if (!config.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.String || !ValidSubscribeTopic(value.GetString()!))
            {
                problems.Add($"required '{key}' missing or not a topic");
            }
        }

        foreach (var key in new[] { "state_topic", "command_topic", "availability_topic" })
        {
            if (config.TryGetProperty(key, out var t) && (t.ValueKind != JsonValueKind.String || !ValidPublishTopic(t.GetString()!)))
            {
                problems.Add($"'{key}' is not a valid topic");
            }
        }

        if (!config.TryGetProperty("unique_id", out var uid) || uid.ValueKind != JsonValueKind.String || uid.GetString()!.Length == 0)
        {
            problems.Add("no unique_id (the entity could not be renamed or moved in Home Assistant)");
        }

        if (config.TryGetProperty("availability", out var availability))
        {
            if (config.TryGetProperty("availability_topic", out _))
            {
                problems.Add("'availability' and 'availability_topic' are exclusive");
            }

            foreach (var item in availability.EnumerateArray())
            {
                if (!item.TryGetProperty("topic", out var at) || !ValidSubscribeTopic(at.GetString() ?? ""))
                {
                    problems.Add("an availability entry without a topic");
                }

                problems.AddRange(item.EnumerateObject().Where(p => p.Name is not ("topic" or "payload_available" or "payload_not_available" or "value_template"))
                    .Select(p => $"unknown availability key '{p.Name}'"));
            }
        }

        if (config.TryGetProperty("availability_mode", out var mode) && mode.GetString() is not ("all" or "any" or "latest"))
        {
            problems.Add($"availability_mode '{mode}' is not all, any or latest");
        }

        if (config.TryGetProperty("entity_category", out var category) && category.GetString() is not ("config" or "diagnostic"))
        {
            problems.Add($"entity_category '{category}'");
        }

        CheckDevice(config, problems);
        CheckOrigin(config, problems);
        switch (component)
        {
            case "sensor":
                CheckSensor(config, problems);
                break;
            case "binary_sensor":
                if (config.TryGetProperty("device_class", out var bc) && !BinarySensorClasses.Contains(bc.GetString()))
                {
                    problems.Add($"binary_sensor device_class '{bc}'");
                }

                break;
            case "valve":
                CheckValve(config, problems);
                break;
            case "switch":
                if (config.TryGetProperty("device_class", out var sc) && sc.GetString() is not ("outlet" or "switch"))
                {
                    problems.Add($"switch device_class '{sc}'");
                }

                foreach (var key in new[] { "optimistic", "retain" })
                {
                    if (config.TryGetProperty(key, out var b) && b.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        problems.Add($"'{key}' must be a boolean");
                    }
                }

                break;
        }

        return problems;
    }

    private static void CheckSensor(JsonElement config, List<string> problems)
    {
        var unit = config.TryGetProperty("unit_of_measurement", out var u) ? u.GetString() : null;
        var stateClass = config.TryGetProperty("state_class", out var s) ? s.GetString() : null;
        if (stateClass is not (null or "measurement" or "total" or "total_increasing" or "measurement_angle"))
        {
            problems.Add($"state_class '{stateClass}'");
        }

        if (config.TryGetProperty("device_class", out var dc))
        {
            var deviceClass = dc.GetString()!;
            if (!SensorUnits.TryGetValue(deviceClass, out var units))
            {
                problems.Add($"sensor device_class '{deviceClass}' is not one this check knows");
                return;
            }

            if (!units.Contains(unit))
            {
                problems.Add($"unit '{unit}' is not valid for device_class {deviceClass} ({string.Join(", ", units)})");
            }

            if (stateClass is not null && !SensorStateClasses[deviceClass].Contains(stateClass))
            {
                problems.Add($"state_class {stateClass} is not valid for device_class {deviceClass}");
            }
        }

        if (config.TryGetProperty("suggested_display_precision", out var p) && (p.ValueKind != JsonValueKind.Number || p.GetInt32() < 0))
        {
            problems.Add("suggested_display_precision must be a positive integer");
        }

        if (config.TryGetProperty("entity_category", out var category) && category.GetString() == "config")
        {
            problems.Add("a sensor cannot be a config entity");
        }
    }

    private static void CheckValve(JsonElement config, List<string> problems)
    {
        if (config.TryGetProperty("device_class", out var dc) && dc.GetString() is not ("water" or "gas"))
        {
            problems.Add($"valve device_class '{dc}'");
        }

        var reportsPosition = config.TryGetProperty("reports_position", out var rp) && rp.ValueKind == JsonValueKind.True;
        if (reportsPosition && new[] { "payload_open", "payload_close", "state_open", "state_closed" }.Any(k => config.TryGetProperty(k, out _)))
        {
            problems.Add("payload_open/payload_close/state_open/state_closed are not allowed when the valve reports a position");
        }

        foreach (var key in new[] { "optimistic", "reports_position", "retain" })
        {
            if (config.TryGetProperty(key, out var b) && b.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                problems.Add($"'{key}' must be a boolean");
            }
        }
    }

    private static void CheckDevice(JsonElement config, List<string> problems)
    {
        if (!config.TryGetProperty("device", out var device))
        {
            problems.Add("no device block (the entity would belong to no device)");
            return;
        }

        problems.AddRange(device.EnumerateObject().Where(p => !DeviceKeys.Contains(p.Name)).Select(p => $"unknown device key '{p.Name}'"));
        var identified = device.TryGetProperty("identifiers", out var ids) && ids.ValueKind == JsonValueKind.Array && ids.GetArrayLength() > 0
            || device.TryGetProperty("connections", out var c) && c.GetArrayLength() > 0;
        if (!identified)
        {
            problems.Add("the device has no identifiers or connections");
        }

        if (device.TryGetProperty("configuration_url", out var url)
            && !(Uri.TryCreate(url.GetString(), UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" or "homeassistant"))
        {
            problems.Add($"configuration_url '{url}' is not an http(s) address");
        }
    }

    private static void CheckOrigin(JsonElement config, List<string> problems)
    {
        if (config.TryGetProperty("origin", out var origin))
        {
            if (!origin.TryGetProperty("name", out var name) || name.GetString() is not { Length: > 0 })
            {
                problems.Add("origin without a name");
            }

            problems.AddRange(origin.EnumerateObject().Where(p => p.Name is not ("name" or "sw_version" or "support_url")).Select(p => $"unknown origin key '{p.Name}'"));
        }
    }

    private static bool ValidSubscribeTopic(string topic) => topic.Length > 0 && !topic.Contains('\0');

    private static bool ValidPublishTopic(string topic) => ValidSubscribeTopic(topic) && !topic.Contains('+') && !topic.Contains('#');

    [GeneratedRegex(@"^(?<component>\w+)/(?:(?<node_id>[a-zA-Z0-9_-]+)/)?(?<object_id>[a-zA-Z0-9_-]+)/config$")]
    private static partial Regex TopicPattern();
}
