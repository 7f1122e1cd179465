using System.Text;
using System.Text.Json;
using Irrigation.Server.Relay;

namespace Irrigation.Server.Tests.Relay;

public class ServerFramesTests
{
    [Fact]
    public void Tagged_ControllerData_CopiedVerbatimAfterEventDeviceAndSeq()
    {
        var frame = ServerFrames.Tagged("temperature", "farm-01", 7, """{"time":1,"record":215}"""u8);

        Assert.Equal("""{"event":"temperature","device":"farm-01","seq":7,"data":{"time":1,"record":215}}""", Encoding.UTF8.GetString(frame));
    }

    [Fact]
    public void Tagged_NameNeedingEscapes_StillValidJson()
    {
        var frame = ServerFrames.Tagged("log", "odd\"device<é>", null, "{}"u8);

        using var parsed = JsonDocument.Parse(frame);
        Assert.Equal("odd\"device<é>", parsed.RootElement.GetProperty("device").GetString());
        Assert.False(parsed.RootElement.TryGetProperty("seq", out _));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(long.MaxValue)]
    public void Ack_AnySeq_TheContractsFrame(long seq)
    {
        Assert.Equal("{\"event\":\"ack\",\"data\":{\"seq\":" + seq + "}}", Encoding.UTF8.GetString(ServerFrames.Ack(seq)));
    }

    [Fact]
    public void Presence_OnlineWithFirmware_FirmwareInDataOfflineWithout()
    {
        Assert.Equal("""{"event":"device_online","device":"farm-01","data":{"time":5,"firmware":"1.2.0"}}""",
            Encoding.UTF8.GetString(ServerFrames.Presence("farm-01", online: true, 5, "1.2.0")));
        Assert.Equal("""{"event":"device_online","device":"farm-01","data":{"time":5}}""",
            Encoding.UTF8.GetString(ServerFrames.Presence("farm-01", online: true, 5)));
        Assert.Equal("""{"event":"device_offline","device":"farm-01","data":{"time":6}}""",
            Encoding.UTF8.GetString(ServerFrames.Presence("farm-01", online: false, 6, "1.2.0")));
    }
}
