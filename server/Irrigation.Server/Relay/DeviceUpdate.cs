using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Relay;

/// <summary>
/// What an event changes in a device's live state: a reading, irrigation started/stopped, status's open zones,
/// presence, a flow alert, or the leak lock's clear_leak command and its result. Built from the validated frame on the controller's instance, and parsed back from the tagged frame on
/// every other instance (<see cref="FromTaggedFrame"/>), so both apply the same change.
/// </summary>
public readonly record struct DeviceUpdate(string Event, long Time, long Received)
{
    /// <summary>Set for readings.</summary>
    public ReadingKind? Kind { get; init; }

    /// <summary>A reading's record (tenths).</summary>
    public long Value { get; init; }

    /// <summary>soil_moisture's raw ADC value.</summary>
    public long? Raw { get; init; }

    /// <summary>soil_moisture's zone.</summary>
    public string? Zone { get; init; }

    /// <summary>Zones of irrigation_started/stopped, or status.open_zones.</summary>
    public string[]? Zones { get; init; }

    /// <summary>irrigation_started's lease in seconds.</summary>
    public long Duration { get; init; }

    /// <summary>irrigation_stopped's measured volume in tenths of a litre, when it carries one.</summary>
    public long? Litres { get; init; }

    /// <summary>A flow_alert.</summary>
    public FlowAlert? Alert { get; init; }

    /// <summary>The id of a command the server sent (clear_leak) or of the command a command_result answers.</summary>
    public string? CommandId { get; init; }

    /// <summary>command_result's ok.</summary>
    public bool Ok { get; init; }

    /// <summary>The update of a validated controller event whose data is <paramref name="data"/>.</summary>
    public static DeviceUpdate FromEvent(string eventName, long time, long received, JsonElement data, ReadingKind? kind, long value, long? raw, string? zone) =>
        new(eventName, time, received)
        {
            Kind = kind,
            Value = value,
            Raw = raw,
            Zone = zone,
            Zones = ZonesOf(eventName, data),
            Duration = DurationOf(eventName, data),
            Litres = eventName == EventNames.IrrigationStopped && data.TryGetProperty("litres", out var litres) ? litres.GetInt64() : null,
            Alert = eventName == EventNames.FlowAlert ? FlowAlert.FromData(data) : null,
            CommandId = eventName is EventNames.CommandResult or EventNames.ClearLeak && data.TryGetProperty("id", out var id) ? id.GetString() : null,
            Ok = eventName == EventNames.CommandResult && data.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True,
        };

    /// <summary>Parses a tagged frame (<c>{"event":…,"device":…,"data":{…}}</c>) as another instance sent it.</summary>
    public static DeviceUpdate FromTaggedFrame(ReadOnlySpan<byte> frame, long received)
    {
        var reader = new Utf8JsonReader(frame);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var name = root.GetProperty("event").GetString()!;
        var data = root.GetProperty("data");
        var time = data.TryGetProperty("time", out var t) ? t.GetInt64() : received;
        if (ReadingKinds.TryParse(name, out var kind))
        {
            return new DeviceUpdate(name, time, received)
            {
                Kind = kind,
                Value = data.GetProperty(ReadingKinds.Spec(kind).Field).GetInt64(),
                Raw = data.TryGetProperty("raw", out var raw) ? raw.GetInt64() : null,
                Zone = data.TryGetProperty("zone", out var zone) ? zone.GetString() : null,
            };
        }

        return FromEvent(name, time, received, data, null, 0, null, null);
    }

    private static string[]? ZonesOf(string eventName, JsonElement data) => eventName switch
    {
        EventNames.IrrigationStarted or EventNames.IrrigationStopped => Strings(data.GetProperty("zones")),
        EventNames.Status => Strings(data.GetProperty("open_zones")),
        _ => null,
    };

    private static long DurationOf(string eventName, JsonElement data) =>
        eventName == EventNames.IrrigationStarted ? data.GetProperty("duration").GetInt64() : 0;

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
