using System.Buffers;
using System.Text;

namespace Irrigation.Server.Storage.Sqlite;

/// <summary>
/// Packs the readings of one ingest commit into the blob of one <c>reading_batches</c> row. A row per reading cost
/// the ingest writer a B-tree insert and about ten calls into SQLite each (the largest part of storing a reading);
/// one blob per commit costs one. Readings are numbered consecutively from the row's <c>first</c>, so their ids are
/// not stored. Per reading, as varints: the device; the kind with two flags (raw, zone present); the time as the
/// difference to the previous reading's, the receive time to its own time, boot and seq to the previous
/// reading's; the value; the raw value and the zone (its UTF-8 length, then its bytes) when present.
/// </summary>
public static class ReadingBatchCodec
{
    private const int RawFlag = 2;
    private const int ZoneFlag = 1;

    /// <summary>Encodes <paramref name="readings"/> (their ids are ignored: they follow from the row's first id).</summary>
    public static byte[] Encode(ReadOnlySpan<LoggedReading> readings)
    {
        var worst = 0;
        foreach (var reading in readings)
        {
            worst += 8 * Varint.MaxBytes + (reading.Zone is { } zone ? Encoding.UTF8.GetMaxByteCount(zone.Length) : 0);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(worst);
        try
        {
            var span = buffer.AsSpan();
            var length = 0;
            var (time, boot, seq) = (0L, 0L, 0L);
            foreach (var r in readings)
            {
                length += Varint.Write(span[length..], (ulong)r.Device);
                length += Varint.Write(span[length..], ((ulong)r.Kind << 2) | (r.Raw is null ? 0UL : RawFlag) | (r.Zone is null ? 0UL : ZoneFlag));
                length += Varint.Write(span[length..], Varint.ZigZag(r.Time - time));
                length += Varint.Write(span[length..], Varint.ZigZag(r.Received - r.Time));
                length += Varint.Write(span[length..], Varint.ZigZag(r.Boot - boot));
                length += Varint.Write(span[length..], Varint.ZigZag(r.Seq - seq));
                length += Varint.Write(span[length..], Varint.ZigZag(r.Value));
                if (r.Raw is long raw)
                {
                    length += Varint.Write(span[length..], Varint.ZigZag(raw));
                }

                if (r.Zone is { } zone)
                {
                    length += Varint.Write(span[length..], (ulong)Encoding.UTF8.GetByteCount(zone));
                    length += Encoding.UTF8.GetBytes(zone, span[length..]);
                }

                (time, boot, seq) = (r.Time, r.Boot, r.Seq);
            }

            return span[..length].ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Appends the readings of a blob written by <see cref="Encode"/>, numbered from <paramref name="first"/>, to
    /// <paramref name="into"/>; without <paramref name="withZones"/> zones are skipped (left null), which saves a
    /// string per reading where only times and values matter.
    /// </summary>
    /// <exception cref="InvalidDataException">The blob is cut short or holds a number longer than 64 bits.</exception>
    public static void Decode(ReadOnlySpan<byte> blob, long first, List<LoggedReading> into, bool withZones = true)
    {
        var (time, boot, seq) = (0L, 0L, 0L);
        var offset = 0;
        var id = first;
        while (offset < blob.Length)
        {
            var device = (long)Varint.Read(blob, ref offset);
            var header = Varint.Read(blob, ref offset);
            time += Varint.UnZigZag(Varint.Read(blob, ref offset));
            var received = time + Varint.UnZigZag(Varint.Read(blob, ref offset));
            boot += Varint.UnZigZag(Varint.Read(blob, ref offset));
            seq += Varint.UnZigZag(Varint.Read(blob, ref offset));
            var value = Varint.UnZigZag(Varint.Read(blob, ref offset));
            long? raw = (header & RawFlag) != 0 ? Varint.UnZigZag(Varint.Read(blob, ref offset)) : null;
            string? zone = null;
            if ((header & ZoneFlag) != 0)
            {
                var bytes = (int)Math.Min(Varint.Read(blob, ref offset), int.MaxValue);
                if (bytes > blob.Length - offset)
                {
                    throw new InvalidDataException("reading batch ends inside a zone");
                }

                zone = withZones ? Encoding.UTF8.GetString(blob.Slice(offset, bytes)) : null;
                offset += bytes;
            }

            into.Add(new LoggedReading(id++, device, (ReadingKind)(header >> 2), time, received, boot, seq, value, raw, zone));
        }
    }
}
