using System.Buffers.Text;

namespace Irrigation.Benchmarks.Clients;

/// <summary>Byte-level helpers for the few frames the load clients write and read; no JSON DOM per message.</summary>
public static class Frames
{
    /// <summary>Writes {"event":"temperature","seq":S,"data":{"time":T,"record":R}} into buffer; returns the length.</summary>
    public static int Temperature(Span<byte> buffer, long seq, long time, int record)
    {
        var n = Copy(buffer, "{\"event\":\"temperature\",\"seq\":"u8, 0);
        Utf8Formatter.TryFormat(seq, buffer[n..], out var w);
        n += w;
        n = Copy(buffer, ",\"data\":{\"time\":"u8, n);
        Utf8Formatter.TryFormat(time, buffer[n..], out w);
        n += w;
        n = Copy(buffer, ",\"record\":"u8, n);
        Utf8Formatter.TryFormat(record, buffer[n..], out w);
        n += w;
        return Copy(buffer, "}}"u8, n);
    }

    /// <summary>The integer after the first <c>"seq":</c>, or -1.</summary>
    public static long Seq(ReadOnlySpan<byte> frame) => NumberAfter(frame, "\"seq\":"u8);

    /// <summary>The number in a device id "b-00042" after <c>"device":"b-</c>, or -1.</summary>
    public static long DeviceIndex(ReadOnlySpan<byte> frame) => NumberAfter(frame, "\"device\":\"b-"u8);

    /// <summary>True for an ack frame.</summary>
    public static bool IsAck(ReadOnlySpan<byte> frame) => frame.IndexOf("\"event\":\"ack\""u8) >= 0;

    /// <summary>True for an error frame.</summary>
    public static bool IsError(ReadOnlySpan<byte> frame) => frame.IndexOf("\"event\":\"error\""u8) >= 0;

    /// <summary>Device id of the benchmark's controller number i.</summary>
    public static string DeviceId(int i) => "b-" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture);

    private static long NumberAfter(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> key)
    {
        var at = frame.IndexOf(key);
        if (at < 0)
        {
            return -1;
        }

        var rest = frame[(at + key.Length)..];
        while (rest.Length > 0 && rest[0] == (byte)'0' && rest.Length > 1 && rest[1] is >= (byte)'0' and <= (byte)'9')
        {
            rest = rest[1..]; // Leading zeros of a device number: Utf8Parser takes them anyway, this is just explicit.
        }

        return Utf8Parser.TryParse(rest, out long value, out _) ? value : -1;
    }

    private static int Copy(Span<byte> buffer, ReadOnlySpan<byte> text, int at)
    {
        text.CopyTo(buffer[at..]);
        return at + text.Length;
    }
}
