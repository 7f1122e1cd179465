using System.Text.Json;
using Irrigation.Core.Link;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;

namespace Irrigation.Core.Tests.Protocol;

/// <summary>The one table of reading kinds: what the device, the server and the dashboard all read.</summary>
public class ReadingSpecsTests
{
    [Fact]
    public void All_Codes_StableUniqueAndFindable()
    {
        // Storage codes are forever: the server's readings table holds them.
        Assert.Equal(new[] { ("temperature", 1), ("humidity", 2), ("soil_moisture", 3), ("flow", 4) }, ReadingSpecs.All.Select(s => (s.Name, s.Code)));
        Assert.Equal(ReadingSpecs.All.Length, ReadingSpecs.All.Select(s => s.Code).Distinct().Count());
        Assert.Equal(4, ReadingSpecs.MaxCode);
        Assert.All(ReadingSpecs.All, s => Assert.Same(s, ReadingSpecs.Find(s.Name)));
        Assert.All(ReadingSpecs.All, s => Assert.Same(s, ReadingSpecs.FromCode(s.Code)));
        Assert.Null(ReadingSpecs.Find(EventNames.Status));
        Assert.Null(ReadingSpecs.FromCode(0));
    }

    [Fact]
    public void ToJson_DashboardForm_EveryFieldOfEveryKind()
    {
        string? json = ReadingSpecs.ToJson(new JsonWriter(1024));

        Assert.NotNull(json);
        Assert.StartsWith("{\"kinds\":[{\"name\":\"temperature\",\"code\":1,\"field\":\"record\",\"unit\":\"\\u00b0C\",\"scale\":10,\"min\":-400,\"max\":800,\"telemetry\":true,\"zone\":false,\"raw\":false},", json);
        var kinds = JsonDocument.Parse(json).RootElement.GetProperty("kinds").EnumerateArray().ToList();
        Assert.Equal(ReadingSpecs.All.Length, kinds.Count);
        for (int i = 0; i < kinds.Count; i++)
        {
            ReadingSpec s = ReadingSpecs.All[i];
            Assert.Equal(s.Name, kinds[i].GetProperty("name").GetString());
            Assert.Equal(s.Field, kinds[i].GetProperty("field").GetString());
            Assert.Equal(s.Unit, kinds[i].GetProperty("unit").GetString());
            Assert.Equal((s.Min, s.Max), (kinds[i].GetProperty("min").GetInt32(), kinds[i].GetProperty("max").GetInt32()));
            Assert.Equal(s.IsTelemetry, kinds[i].GetProperty("telemetry").GetBoolean());
            Assert.Equal((s.HasZone, s.HasRaw), (kinds[i].GetProperty("zone").GetBoolean(), kinds[i].GetProperty("raw").GetBoolean()));
        }

        Assert.Null(ReadingSpecs.ToJson(new JsonWriter(64)));
    }

    [Theory]
    [InlineData(-400, true)]
    [InlineData(800, true)]
    [InlineData(-401, false)]
    [InlineData(801, false)]
    public void ClimateCheck_TemperatureRange_IsTheTables(int deciCelsius, bool ok)
    {
        Assert.Equal(ok, ReadingSpecs.Temperature.Contains(deciCelsius));
        Assert.Equal(ok, ClimateCheck.Check(new ClimateSample(true, deciCelsius, 500)) == ClimateCheck.Ok);
    }

    [Fact]
    public void EventBuffer_Telemetry_FollowsTheTable()
    {
        Assert.All(ReadingSpecs.All, s => Assert.True(s.IsTelemetry));
        Assert.True(EventBuffer.IsTelemetry(EventKind.Temperature));
        Assert.True(EventBuffer.IsTelemetry(EventKind.Humidity));
        Assert.True(EventBuffer.IsTelemetry(EventKind.SoilMoisture));
        Assert.True(EventBuffer.IsTelemetry(EventKind.Flow));
        Assert.False(EventBuffer.IsTelemetry(EventKind.IrrigationStopped));
        Assert.False(EventBuffer.IsTelemetry(EventKind.FlowAlert));
    }

    [Fact]
    public void Clamp_OutOfRange_MovedToTheEdge()
    {
        Assert.Equal(0, ReadingSpecs.Flow.Clamp(-5));
        Assert.Equal(ReadingSpecs.Flow.Max, ReadingSpecs.Flow.Clamp(long.MaxValue));
        Assert.Equal(123, ReadingSpecs.Flow.Clamp(123));
    }
}
