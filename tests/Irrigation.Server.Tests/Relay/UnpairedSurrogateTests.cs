using System.Text;
using Irrigation.Server.Relay;

namespace Irrigation.Server.Tests.Relay;

/// <summary>
/// Frames that escape half of a UTF-16 surrogate pair (found by fuzzing, fuzz/regressions/frame and /hello): the
/// validator threw InvalidOperationException out of Validate and ParseHello, for a name or a value anywhere in the
/// frame, which ended the controller's connection without an answer.
/// </summary>
public class UnpairedSurrogateTests
{
    [Theory]
    [InlineData("""{"event":"comm\uDC00sult","seq":18,"data":{"time":1,"id":"c-1","ok":true}}""")]
    [InlineData("""{"event":"log","s\ud800eq":1,"data":{"time":1,"level":"W","message":"x"}}""")]
    [InlineData("""{"event":"log","seq":1,"data":{"time":1,"level":"W","message":"half \ud83d"}}""")]
    [InlineData("""{"event":"log","seq":1,"data":{"time":1,"level":"W","message":"x","extra":"\udbff\u0041"}}""")]
    [InlineData("""{"event":"soil_moisture","seq":2,"data":{"time":1,"record":300,"raw":2000,"zone":"\udc00"}}""")]
    [InlineData("""{"event":"irrigation_started","seq":3,"data":{"time":1,"zones":["zone\ud800"],"reason":"manual","duration":60}}""")]
    [InlineData("""{"event":"status","seq":4,"data":{"time":1,"uptime":1,"free_heap":1,"rssi":-60,"open_zones":["\uDE00"],"buffered":0,"dropped":0}}""")]
    public void Validate_EscapedUnpairedSurrogate_IsBadJson(string frame)
    {
        using var check = FrameValidator.Validate(Encoding.UTF8.GetBytes(frame));

        Assert.Equal("bad_json", check.ErrorCode);
        Assert.Contains("surrogate", check.Message);
    }

    [Theory]
    [InlineData("""{"event":"log","seq":1,"data":{"time":1,"level":"W","message":"pair \ud83d\ude00 ok"}}""")]
    [InlineData("""{"event":"log","seq":1,"data":{"time":1,"level":"W","message":"not an escape: \\ud800"}}""")]
    [InlineData("""{"event":"soil_moisture","seq":2,"data":{"time":1,"record":300,"raw":2000,"zone":"z\u00e9"}}""")]
    public void Validate_EscapedPairOrEscapedBackslash_Accepted(string frame)
    {
        using var check = FrameValidator.Validate(Encoding.UTF8.GetBytes(frame));

        Assert.True(check.Ok, $"{check.ErrorCode}: {check.Message}");
    }

    [Theory]
    [InlineData("""{"event":"hello","data":{"device":"s1","token":"\uD800x","boot":0}}""")]
    [InlineData("""{"event":"hello","data":{"devic\uD800e":"s1","token":"t","boot":0}}""")]
    [InlineData("""{"event":"hello","data":{"device":"f01","token":"t","boot":1,"zones":["zone1","hit\uDC00y"]}}""")]
    [InlineData("""{"event":"hello","data":{"device":"f01","token":"t","boot":1,"firmware":"1.\udbff"}}""")]
    public void ParseHello_EscapedUnpairedSurrogate_RefusedWithReason(string frame)
    {
        var hello = FrameValidator.ParseHello(Encoding.UTF8.GetBytes(frame), out var error);

        Assert.Null(hello);
        Assert.Contains("surrogate", error);
    }
}
