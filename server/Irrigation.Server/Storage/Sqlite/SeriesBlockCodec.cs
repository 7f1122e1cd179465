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
            length += Varint.Write(buffer[length..], Varint.ZigZag(point.Time - time));
            length += Varint.Write(buffer[length..], (ulong)(point.Id - id));
            length += Varint.Write(buffer[length..], Varint.ZigZag(point.Value - value));
            (time, id, value) = (point.Time, point.Id, point.Value);
        }

        return buffer[..length].ToArray();
    }

    /// <summary>Appends the points of a blob written by <see cref="Encode"/> to <paramref name="into"/>.</summary>
    /// <exception cref="InvalidDataException">The blob ends inside a point, or a number is longer than 64 bits.</exception>
    public static void Decode(ReadOnlySpan<byte> blob, long start, long first, List<SeriesPoint> into)
    {
        var (time, id, value) = (start, first, 0L);
        var offset = 0;
        while (offset < blob.Length)
        {
            time += Varint.UnZigZag(Varint.Read(blob, ref offset));
            id += (long)Varint.Read(blob, ref offset);
            value += Varint.UnZigZag(Varint.Read(blob, ref offset));
            into.Add(new SeriesPoint(time, id, value));
        }
    }
}
