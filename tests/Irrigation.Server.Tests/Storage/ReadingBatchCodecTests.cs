using Irrigation.Server.Storage;
using Irrigation.Server.Storage.Sqlite;

namespace Irrigation.Server.Tests.Storage;

public class ReadingBatchCodecTests
{
    private static readonly LoggedReading[] Readings =
    [
        new(1, 7, ReadingKind.Temperature, 1764547200, 1764547201, 41, 9, 215, null, null),
        new(2, 3, ReadingKind.SoilMoisture, 1764547100, 1764547201, -5, 2, -40, 1834, "zone-ä"),
        new(3, 7, ReadingKind.Humidity, 0, long.MaxValue / 2, long.MinValue / 2, long.MaxValue / 2, long.MaxValue / 4, -1, ""),
    ];

    [Fact]
    public void Decode_EncodedReadings_SameReadingsNumberedFromFirst()
    {
        var decoded = new List<LoggedReading>();

        ReadingBatchCodec.Decode(ReadingBatchCodec.Encode(Readings), 1, decoded);

        Assert.Equal(Readings, decoded);
    }

    [Fact]
    public void Decode_WithoutZones_ZonesNullAndTheRestKept()
    {
        var decoded = new List<LoggedReading>();

        ReadingBatchCodec.Decode(ReadingBatchCodec.Encode(Readings), 101, decoded, withZones: false);

        Assert.Equal(Readings.Select(r => r with { Id = r.Id + 100, Zone = null }), decoded);
    }

    [Fact]
    public void Encode_LiveReadings_AFewBytesEach()
    {
        var live = Enumerable.Range(0, 100)
            .Select(i => new LoggedReading(i, 1 + i % 10, ReadingKind.Temperature, 1764547200 + i, 1764547200 + i, 77, i, 200 + i % 7, null, null))
            .ToArray();

        Assert.True(ReadingBatchCodec.Encode(live).Length < 100 * 12);
    }

    [Fact]
    public void Decode_TruncatedBlob_ThrowsInvalidData()
    {
        var blob = ReadingBatchCodec.Encode(Readings);

        Assert.Throws<InvalidDataException>(() => ReadingBatchCodec.Decode(blob.AsSpan(0, blob.Length - 2), 1, []));
    }
}
