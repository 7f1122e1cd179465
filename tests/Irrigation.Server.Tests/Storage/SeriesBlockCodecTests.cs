using Irrigation.Server.Storage.Sqlite;

namespace Irrigation.Server.Tests.Storage;

/// <summary>The packing of a series block's points.</summary>
public class SeriesBlockCodecTests
{
    [Fact]
    public void Decode_WhatEncodeWrote_SamePointsInTheSameOrder()
    {
        SeriesPoint[] points =
        [
            new(1764547200, 100, 215), new(1764547260, 101, 214), new(1764547100, 140, -40),
            new(1764547100, 141, -40), new(4102444800, 1L << 40, long.MaxValue), new(0, (1L << 40) + 1, long.MinValue),
        ];

        var blob = SeriesBlockCodec.Encode(points, 1764547100, 100);
        var decoded = new List<SeriesPoint>();
        SeriesBlockCodec.Decode(blob, 1764547100, 100, decoded);

        Assert.Equal(points, decoded);
    }

    [Fact]
    public void Encode_ReadingsAMinuteApart_FewBytesEach()
    {
        var points = Enumerable.Range(0, 128).Select(i => new SeriesPoint(1764547200 + 60L * i, 1000 + 3L * i, 200 + i % 5)).ToArray();

        var blob = SeriesBlockCodec.Encode(points, 1764547200, 1000);

        Assert.InRange(blob.Length, 128 * 3, 128 * 4);
    }

    [Fact]
    public void Decode_BlobCutInsideAPoint_ThrowsInvalidData()
    {
        var blob = SeriesBlockCodec.Encode([new SeriesPoint(10, 1, 1000), new SeriesPoint(20, 2, 2000)], 10, 1);

        Assert.Throws<InvalidDataException>(() => SeriesBlockCodec.Decode(blob.AsSpan(0, blob.Length - 1), 10, 1, []));
    }
}
