namespace Irrigation.Server.Relay;

/// <summary>What an <see cref="IngestItem"/> asks the writer to do.</summary>
public enum IngestItemKind
{
    /// <summary>Store a controller event, then update state, broadcast and ack.</summary>
    Event,

    /// <summary>A rejected frame with a valid seq: ack it in order with the stored ones (nothing stored).</summary>
    Rejected,

    /// <summary>device_online / device_offline: update presence and broadcast, in order with the device's events.</summary>
    Presence,

    /// <summary>A command the server sent: store it in the history and show it to dashboards.</summary>
    Command,
}
