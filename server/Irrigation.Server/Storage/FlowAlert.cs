using System.Text.Json;

namespace Irrigation.Server.Storage;

/// <summary>One flow_alert as the device's state lists it (rates in tenths of a litre per minute, as on the wire).</summary>
/// <param name="Time">Device time, Unix seconds.</param>
/// <param name="Zone">The zone, when one was open alone; null for a leak or several zones.</param>
/// <param name="Kind">high, low, none or leak (<see cref="Irrigation.Core.Protocol.FlowAlertKinds"/>).</param>
/// <param name="Expected">The open zones' learned baseline.</param>
/// <param name="Measured">The flow that raised the alarm.</param>
public sealed record FlowAlert(long Time, string? Zone, string Kind, long Expected, long Measured)
{
    /// <summary>The alert of a (validated) flow_alert data object, or null when the object is not one.</summary>
    public static FlowAlert? FromData(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object
        && data.TryGetProperty("time", out var time) && time.TryGetInt64(out var t)
        && data.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String
        && data.TryGetProperty("expected", out var expected) && expected.TryGetInt64(out var e)
        && data.TryGetProperty("measured", out var measured) && measured.TryGetInt64(out var m)
            ? new FlowAlert(t, data.TryGetProperty("zone", out var zone) && zone.ValueKind == JsonValueKind.String ? zone.GetString() : null, kind.GetString()!, e, m)
            : null;

    /// <summary>Writes {time, zone?, kind, expected, measured}.</summary>
    public void WriteJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("time", Time);
        if (Zone is not null)
        {
            w.WriteString("zone", Zone);
        }

        w.WriteString("kind", Kind);
        w.WriteNumber("expected", Expected);
        w.WriteNumber("measured", Measured);
        w.WriteEndObject();
    }
}
