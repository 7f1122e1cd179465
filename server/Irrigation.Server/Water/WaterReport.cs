using System.Buffers;
using System.Text.Json;

namespace Irrigation.Server.Water;

/// <summary>
/// GET /api/devices/{id}/water: litres (tenths) per zone per local day or week, with the range it covers (whole
/// buckets: <see cref="From"/> is the first bucket's start, <see cref="To"/> the last one's end).
/// </summary>
/// <param name="Device">The device id.</param>
/// <param name="Size">Day or week.</param>
/// <param name="TimeZone">The IANA time zone the buckets follow ("UTC" when the device's settings name none).</param>
/// <param name="From">The first bucket's start, Unix seconds.</param>
/// <param name="To">The last bucket's end, Unix seconds.</param>
/// <param name="Zones">The device's zones, then any other zone the range booked water under.</param>
/// <param name="Buckets">Every bucket of the range, oldest first.</param>
/// <param name="Totals">The range's litres per zone.</param>
public sealed record WaterReport(
    string Device, WaterBucketSize Size, string TimeZone, long From, long To, IReadOnlyList<string> Zones,
    IReadOnlyList<WaterBucket> Buckets, IReadOnlyDictionary<string, long> Totals)
{
    /// <summary>The JSON of the API (zone names are keys as they are: no naming policy touches them).</summary>
    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256 + Buckets.Count * (32 + Zones.Count * 16));
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("device", Device);
            w.WriteString("bucket", Size == WaterBucketSize.Week ? "week" : "day");
            w.WriteString("time_zone", TimeZone);
            w.WriteNumber("from", From);
            w.WriteNumber("to", To);
            w.WriteStartArray("zones");
            foreach (var zone in Zones)
            {
                w.WriteStringValue(zone);
            }

            w.WriteEndArray();
            w.WriteStartArray("buckets");
            foreach (var bucket in Buckets)
            {
                w.WriteStartObject();
                w.WriteNumber("start", bucket.Start);
                w.WriteString("label", bucket.Label);
                WriteLitres(w, "litres", bucket.Litres);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteLitres(w, "totals", Totals);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void WriteLitres(Utf8JsonWriter w, string name, IReadOnlyDictionary<string, long> litres)
    {
        w.WriteStartObject(name);
        foreach (var zone in Zones)
        {
            w.WriteNumber(zone, litres.GetValueOrDefault(zone));
        }

        w.WriteEndObject();
    }
}
