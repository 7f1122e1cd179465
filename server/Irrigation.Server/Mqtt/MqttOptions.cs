namespace Irrigation.Server.Mqtt;

/// <summary>
/// The MQTT bridge to Home Assistant (configuration section <c>Mqtt</c>). Off while <see cref="Server"/> is empty.
/// </summary>
public sealed class MqttOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string Section = "Mqtt";

    /// <summary>The broker: <c>mqtt://host:port</c> (1883 by default) or <c>mqtts://host:port</c> (TLS, 8883). Empty: no bridge.</summary>
    public string Server { get; set; } = "";

    /// <summary>The broker account's user name (empty: connect anonymously).</summary>
    public string Username { get; set; } = "";

    /// <summary>The broker account's password.</summary>
    public string Password { get; set; } = "";

    /// <summary>The user of this server whose devices are exposed; commands from MQTT run with that user's role.</summary>
    public string User { get; set; } = "";

    /// <summary>Home Assistant's discovery prefix (its MQTT integration's setting).</summary>
    public string DiscoveryPrefix { get; set; } = "homeassistant";

    /// <summary>The first level of every state, command and result topic; one per server sharing a broker.</summary>
    public string BaseTopic { get; set; } = "irrigation";

    /// <summary>
    /// How long a valve opened from Home Assistant (OPEN) runs, seconds, capped at the device's maximum. A number
    /// of seconds sent instead of OPEN runs for that long.
    /// </summary>
    public int OpenDurationSeconds { get; set; } = 600;

    /// <summary>
    /// The dashboard's address as Home Assistant's users reach it (each device's "Visit" link). Empty: the first
    /// address this server listens on, with a wildcard host replaced by the machine's name.
    /// </summary>
    public string DashboardUrl { get; set; } = "";

    /// <summary>Device changes waiting for the bridge; when full, the oldest is dropped (and counted in /metrics).</summary>
    public int QueueLength { get; set; } = 4096;

    /// <summary>True when the bridge is configured.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(Server);
}
