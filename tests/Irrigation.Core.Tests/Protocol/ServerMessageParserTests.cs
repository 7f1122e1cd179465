using System.Text.Json;
using Irrigation.Core.Protocol;
using Irrigation.Tests.Support;

namespace Irrigation.Core.Tests.Protocol;

public class ServerMessageParserTests
{
    public static TheoryData<string> ValidFrames => Files("valid", "*.json");

    public static TheoryData<string> InvalidFrames => Files("invalid", "*.txt");

    [Theory]
    [MemberData(nameof(ValidFrames))]
    public void Parse_ValidVector_MatchesSystemTextJson(string file)
    {
        string frame = File.ReadAllText(file);
        var message = new ServerMessage();

        bool ok = new ServerMessageParser().Parse(frame, message);

        Assert.True(ok, $"{Path.GetFileName(file)}: {message.RejectCode} {message.RejectReason}");
        using var doc = JsonDocument.Parse(frame);
        var data = doc.RootElement.GetProperty("data");
        Assert.Equal(doc.RootElement.GetProperty("event").GetString(), message.Event);
        Assert.Equal(Long(data, "time"), message.TimeUnixSeconds);
        Assert.Equal(Long(data, "resume"), message.ResumeSeq);
        Assert.Equal(Long(data, "seq"), message.AckSeq);
        Assert.Equal(Long(data, "duration"), message.DurationSeconds);
        Assert.Equal(Long(data, "litres"), message.Litres);
        Assert.Equal(Str(data, "id"), message.CommandId);
        Assert.Equal(Str(data, "code"), message.ErrorCode);
        Assert.Equal(Str(data, "message"), message.ErrorMessage);
        Assert.Equal(data.TryGetProperty("utc_offset", out _), message.HasUtcOffset);
        Assert.Equal(Long(data, "utc_offset"), message.UtcOffsetSeconds);
        Assert.Equal(Long(data, "version"), message.SettingsVersion);
        Assert.Equal(data.TryGetProperty("settings", out var settings) ? settings.GetRawText() : null, message.SettingsText);
        if (data.TryGetProperty("zones", out var zones))
        {
            Assert.Equal(zones.EnumerateArray().Select(z => z.GetString()).ToArray(), message.Zones);
        }
        else
        {
            Assert.Null(message.Zones);
        }
    }

    [Theory]
    [MemberData(nameof(InvalidFrames))]
    public void Parse_InvalidVector_RejectedWithItsCode(string file)
    {
        string expectedCode = Path.GetFileName(file).Split("--")[0];
        var message = new ServerMessage();

        bool ok = new ServerMessageParser().Parse(File.ReadAllText(file), message);

        Assert.False(ok);
        Assert.False(message.IsValid);
        Assert.Equal(expectedCode, message.RejectCode);
        Assert.False(string.IsNullOrEmpty(message.RejectReason));
    }

    [Fact]
    public void Parse_ReusedInstances_ClearPreviousFields()
    {
        var parser = new ServerMessageParser();
        var message = new ServerMessage();
        Assert.True(parser.Parse("""{"event":"irrigate","data":{"id":"c-1","zones":["zone1"],"duration":60}}""", message));

        Assert.True(parser.Parse("""{"event":"ack","data":{"seq":3}}""", message));

        Assert.Equal(3, message.AckSeq);
        Assert.Null(message.CommandId);
        Assert.Null(message.Zones);
        Assert.Equal(0, message.DurationSeconds);
    }

    [Fact]
    public void Parse_EscapedId_Decoded()
    {
        var message = new ServerMessage();
        Assert.True(new ServerMessageParser().Parse("""{"event":"stop","data":{"id":"a\"b\\c\u00e9\ud83d\ude00\n","zones":[]}}""", message));

        Assert.Equal("a\"b\\c\u00e9\ud83d\ude00\n", message.CommandId);
        Assert.Empty(message.Zones!);
    }

    [Fact]
    public void Parse_SettingsWithSpaces_TextIsTheExactSlice()
    {
        var message = new ServerMessage();
        const string frame = "{ \"event\" : \"settings\", \"data\" : { \"settings\" : { \"zones\" : [ { \"name\" : \"a\\u0062\" } ] } , \"version\" : 3 } }";

        Assert.True(new ServerMessageParser().Parse(frame, message), message.RejectReason);

        Assert.Equal("{ \"zones\" : [ { \"name\" : \"a\\u0062\" } ] }", message.SettingsText);
        Assert.Equal(3, message.SettingsVersion);
        Assert.False(message.HasUtcOffset);
    }

    [Fact]
    public void Parse_SettingsThenAck_SettingsFieldsCleared()
    {
        var parser = new ServerMessageParser();
        var message = new ServerMessage();
        Assert.True(parser.Parse("""{"event":"settings","data":{"version":3,"utc_offset":-18000,"settings":{}}}""", message));
        Assert.Equal(-18000, message.UtcOffsetSeconds);

        Assert.True(parser.Parse("""{"event":"ack","data":{"seq":3}}""", message));

        Assert.Null(message.SettingsText);
        Assert.Equal(0, message.SettingsVersion);
        Assert.False(message.HasUtcOffset);
    }

    [Fact]
    public void Parse_VectorFolders_CoverEveryServerEventAndCode()
    {
        var events = ValidFrames.Cast<object[]>().Select(f => JsonDocument.Parse(File.ReadAllText((string)f[0])).RootElement.GetProperty("event").GetString()).ToHashSet();
        var codes = InvalidFrames.Cast<object[]>().Select(f => Path.GetFileName((string)f[0]).Split("--")[0]).ToHashSet();

        Assert.Superset(new HashSet<string?> { "welcome", "ack", "irrigate", "stop", "error", "settings", "clear_leak" }, events);
        Assert.Superset(new HashSet<string> { "bad_json", "bad_field", "unknown_event", "too_large" }, codes);
    }

    private static long Long(JsonElement data, string name) => data.TryGetProperty(name, out var v) ? v.GetInt64() : 0;

    private static string? Str(JsonElement data, string name) => data.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static TheoryData<string> Files(string kind, string pattern)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "to-controller", kind), pattern).Order(StringComparer.Ordinal))
        {
            data.Add(file);
        }

        return data;
    }
}
