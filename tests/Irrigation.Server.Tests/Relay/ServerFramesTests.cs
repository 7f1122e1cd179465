using System.Text;
using System.Text.Json;
using Irrigation.Server.Relay;

namespace Irrigation.Server.Tests.Relay;

/// <summary>Frames built by hand for speed must be exactly what Utf8JsonWriter would write.</summary>
public class ServerFramesTests
{
    [Theory]
    [InlineData("temperature", "farm-01", 7L, """{"value":21.5,"raw":1234}""")]
    [InlineData("irrigation_started", "A.b_c-9", null, """{"zones":["zone1"],"duration":600}""")]
    [InlineData("soil_moisture", "x", 9223372036854775807L, "{}")]
    public void Tagged_PlainNames_SameBytesAsTheJsonWriter(string eventName, string device, long? seq, string data)
    {
        var raw = Encoding.UTF8.GetBytes(data);

        var frame = ServerFrames.Tagged(eventName, device, seq, raw);

        Assert.Equal(Encoding.UTF8.GetString(ServerFrames.TaggedWithWriter(eventName, device, seq, raw)), Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void Tagged_NameNeedingEscapes_StillValidJson()
    {
        var frame = ServerFrames.Tagged("log", "odd\"device<é>", 1, "{}"u8);

        using var parsed = JsonDocument.Parse(frame);
        Assert.Equal("odd\"device<é>", parsed.RootElement.GetProperty("device").GetString());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(42L)]
    [InlineData(long.MaxValue)]
    public void Ack_AnySeq_SameBytesAsTheJsonWriter(long seq)
    {
        var expected = ServerFrames.Build(w =>
        {
            ServerFrames.Start(w, "ack");
            w.WriteNumber("seq", seq);
        });

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(ServerFrames.Ack(seq)));
    }
}
