using System.Text;
using Irrigation.Core.Protocol;
using Irrigation.Server.Relay;
using Irrigation.Server.Storage;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Relay;

public class FrameValidatorTests
{
    public static TheoryData<string> ValidEvents() => Files("valid", "*.json", f => !f.EndsWith("hello.json"));

    public static TheoryData<string> InvalidFrames() => Files("invalid", "*.txt", f => !Path.GetFileName(f).StartsWith("too_large"));

    [Theory]
    [MemberData(nameof(ValidEvents))]
    public void Validate_ValidVector_Accepted(string file)
    {
        using var check = FrameValidator.Validate(File.ReadAllBytes(file));

        Assert.True(check.Ok, $"{Path.GetFileName(file)}: {check.ErrorCode} {check.Message}");
        Assert.NotNull(check.Seq);
    }

    [Theory]
    [MemberData(nameof(InvalidFrames))]
    public void Validate_InvalidVector_RejectedWithItsCode(string file)
    {
        var expected = Path.GetFileName(file).Split("--")[0];

        using var check = FrameValidator.Validate(File.ReadAllBytes(file));

        Assert.Equal(expected, check.ErrorCode);
        Assert.False(string.IsNullOrEmpty(check.Message));
    }

    [Fact]
    public void Validate_TooLargeVectors_AreLargerThanTheDefaultLimit()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "to-server", "invalid"), "too_large--*.txt");

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 8192, f));
    }

    [Theory]
    [InlineData("{\"event\":\"temperature\",\"seq\":1e3,\"data\":{\"time\":1,\"record\":1}}", "bad_field")]
    [InlineData("{\"event\":\"temperature\",\"seq\":1,\"data\":{\"time\":1,\"record\":2e1}}", "bad_field")]
    [InlineData("{\"event\":\"temperature\",\"seq\":1,\"data\":{\"time\":0,\"record\":1}}", "bad_field")]
    [InlineData("{\"event\":\"hello\",\"seq\":1,\"data\":{}}", "unknown_event")]
    [InlineData("{\"event\":7,\"seq\":1,\"data\":{}}", "bad_field")]
    [InlineData("", "bad_json")]
    public void Validate_EdgeCase_RejectedWithCode(string frame, string code)
    {
        using var check = FrameValidator.Validate(Encoding.UTF8.GetBytes(frame));

        Assert.Equal(code, check.ErrorCode);
    }

    [Fact]
    public void Validate_InvalidUtf8_IsBadJson()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"event\":\"log\",\"seq\":1,\"data\":{\"time\":1,\"level\":\"W\",\"message\":\"x\"}}");
        bytes[^5] = 0xC3; // Lead byte without its continuation.

        using var check = FrameValidator.Validate(bytes);

        Assert.Equal("bad_json", check.ErrorCode);
    }

    [Fact]
    public void Validate_RejectedFrameWithValidSeq_KeepsTheSeq()
    {
        using var check = FrameValidator.Validate(Encoding.UTF8.GetBytes("{\"event\":\"rain\",\"seq\":9,\"data\":{\"time\":1}}"));

        Assert.Equal("unknown_event", check.ErrorCode);
        Assert.Equal(9, check.Seq);
    }

    public static TheoryData<string> ReadingNames() => new(ReadingSpecs.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(ReadingNames))]
    public void Validate_ReadingValue_RangeAndFieldAreTheCoreTables(string name)
    {
        var spec = ReadingSpecs.Find(name)!;
        string Frame(long value) => "{\"event\":\"" + name + "\",\"seq\":1,\"data\":{\"time\":1764547200,\"" + spec.Field + "\":" + value
            + (spec.HasRaw ? ",\"raw\":2000" : "") + (spec.HasZone ? ",\"zone\":\"zone1\"" : "") + "}}";

        foreach (var (value, ok) in new[] { (spec.Min, true), (spec.Max, true), (spec.Min - 1L, false), (spec.Max + 1L, false) })
        {
            using var check = FrameValidator.Validate(Encoding.UTF8.GetBytes(Frame(value)));
            Assert.True(ok == check.Ok, $"{name} {value}: {check.ErrorCode} {check.Message}");
            Assert.Equal(ok ? value : (long?)null, check.Ok ? check.Record : null);
            Assert.Equal(ok && spec.HasZone ? "zone1" : null, check.Ok ? check.Zone : null);
        }

        Assert.True(ReadingKinds.TryParse(name, out var kind));
        Assert.Equal(spec.Code, (int)kind);
        Assert.Equal(name, ReadingKinds.ToEventName(kind));
        Assert.Equal(spec.IsTelemetry, DashboardSession.IsDroppable(name));
    }

    [Fact]
    public void IsDroppable_StatusYes_MustDeliverNo()
    {
        Assert.True(DashboardSession.IsDroppable(EventNames.Status));
        Assert.False(DashboardSession.IsDroppable(EventNames.IrrigationStopped));
        Assert.False(DashboardSession.IsDroppable(EventNames.CommandResult));
        Assert.Equal(ReadingSpecs.All.Select(s => (ReadingKind)s.Code), ReadingKinds.All);
    }

    [Fact]
    public void ParseHello_HelloVector_ReadsDeviceTokenBootAndZones()
    {
        var hello = FrameValidator.ParseHello(File.ReadAllBytes(Path.Combine(RepoPaths.Vectors, "to-server", "valid", "hello.json")), out var error);

        Assert.NotNull(hello);
        Assert.Equal("", error);
        Assert.Equal("farm-01", hello.Device);
        Assert.Equal("tok-secret", hello.Token);
        Assert.Equal(3141592653, hello.Boot);
        Assert.Equal(["zone1", "zone2"], hello.Zones);
    }

    [Theory]
    [InlineData("{\"event\":\"temperature\",\"seq\":1,\"data\":{\"time\":1,\"record\":1}}")]
    [InlineData("{\"event\":\"hello\",\"data\":{\"device\":\"d\",\"boot\":1}}")]
    [InlineData("{\"event\":\"hello\",\"data\":{\"device\":\"d\",\"token\":\"t\",\"boot\":1,\"protocol\":2}}")]
    [InlineData("{\"event\":\"hello\",\"data\":{\"device\":\"d\",\"token\":\"t\",\"boot\":\"1\"}}")]
    [InlineData("not json")]
    public void ParseHello_NotAValidHello_ReturnsNullWithReason(string frame)
    {
        var hello = FrameValidator.ParseHello(Encoding.UTF8.GetBytes(frame), out var error);

        Assert.Null(hello);
        Assert.NotEmpty(error);
    }

    private static TheoryData<string> Files(string kind, string pattern, Func<string, bool> keep)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "to-server", kind), pattern).Where(keep).Order())
        {
            data.Add(file);
        }

        return data;
    }
}
