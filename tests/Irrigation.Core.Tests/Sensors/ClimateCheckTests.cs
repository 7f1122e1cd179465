using Irrigation.Core.Sensors;

namespace Irrigation.Core.Tests.Sensors;

/// <summary>DHT22 limits from the hardware notes §6: −40…80 °C, 0…99.9 %RH; garbage patterns as ESPHome rejects them.</summary>
public class ClimateCheckTests
{
    [Theory]
    [InlineData(223, 455)]
    [InlineData(-400, 0)]
    [InlineData(800, 999)]
    [InlineData(-125, 1000)]
    [InlineData(0, 500)]
    public void Check_PlausibleDht22Values_Ok(int t, int h)
    {
        Assert.Equal(ClimateCheck.Ok, ClimateCheck.Check(new ClimateSample(true, t, h)));
    }

    [Theory]
    [InlineData(10, 10, ClimateCheck.GarbagePattern)]
    [InlineData(1, 10, ClimateCheck.GarbagePattern)]
    [InlineData(0, 0, ClimateCheck.AllZero)]
    [InlineData(-401, 500, ClimateCheck.TemperatureOutOfRange)]
    [InlineData(801, 500, ClimateCheck.TemperatureOutOfRange)]
    [InlineData(223, 1001, ClimateCheck.HumidityOutOfRange)]
    [InlineData(223, -1, ClimateCheck.HumidityOutOfRange)]
    [InlineData(6553, 6553, ClimateCheck.TemperatureOutOfRange)]
    public void Check_Garbage_Rejected(int t, int h, int expected)
    {
        Assert.Equal(expected, ClimateCheck.Check(new ClimateSample(true, t, h)));
    }

    [Fact]
    public void Check_FailedRead_ReadFailed()
    {
        Assert.Equal(ClimateCheck.ReadFailed, ClimateCheck.Check(ClimateSample.Failed));
        Assert.Equal("read failed", ClimateCheck.Describe(ClimateCheck.ReadFailed));
    }
}
