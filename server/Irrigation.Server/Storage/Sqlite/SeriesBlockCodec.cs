namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Packs the points of one block of a series (see <see cref="SqliteSeriesIndexer"/>) into a blob: per point the
/// differences to the previous one (time and value zigzag-encoded, the id's increase as is) as LEB128 varints, so a
/// reading a minute after the last one with a similar value takes 3–4 bytes. Points keep the order they were given
/// (the log's id order); the first is relative to the block's <c>start</c> time and <c>first</c> id.
/// </summary>
public static class SeriesBlockCodec
{
    /// <summary>Encodes <paramref name="points"/> (ids increasing) relative to <paramref name="start"/> and <paramref name="first"/>.</summary>
    public static byte[] Encode(ReadOnlySpan<SeriesPoint> points, long start, long first)
    {
        // 3 varints of at most 10 bytes each; the exact size is known only after encoding.
        Span<byte> buffer = points.Length <= 256 ? stackalloc byte[points.Length * 30] : new byte[points.Length * 30];
        var length = 0;
        var (time, id, value) = (start, first, 0L);
        foreach (var point in points)
        {
            length += WriteVarint(buffer[length..], ZigZag(point.Time - time));
            length += WriteVarint(buffer[length..], (ulong)(point.Id - id));
            length += WriteVarint(buffer[length..], ZigZag(point.Value - value));
            (time, id, value) = (point.Time, point.Id, point.Value);
        }

        return buffer[..length].ToArray();
    }

    /// <summary>Appends the points of a blob written by <see cref="Encode"/> to <paramref name="into"/>.</summary>
    /// <exception cref="InvalidDataException">The blob ends inside a point, or a varint is longer than 64 bits.</exception>
    public static void Decode(ReadOnlySpan<byte> blob, long start, long first, List<SeriesPoint> into)
    {
        var (time, id, value) = (start, first, 0L);
        var offset = 0;
        while (offset < blob.Length)
        {
            time += UnZigZag(ReadVarint(blob, ref offset));
            id += (long)ReadVarint(blob, ref offset);
            value += UnZigZag(ReadVarint(blob, ref offset));
            into.Add(new SeriesPoint(time, id, value));
        }
    }

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    private static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static int WriteVarint(Span<byte> into, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            into[n++] = (byte)(value | 0x80);
            value >>= 7;
        }

        into[n++] = (byte)value;
        return n;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> blob, ref int offset)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (offset >= blob.Length)
            {
                throw new InvalidDataException("series block ends inside a point");
            }

            var b = blob[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("series block holds a varint longer than 64 bits");
    }
}
