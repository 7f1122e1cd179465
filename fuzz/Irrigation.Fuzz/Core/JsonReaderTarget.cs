using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Irrigation.Core.Protocol;

namespace Irrigation.Fuzz.Core;

/// <summary>
/// The shared core's <see cref="JsonReader"/> (the firmware's only JSON parser). It must never throw, must end after
/// at most one token per character, keep its depth within <see cref="JsonReader.MaxDepth"/>, give a reason for every
/// rejection, allocate within <see cref="AllocationBound.JsonReader"/>, agree with its own <see cref="JsonReader.Skip"/>,
/// and, since it claims RFC 8259, accept exactly what System.Text.Json's reader accepts, token for token.
/// </summary>
public static class JsonReaderTarget
{
    // One reader for every input (per thread: the property tests run on several), as the firmware reuses one.
    [ThreadStatic]
    private static JsonReader? t_reader;

    private static JsonReader Reader => t_reader ??= new JsonReader();

    /// <summary>Runs the checks on one input (UTF-8 bytes, decoded as the firmware's transport would).</summary>
    public static void Check(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var valid = ReadAll(text);
        // Measured on a second, plain read (the checks allocate their messages), so one-time costs do not count.
        var before = GC.GetAllocatedBytesForCurrentThread();
        Reader.Reset(text);
        while (Reader.Read())
        {
        }

        AllocationBound.JsonReader.Check(GC.GetAllocatedBytesForCurrentThread() - before, text.Length);

        FuzzFailure.Unless(valid == SkipsWhole(text), "Skip() and Read() disagree on whether the document is valid");
        if (Utf8.IsValid(input))
        {
            CompareWithSystemTextJson(input, text, valid);
        }
    }

    private static bool ReadAll(string text)
    {
        var r = Reader;
        r.Reset(text);
        var tokens = 0;
        while (r.Read())
        {
            tokens++;
            FuzzFailure.Unless(tokens <= text.Length, "more tokens than characters (the reader does not advance)");
            FuzzFailure.Unless(r.Depth >= 0 && r.Depth <= JsonReader.MaxDepth, $"depth {r.Depth} outside 0..{JsonReader.MaxDepth}");
            FuzzFailure.Unless(r.Error is null, "an error on a token that was read");
            if (r.Token is JsonToken.String or JsonToken.PropertyName)
            {
                FuzzFailure.Unless(r.StringValue is not null, "a string token without its value");
            }
        }

        FuzzFailure.Unless(r.Token is JsonToken.None or JsonToken.Invalid, $"Read() returned false on {r.Token}");
        FuzzFailure.Unless((r.Token == JsonToken.Invalid) == (r.Error is not null), "an invalid document needs a reason, a valid one has none");
        FuzzFailure.Unless(r.Token == JsonToken.Invalid || r.Depth == 0, "a valid document left containers open");
        return r.Token == JsonToken.None;
    }

    // The document read as "first token, skip its value, expect the end".
    private static bool SkipsWhole(string text)
    {
        var r = Reader;
        r.Reset(text);
        return r.Read() && r.Skip() && !r.Read() && r.Token == JsonToken.None;
    }

    private static void CompareWithSystemTextJson(byte[] input, string text, bool valid)
    {
        var core = Reader;
        core.Reset(text);
        var other = new Utf8JsonReader(input, new JsonReaderOptions { MaxDepth = JsonReader.MaxDepth });
        try
        {
            while (other.Read())
            {
                FuzzFailure.Unless(core.Read(), $"System.Text.Json read {other.TokenType} at byte {other.TokenStartIndex}; the core reader stopped: {core.Error}");
                FuzzFailure.Unless(Same(core.Token, other.TokenType), $"token {core.Token} where System.Text.Json has {other.TokenType}");
                CompareValue(core, ref other);
            }
        }
        catch (JsonException e)
        {
            FuzzFailure.Unless(!valid, "the core reader accepts what System.Text.Json rejects: " + e.Message);
            return;
        }

        FuzzFailure.Unless(valid, "the core reader rejects what System.Text.Json accepts: " + core.Error);
    }

    private static void CompareValue(JsonReader core, ref Utf8JsonReader other)
    {
        if (core.Token is JsonToken.String or JsonToken.PropertyName)
        {
            string? expected;
            try
            {
                expected = other.GetString();
            }
            catch (InvalidOperationException)
            {
                // An escaped unpaired surrogate: System.Text.Json will not make a string of it; the core keeps the char.
                return;
            }

            FuzzFailure.Unless(core.StringValue == expected, "a string decoded differently from System.Text.Json");
        }
        else if (core.Token == JsonToken.Number)
        {
            long value = 0;
            var whole = other.ValueSpan.IndexOfAny("eE."u8) < 0 && other.TryGetInt64(out value);
            FuzzFailure.Unless(core.IsInteger == whole, $"IsInteger {core.IsInteger} for a number System.Text.Json reads as whole: {whole}");
            FuzzFailure.Unless(!whole || core.IntegerValue == value, "an integer read differently from System.Text.Json");
        }
    }

    private static bool Same(JsonToken core, JsonTokenType other) => (core, other) switch
    {
        (JsonToken.StartObject, JsonTokenType.StartObject) => true,
        (JsonToken.EndObject, JsonTokenType.EndObject) => true,
        (JsonToken.StartArray, JsonTokenType.StartArray) => true,
        (JsonToken.EndArray, JsonTokenType.EndArray) => true,
        (JsonToken.PropertyName, JsonTokenType.PropertyName) => true,
        (JsonToken.String, JsonTokenType.String) => true,
        (JsonToken.Number, JsonTokenType.Number) => true,
        (JsonToken.True, JsonTokenType.True) => true,
        (JsonToken.False, JsonTokenType.False) => true,
        (JsonToken.Null, JsonTokenType.Null) => true,
        _ => false,
    };
}
