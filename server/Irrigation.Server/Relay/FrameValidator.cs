using System.Text.Json;
using System.Text.Unicode;
using Irrigation.Core.Protocol;
using Irrigation.Server.Auth;

namespace Irrigation.Server.Relay;

/// <summary>
/// Checks controller frames against the contract (the rules tests/vectors/to-server encodes): a JSON object with a
/// string "event", a positive integer "seq", an object "data" whose fields have the contract's integer/string/array
/// types and ranges. Unknown fields are ignored. Numbers must be plain integers (no fraction, no exponent).
/// </summary>
public static class FrameValidator
{
    /// <summary>Deepest nesting accepted; the contract's frames need 3.</summary>
    public const int MaxDepth = 16;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = MaxDepth };

    /// <summary>Lowest data.time accepted (Unix seconds).</summary>
    public const long MinTime = 1;

    /// <summary>Largest soil_moisture data.raw accepted (ADC counts).</summary>
    public const long MaxRaw = int.MaxValue;


    /// <summary>The range of a reading event's value (tenths; the core's reading kinds table); false for other events.</summary>
    public static bool TryGetRecordRange(string eventName, out long min, out long max)
    {
        var spec = ReadingSpecs.Find(eventName);
        (min, max) = spec is null ? (0L, -1L) : (spec.Min, spec.Max);
        return spec is not null;
    }

    /// <summary>Validates one event frame (not hello) and reports the error of a rejected one. The caller checked the size limit.</summary>
    public static FrameCheck Validate(ReadOnlyMemory<byte> frame)
    {
        var check = new FrameCheck();
        if (!TryParse(frame, out var document, out var parseError))
        {
            return Fail(check, ErrorCodes.BadJson, parseError);
        }

        check.Document = document;
        var root = document!.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return Fail(check, ErrorCodes.BadJson, "the frame must be a JSON object");
        }

        var hasSeq = root.TryGetProperty("seq", out var seqElement);
        if (hasSeq && TryPositive(seqElement, out var seq))
        {
            check.Seq = seq;
        }

        if (!root.TryGetProperty("event", out var eventElement) || eventElement.ValueKind != JsonValueKind.String)
        {
            return Fail(check, ErrorCodes.BadField, "\"event\" must be a string");
        }

        var name = eventElement.GetString()!;
        check.Event = name;
        if (!EventNames.IsControllerEvent(name))
        {
            return Fail(check, ErrorCodes.UnknownEvent, name == EventNames.Hello
                ? "hello is only valid as the first frame"
                : $"unknown event '{Truncate(name)}'");
        }

        if (!hasSeq || check.Seq is null)
        {
            return Fail(check, ErrorCodes.BadField, "\"seq\" must be a positive integer");
        }

        if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
        {
            return Fail(check, ErrorCodes.BadField, "\"data\" must be an object");
        }

        if (!Integer(data, "time", MinTime, long.MaxValue, out var time, out var error) || !CheckFields(name, data, out error))
        {
            return Fail(check, ErrorCodes.BadField, error);
        }

        check.Time = time;
        check.Data = data;
        // The document reads the frame in place, so the data's bytes are a slice of it (copied if that ever changes).
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(data);
        check.RawData = frame.Span.Overlaps(raw, out var offset) ? frame.Slice(offset, raw.Length) : raw.ToArray();
        if (ReadingSpecs.Find(name) is { } reading)
        {
            check.Record = data.GetProperty(reading.Field).GetInt64();
            check.Raw = reading.HasRaw ? data.GetProperty("raw").GetInt64() : null;
            check.Zone = reading.HasZone && data.TryGetProperty("zone", out var zone) ? zone.GetString() : null;
        }

        return check;
    }

    /// <summary>Parses a hello frame; null with an error message when it is not a valid hello.</summary>
    public static HelloFrame? ParseHello(ReadOnlyMemory<byte> frame, out string error)
    {
        if (!TryParse(frame, out var document, out error))
        {
            return null;
        }

        using (document)
        {
            var root = document!.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("event", out var name) || name.ValueKind != JsonValueKind.String
                || name.GetString() != EventNames.Hello)
            {
                error = "hello expected as the first frame";
                return null;
            }

            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            {
                error = "hello needs a data object";
                return null;
            }

            if (!String(data, "device", out var device, out error) || !Identifiers.IsValidId(device)
                || !String(data, "token", out var token, out error) || token.Length == 0
                || !Integer(data, "boot", 0, long.MaxValue, out var boot, out error))
            {
                error = error.Length > 0 ? error : "hello needs a valid device, token and boot";
                return null;
            }

            var protocol = 1L;
            if (data.TryGetProperty("protocol", out _) && !Integer(data, "protocol", 1, 1, out protocol, out error))
            {
                error = "unsupported protocol (this server speaks protocol 1)";
                return null;
            }

            string? firmware = null;
            if (data.TryGetProperty("firmware", out var firmwareElement) && firmwareElement.ValueKind == JsonValueKind.String)
            {
                firmware = Truncate(firmwareElement.GetString()!);
            }

            var zones = Array.Empty<string>();
            if (data.TryGetProperty("zones", out _) && !StringArray(data, "zones", out zones, out error))
            {
                return null;
            }

            if (Array.Exists(zones, z => !Identifiers.IsValidZone(z)))
            {
                error = "hello zone names must be " + Identifiers.ZoneRule;
                return null;
            }

            var sensors = Array.Empty<string>();
            if (data.TryGetProperty("sensors", out _) && !StringArray(data, "sensors", out sensors, out error))
            {
                return null;
            }

            var settingsVersion = 0L;
            if (data.TryGetProperty("settings_version", out _) && !Integer(data, "settings_version", 0, int.MaxValue, out settingsVersion, out error))
            {
                return null;
            }

            error = "";
            return new HelloFrame(device, token, boot, (int)protocol, firmware, zones, sensors) { SettingsVersion = (int)settingsVersion };
        }
    }

    private static FrameCheck Fail(FrameCheck check, string code, string message)
    {
        check.ErrorCode = code;
        check.Message = message;
        return check;
    }

    private static bool CheckFields(string name, JsonElement data, out string error)
    {
        if (ReadingSpecs.Find(name) is { } reading)
        {
            return Integer(data, reading.Field, reading.Min, reading.Max, out _, out error)
                && (!reading.HasRaw || Integer(data, "raw", 0, MaxRaw, out _, out error))
                && (!reading.HasZone || OptionalZone(data, out error));
        }

        switch (name)
        {
            case EventNames.IrrigationStarted:
                return Zones(data, "zones", allowEmpty: false, out error)
                    && OneOf(data, "reason", out error, Reasons.Schedule, Reasons.SoilDry, Reasons.Manual)
                    && Integer(data, "duration", 1, int.MaxValue, out _, out error);
            case EventNames.IrrigationStopped:
                return Zones(data, "zones", allowEmpty: true, out error)
                    && OneOf(data, "reason", out error, Reasons.Completed, Reasons.SoilWet, Reasons.Manual, Reasons.Failsafe, Reasons.Boot)
                    && (!data.TryGetProperty("litres", out _) || Integer(data, "litres", 0, int.MaxValue, out _, out error));
            case EventNames.SensorDisconnected:
            case EventNames.SensorReconnected:
                return String(data, "sensor", out var sensor, out error) && NotEmpty(sensor, "sensor", out error);
            case EventNames.Status:
                return Integer(data, "uptime", 0, long.MaxValue, out _, out error)
                    && Integer(data, "free_heap", 0, long.MaxValue, out _, out error)
                    && Integer(data, "rssi", -200, 100, out _, out error)
                    && Zones(data, "open_zones", allowEmpty: true, out error)
                    && Integer(data, "buffered", 0, long.MaxValue, out _, out error)
                    && Integer(data, "dropped", 0, long.MaxValue, out _, out error);
            case EventNames.CommandResult:
                if (!String(data, "id", out var id, out error) || !NotEmpty(id, "id", out error))
                {
                    return false;
                }

                if (!data.TryGetProperty("ok", out var ok) || (ok.ValueKind != JsonValueKind.True && ok.ValueKind != JsonValueKind.False))
                {
                    error = "data.ok must be true or false";
                    return false;
                }

                return !data.TryGetProperty("error", out _) || String(data, "error", out _, out error);
            case EventNames.Log:
                return String(data, "level", out _, out error) && String(data, "message", out _, out error);
            case EventNames.SettingsApplied:
                return Integer(data, "version", 1, int.MaxValue, out _, out error);
            case EventNames.SettingsRejected:
                return Integer(data, "version", 1, int.MaxValue, out _, out error) && Errors(data, out error);
            case EventNames.IrrigationSkipped:
                return Zones(data, "zones", allowEmpty: false, out error)
                    && OneOf(data, "reason", out error, Reasons.RainDelay, Reasons.Freeze, Reasons.MinInterval, Reasons.LeakLock);
            case EventNames.FlowAlert:
                return OptionalZone(data, out error)
                    && OneOf(data, "kind", out error, FlowAlertKinds.High, FlowAlertKinds.Low, FlowAlertKinds.None, FlowAlertKinds.Leak)
                    && Integer(data, "expected", ReadingSpecs.Flow.Min, ReadingSpecs.Flow.Max, out _, out error)
                    && Integer(data, "measured", ReadingSpecs.Flow.Min, ReadingSpecs.Flow.Max, out _, out error);
            default:
                error = "unknown event";
                return false;
        }
    }

    private static bool TryParse(ReadOnlyMemory<byte> frame, out JsonDocument? document, out string error)
    {
        document = null;
        // System.Text.Json checks UTF-8 inside strings only; reject invalid bytes anywhere, as the contract says.
        if (!Utf8.IsValid(frame.Span))
        {
            error = "the frame is not valid UTF-8";
            return false;
        }

        try
        {
            document = JsonDocument.Parse(frame, ParseOptions);
        }
        catch (JsonException e)
        {
            error = "not valid JSON: " + (e.Message.Length > 120 ? e.Message[..120] : e.Message);
            return false;
        }

        if (Utf16Escapes.HasUnpaired(frame.Span))
        {
            document.Dispose();
            document = null;
            error = "the frame escapes half of a UTF-16 surrogate pair (such as \\ud800 alone): not text";
            return false;
        }

        error = "";
        return true;
    }

    private static bool TryPositive(JsonElement element, out long value)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out value) && value > 0 && IsPlainInteger(element))
        {
            return true;
        }

        value = 0;
        return false;
    }

    private static bool Integer(JsonElement data, string field, long min, long max, out long value, out string error)
    {
        if (data.TryGetProperty(field, out var element) && element.ValueKind == JsonValueKind.Number
            && element.TryGetInt64(out value) && IsPlainInteger(element))
        {
            if (value >= min && value <= max)
            {
                error = "";
                return true;
            }

            error = $"data.{field} must be between {min} and {max}";
            return false;
        }

        value = 0;
        error = $"data.{field} must be an integer";
        return false;
    }

    // TryGetInt64 already refuses fractions; an exponent like 1e3 is refused here so only plain integers pass.
    private static bool IsPlainInteger(JsonElement element)
    {
        var raw = System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(element);
        foreach (var b in raw)
        {
            if (b is (byte)'e' or (byte)'E' or (byte)'.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool String(JsonElement data, string field, out string value, out string error)
    {
        if (data.TryGetProperty(field, out var element) && element.ValueKind == JsonValueKind.String)
        {
            value = element.GetString()!;
            error = "";
            return true;
        }

        value = "";
        error = $"data.{field} must be a string";
        return false;
    }

    private static bool NotEmpty(string value, string field, out string error)
    {
        error = value.Length == 0 ? $"data.{field} must not be empty" : "";
        return value.Length > 0;
    }

    private static bool OneOf(JsonElement data, string field, out string error, params string[] allowed)
    {
        if (String(data, field, out var value, out error) && Array.IndexOf(allowed, value) >= 0)
        {
            return true;
        }

        error = $"data.{field} must be one of {string.Join(", ", allowed)}";
        return false;
    }

    private static bool OptionalZone(JsonElement data, out string error)
    {
        if (!data.TryGetProperty("zone", out _))
        {
            error = "";
            return true;
        }

        return String(data, "zone", out _, out error);
    }

    private static bool Zones(JsonElement data, string field, bool allowEmpty, out string error)
    {
        if (!data.TryGetProperty(field, out var element) || element.ValueKind != JsonValueKind.Array)
        {
            error = $"data.{field} must be an array of zone names";
            return false;
        }

        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                error = $"data.{field} must be an array of zone names";
                return false;
            }
        }

        if (!allowEmpty && element.GetArrayLength() == 0)
        {
            error = $"data.{field} must name at least one zone";
            return false;
        }

        error = "";
        return true;
    }

    // settings_rejected must say why: a non-empty array of strings.
    private static bool Errors(JsonElement data, out string error)
    {
        if (!StringArray(data, "errors", out var errors, out error) || errors.Length == 0)
        {
            error = "data.errors must be a non-empty array of strings";
            return false;
        }

        return true;
    }

    private static bool StringArray(JsonElement data, string field, out string[] values, out string error)
    {
        values = [];
        if (!Zones(data, field, allowEmpty: true, out error))
        {
            error = $"data.{field} must be an array of strings";
            return false;
        }

        values = data.GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToArray();
        return true;
    }

    private static string Truncate(string text) => text.Length > 64 ? text[..64] + "…" : text;
}
