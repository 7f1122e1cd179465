namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// LEB128 varints and zigzag signs, the number format of the packed blobs (<see cref="SeriesBlockCodec"/>,
/// <see cref="ReadingBatchCodec"/>): small differences take a byte or two.
/// </summary>
public static class Varint
{
    /// <summary>The most bytes one 64-bit varint takes.</summary>
    public const int MaxBytes = 10;

    /// <summary>Maps small negative and positive numbers to small unsigned ones.</summary>
    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    /// <summary>The inverse of <see cref="ZigZag"/>.</summary>
    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="into"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> into, ulong value)
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

    /// <summary>Reads one varint at <paramref name="offset"/> and moves past it.</summary>
    /// <exception cref="InvalidDataException">The blob ends inside the varint, or it is longer than 64 bits.</exception>
    public static ulong Read(ReadOnlySpan<byte> blob, ref int offset)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (offset >= blob.Length)
            {
                throw new InvalidDataException("packed blob ends inside a number");
            }

            var b = blob[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }

        throw new InvalidDataException("packed blob holds a number longer than 64 bits");
    }
}
