using System.Text.Json;
using Irrigation.Core.Protocol;

namespace Irrigation.Server.Relay;

/// <summary>
/// Reads a plain, valid reading (temperature, humidity, soil_moisture) in one pass of a <see cref="Utf8JsonReader"/>,
/// without building a <see cref="JsonDocument"/>: readings are nearly all the traffic, and the document was the
/// largest cost of validating them. It only ever accepts. Whatever it does not fully recognise (another event, an
/// escaped or repeated name, a value of another type or out of range, anything after the object) makes it decline,
/// and <see cref="FrameValidator.ValidateDocument"/> decides and words the error; the ranges are the validator's.
/// </summary>
internal static class ReadingFrameReader
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = FrameValidator.MaxDepth };

    /// <summary>True with a valid <paramref name="check"/> for a reading it fully recognises; false to decline.</summary>
    public static bool TryRead(ReadOnlyMemory<byte> frame, out FrameCheck check)
    {
        check = default;
        string? name = null;
        long? seq = null, time = null, record = null, raw = null;
        string? zone = null;
        var hasZone = false;
        var dataStart = -1;
        var dataEnd = -1;
        var reader = new Utf8JsonReader(frame.Span, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (NextProperty(ref reader))
            {
                if (reader.ValueTextEquals("event"u8))
                {
                    if (name is not null || !reader.Read() || (name = ReadingName(ref reader)) is null)
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("seq"u8))
                {
                    if (!ReadInteger(ref reader, ref seq))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    if (dataStart >= 0 || !reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                    {
                        return false;
                    }

                    dataStart = (int)reader.TokenStartIndex;
                    while (NextProperty(ref reader))
                    {
                        if (reader.ValueTextEquals("time"u8))
                        {
                            if (!ReadInteger(ref reader, ref time))
                            {
                                return false;
                            }
                        }
                        else if (reader.ValueTextEquals("record"u8))
                        {
                            if (!ReadInteger(ref reader, ref record))
                            {
                                return false;
                            }
                        }
                        else if (reader.ValueTextEquals("raw"u8))
                        {
                            if (!ReadInteger(ref reader, ref raw))
                            {
                                return false;
                            }
                        }
                        else if (reader.ValueTextEquals("zone"u8))
                        {
                            if (hasZone || !reader.Read() || reader.TokenType != JsonTokenType.String)
                            {
                                return false;
                            }

                            hasZone = true;
                            zone = reader.GetString();
                        }
                        else
                        {
                            SkipValue(ref reader);
                        }
                    }

                    if (reader.TokenType != JsonTokenType.EndObject)
                    {
                        return false;
                    }

                    dataEnd = (int)reader.BytesConsumed;
                }
                else
                {
                    SkipValue(ref reader);
                }
            }

            // The object must end the frame (trailing whitespace aside), as it must for the document.
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a zone that escapes half of a surrogate pair (not text). Validate keeps such
            // frames from this reader (Utf16Escapes); declining keeps the reader safe on its own too.
            return false;
        }

        if (name is null || seq is not > 0 || dataStart < 0 || time is not >= FrameValidator.MinTime
            || !FrameValidator.TryGetRecordRange(name, out var min, out var max) || record is not long value || value < min || value > max)
        {
            return false;
        }

        var soil = name == EventNames.SoilMoisture;
        if (soil && raw is not (>= 0 and <= FrameValidator.MaxRaw))
        {
            return false;
        }

        check = new FrameCheck
        {
            Event = name,
            Seq = seq,
            Time = time.Value,
            RawData = frame[dataStart..dataEnd],
            Record = value,
            Raw = soil ? raw : null,
            Zone = soil ? zone : null,
        };
        return true;
    }

    // Moves to the next property name of the current object; false at its end. Escaped names are declined (the
    // document unescapes them; matching them here is not worth the code), by ending the object early.
    private static bool NextProperty(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName && !reader.ValueIsEscaped;

    private static string? ReadingName(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return null;
        }

        return reader.ValueTextEquals("temperature"u8) ? EventNames.Temperature
            : reader.ValueTextEquals("humidity"u8) ? EventNames.Humidity
            : reader.ValueTextEquals("soil_moisture"u8) ? EventNames.SoilMoisture
            : null;
    }

    // The value of a property seen for the first time; false for a repeat or a value that is not a plain integer.
    private static bool ReadInteger(ref Utf8JsonReader reader, ref long? slot)
    {
        if (slot is not null || !reader.Read())
        {
            return false;
        }

        slot = PlainInteger(ref reader);
        return slot is not null;
    }

    // An integer written without fraction or exponent, as the contract asks; null otherwise.
    private static long? PlainInteger(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number || reader.ValueSpan.IndexOfAny("eE."u8) >= 0)
        {
            return null;
        }

        return reader.TryGetInt64(out var value) ? value : null;
    }

    private static void SkipValue(ref Utf8JsonReader reader)
    {
        reader.Read();
        reader.Skip();
    }
}
