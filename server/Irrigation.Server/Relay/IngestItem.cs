using Irrigation.Server.Storage;

namespace Irrigation.Server.Relay;

/// <summary>One entry of the ingest channel. Everything the writer needs after the commit is prepared by the receiver.</summary>
public sealed class IngestItem
{
    /// <summary>What to do.</summary>
    public required IngestItemKind Kind { get; init; }

    /// <summary>The device's state (its hub orders the broadcast).</summary>
    public required DeviceState State { get; init; }

    /// <summary>What to store (Event, Command).</summary>
    public IngestRecord? Record { get; init; }

    /// <summary>The connection to ack (Event, Rejected).</summary>
    public ControllerSession? Origin { get; init; }

    /// <summary>The seq to ack.</summary>
    public long Seq { get; init; }

    /// <summary>The tagged frame for dashboards, serialized once.</summary>
    public byte[]? Frame { get; init; }

    /// <summary>True for telemetry a full dashboard queue may drop.</summary>
    public bool Droppable { get; init; }

    /// <summary>Zones of irrigation_started/stopped, or open_zones of status.</summary>
    public string[]? Zones { get; init; }

    /// <summary>irrigation_started's lease in seconds.</summary>
    public long Duration { get; init; }

    /// <summary>Presence: online (true) or offline.</summary>
    public bool Online { get; init; }
}
