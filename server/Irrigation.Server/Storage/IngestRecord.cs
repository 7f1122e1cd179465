namespace Irrigation.Server.Storage;

/// <summary>
/// One accepted controller event (or one command sent by the server) ready to be stored. Readings fill
/// <see cref="Kind"/>/<see cref="Value"/>; every other event carries its <c>data</c> object as JSON.
/// </summary>
public sealed record IngestRecord
{
    /// <summary>The device id.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The wire event name.</summary>
    public required string Event { get; init; }

    /// <summary>The controller's boot id; 0 for frames the server originates.</summary>
    public long Boot { get; init; }

    /// <summary>The controller's seq, or null for frames the server originates (commands).</summary>
    public long? Seq { get; init; }

    /// <summary>Device time (data.time), Unix seconds.</summary>
    public long Time { get; init; }

    /// <summary>Server receive time, Unix seconds.</summary>
    public long Received { get; init; }

    /// <summary>Set for readings.</summary>
    public ReadingKind? Kind { get; init; }

    /// <summary>The reading's record (tenths).</summary>
    public long Value { get; init; }

    /// <summary>Soil moisture's raw ADC value.</summary>
    public long? Raw { get; init; }

    /// <summary>A reading's zone, if given; for a measured volume, its ledger zone (<see cref="WaterZone.Of"/>).</summary>
    public string? Zone { get; init; }

    /// <summary>irrigation_stopped's volume in tenths of a litre, when the controller measured one (a water ledger row).</summary>
    public long? Litres { get; init; }

    /// <summary>The data object as JSON for non-reading events.</summary>
    public string? DataJson { get; init; }
}
