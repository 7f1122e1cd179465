using Irrigation.Core.Sensors;

namespace Irrigation.Core.Tests.Sensors;

/// <summary>Capacitive v1.2 probe on the ESP32 ADC (hardware notes §6): about 3300–3500 raw dry, 1300–1500 in water.</summary>
public class SoilCalibrationTests
{
    [Theory]
    [InlineData(3400, 0)]
    [InlineData(1400, 1000)]
    [InlineData(2400, 500)]
    [InlineData(2710, 345)]
    [InlineData(3500, 0)]
    [InlineData(1300, 1000)]
    [InlineData(4000, 0)]
    [InlineData(100, 1000)]
    public void ToDeciPercent_FallingProbe_LinearAndClamped(int raw, int expected)
    {
        Assert.Equal(expected, new SoilCalibration(3400, 1400).ToDeciPercent(raw));
    }

    [Theory]
    [InlineData(1000, 0)]
    [InlineData(3000, 1000)]
    [InlineData(1500, 250)]
    [InlineData(500, 0)]
    [InlineData(3900, 1000)]
    public void ToDeciPercent_RisingProbe_WorksTheOtherWay(int raw, int expected)
    {
        Assert.Equal(expected, new SoilCalibration(1000, 3000).ToDeciPercent(raw));
    }

    [Fact]
    public void ToDeciPercent_RoundsToNearest()
    {
        // (3400-2401)*1000/2000 = 499.5 -> 500; (3400-2403)/2 = 498.5 -> 499 (half away from zero)
        var c = new SoilCalibration(3400, 1400);
        Assert.Equal(500, c.ToDeciPercent(2401));
        Assert.Equal(499, c.ToDeciPercent(2403));
    }

    [Fact]
    public void Ctor_EqualPoints_Throws()
    {
        Assert.Throws<ArgumentException>(() => new SoilCalibration(2000, 2000));
    }
}
