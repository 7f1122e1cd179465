using System.Buffers.Text;

namespace Irrigation.Server.Relay;

/// <summary>
/// Finds a <c>\u</c> escape that is half of a UTF-16 surrogate pair without its other half (<c>"\ud800"</c>).
/// JSON's grammar allows it and System.Text.Json parses it, but reading such a string throws, and the validator,
/// the relay and the store all read strings (names included): a frame that carries one is not text, and is refused
/// as bad_json before anything reads it. Found by fuzzing (fuzz/regressions/frame, fuzz/regressions/hello).
/// </summary>
internal static class Utf16Escapes
{
    /// <summary>
    /// True when <paramref name="json"/> holds an unpaired surrogate escape. Meant for JSON that parses, where every
    /// backslash starts an escape; a frame without a backslash costs one vectorized search.
    /// </summary>
    public static bool HasUnpaired(ReadOnlySpan<byte> json)
    {
        int at;
        while ((at = json.IndexOf((byte)'\\')) >= 0)
        {
            if (at + 1 >= json.Length || json[at + 1] != (byte)'u')
            {
                json = json[Math.Min(json.Length, at + 2)..];
                continue;
            }

            var unit = Hex4(json, at + 2);
            json = json[Math.Min(json.Length, at + 6)..];
            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return true;
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                // A high half must be followed at once by an escaped low half.
                if (json.Length < 6 || json[0] != (byte)'\\' || json[1] != (byte)'u' || Hex4(json, 2) is < 0xDC00 or > 0xDFFF)
                {
                    return true;
                }

                json = json[6..];
            }
        }

        return false;
    }

    private static int Hex4(ReadOnlySpan<byte> json, int at) =>
        at + 4 <= json.Length && Utf8Parser.TryParse(json.Slice(at, 4), out ushort unit, out var used, 'x') && used == 4 ? unit : -1;
}
