using System.Text;
using Irrigation.Server.Relay;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Relay;

/// <summary>The single-pass reading reader must accept only what the document validator accepts, with the same values.</summary>
public class ReadingFrameReaderTests
{
    private const string Soil = """{"event":"soil_moisture","seq":45,"data":{"time":1764547200,"record":371,"raw":2710,"zone":"zone1"}}""";

    public static TheoryData<string> ReadingVectors()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "to-server", "valid"), "*.json")
                     .Where(f => Path.GetFileName(f).StartsWith("temperature") || Path.GetFileName(f).StartsWith("humidity") || Path.GetFileName(f).StartsWith("soil_moisture"))
                     .Order())
        {
            data.Add(file);
        }

        return data;
    }

    // Each one is declined by the reader (the document validator then decides), whatever the validator says of it.
    public static TheoryData<string> Declined() => new()
    {
        """{"event":"log","seq":1,"data":{"time":1,"level":"W","message":"m"}}""",
        """{"event":"temperature","seq":1,"data":{"time":1,"record":1,"record":2}}""",
        """{"event":"temperature","event":"humidity","seq":1,"data":{"time":1,"record":1}}""",
        """{"event":"temperature","seq":1,"data":{"time":1,"\u0072ecord":1}}""",
        """{"event":"temp\u0065rature","seq":1,"data":{"time":1,"record":1}}""",
        """{"event":"temperature","seq":1,"data":{"time":1,"record":1}} x""",
        """{"event":"temperature","seq":1,"data":{"time":1,"record":1}}{}""",
        "\uFEFF" + """{"event":"temperature","seq":1,"data":{"time":1,"record":1}}""",
        """{"event":"temperature","seq":1,"data":{"time":1,"record":1e1}}""",
        """{"event":"temperature","seq":1,"data":{"time":1,"record":1.0}}""",
        """{"event":"temperature","seq":1,"data":{"time":1,"record":1501}}""",
        """{"event":"temperature","seq":0,"data":{"time":1,"record":1}}""",
        """{"event":"temperature","seq":1,"data":{"time":0,"record":1}}""",
        """{"event":"temperature","seq":1,"data":{"time":1}}""",
        """{"event":"temperature","seq":1,"data":{"time":1,"record":"1"}}""",
        """{"event":"temperature","seq":1,"data":{"time":1,"record":99999999999999999999}}""",
        """{"event":"humidity","seq":1,"data":{"time":1,"record":-1}}""",
        """{"event":"soil_moisture","seq":1,"data":{"time":1,"record":5}}""",
        """{"event":"soil_moisture","seq":1,"data":{"time":1,"record":5,"raw":-1}}""",
        """{"event":"soil_moisture","seq":1,"data":{"time":1,"record":5,"raw":1,"zone":7}}""",
        // Valid for the document (humidity ignores raw and zone) but not plain enough for the reader.
        """{"event":"humidity","seq":1,"data":{"time":1,"record":5,"raw":"x","zone":5}}""",
        """{"event":"temperature","seq":1,"data":{"time":1,"record":1,}}""",
        """{"event":"temperature","seq":1,/*c*/"data":{"time":1,"record":1}}""",
        """{"event":"temperature","seq":1,"data":[1]}""",
        """["temperature"]""",
        "",
    };

    [Theory]
    [MemberData(nameof(ReadingVectors))]
    public void TryRead_ValidReadingVector_SameValuesAsTheDocument(string file)
    {
        var frame = File.ReadAllBytes(file);

        Assert.True(ReadingFrameReader.TryRead(frame, out var fast), Path.GetFileName(file));
        using var full = FrameValidator.ValidateDocument(frame);
        AssertSame(full, fast);
    }

    [Theory]
    [InlineData("""{"data":{"zone":"z2","extra":{"a":[1,{"b":null}]},"raw":0,"record":0,"time":9},"note":[true,false],"seq":3,"event":"soil_moisture"}""")]
    [InlineData("""  { "event" : "temperature" , "seq" : 12 , "data" : { "time" : 1764547200 , "record" : -1000 } }  """)]
    [InlineData("""{"event":"humidity","seq":9223372036854775807,"data":{"time":1,"record":1000,"other":"x"}}""")]
    public void TryRead_UnusualButValidReading_SameValuesAsTheDocument(string text)
    {
        var frame = Encoding.UTF8.GetBytes(text);

        Assert.True(ReadingFrameReader.TryRead(frame, out var fast));
        using var full = FrameValidator.ValidateDocument(frame);
        AssertSame(full, fast);
    }

    [Theory]
    [MemberData(nameof(Declined))]
    public void TryRead_AnythingItDoesNotFullyRecognise_Declines(string text)
    {
        Assert.False(ReadingFrameReader.TryRead(Encoding.UTF8.GetBytes(text), out _));
    }

    [Fact]
    public void TryRead_InvalidVectors_AllDeclined()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "to-server", "invalid"), "*.txt");

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.False(ReadingFrameReader.TryRead(File.ReadAllBytes(f), out _), Path.GetFileName(f)));
    }

    [Fact]
    public void Validate_ValidSoilReading_RawDataIsTheDataObjectAsSent()
    {
        using var check = FrameValidator.Validate(Encoding.UTF8.GetBytes(Soil));

        Assert.True(check.Ok);
        Assert.Null(check.Document);
        Assert.Equal("""{"time":1764547200,"record":371,"raw":2710,"zone":"zone1"}""", Encoding.UTF8.GetString(check.RawData.Span));
        Assert.Equal((371L, 2710L, "zone1"), (check.Record, check.Raw!.Value, check.Zone));
    }

    private static void AssertSame(FrameCheck full, FrameCheck fast)
    {
        Assert.True(full.Ok, full.Message);
        Assert.True(fast.Ok);
        Assert.Equal(full.Event, fast.Event);
        Assert.Equal(full.Seq, fast.Seq);
        Assert.Equal(full.Time, fast.Time);
        Assert.Equal(full.Record, fast.Record);
        Assert.Equal(full.Raw, fast.Raw);
        Assert.Equal(full.Zone, fast.Zone);
        Assert.Equal(full.RawData.ToArray(), fast.RawData.ToArray());
    }
}
