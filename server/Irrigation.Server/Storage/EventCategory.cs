using Irrigation.Core.Protocol;

namespace Irrigation.Server.Storage;

/// <summary>The category column of the events table, used to filter the history API.</summary>
public static class EventCategory
{
    /// <summary>irrigation_started, irrigation_stopped.</summary>
    public const string Irrigation = "irrigation";

    /// <summary>sensor_disconnected, sensor_reconnected.</summary>
    public const string Sensor = "sensor";

    /// <summary>irrigate, stop and clear_leak sent by the server, command_result from the controller.</summary>
    public const string Command = "command";

    /// <summary>Warnings and errors mirrored from the controller's serial log.</summary>
    public const string Log = "log";

    /// <summary>The periodic status report.</summary>
    public const string Status = "status";

    /// <summary>settings_applied, settings_rejected: what the controller made of a settings version.</summary>
    public const string Settings = "settings";

    /// <summary>flow_alert: the controller's water alarms (high, low, none, leak).</summary>
    public const string FlowAlert = "flow_alert";

    /// <summary>What GET /api/devices/{id}/events returns unless asked for other categories.</summary>
    public static readonly string[] Default = [Irrigation, Sensor, Command, Log, Settings, FlowAlert];

    /// <summary>Every category.</summary>
    public static readonly string[] All = [Irrigation, Sensor, Command, Log, Status, Settings, FlowAlert];

    /// <summary>The category of a non-reading event name, or null for a name that is not stored as an event.</summary>
    public static string? Of(string eventName) => eventName switch
    {
        EventNames.IrrigationStarted or EventNames.IrrigationStopped or EventNames.IrrigationSkipped => Irrigation,
        EventNames.SettingsApplied or EventNames.SettingsRejected => Settings,
        EventNames.SensorDisconnected or EventNames.SensorReconnected => Sensor,
        EventNames.CommandResult or EventNames.Irrigate or EventNames.Stop or EventNames.ClearLeak => Command,
        EventNames.FlowAlert => FlowAlert,
        EventNames.Log => Log,
        EventNames.Status => Status,
        _ => null,
    };
}
