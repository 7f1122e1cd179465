using Irrigation.Core.Sensors;
using Irrigation.Core.Tests.Fakes;

namespace Irrigation.Core.Tests.Sensors;

public class SoilSamplerTests
{
    [Fact]
    public void Median_OddCount_MiddleValue()
    {
        int[] v = { 3000, 12, 2990, 4095, 3010 };
        Assert.Equal(3000, SoilSampler.Median(v, 5));
    }

    [Fact]
    public void Median_EvenCount_LowerMiddle()
    {
        int[] v = { 4, 1, 3, 2 };
        Assert.Equal(2, SoilSampler.Median(v, 4));
    }

    [Fact]
    public void Sample_SpikesAmongGoodReads_MedianIgnoresThem()
    {
        var probe = new FakeSoilProbe();
        foreach (int raw in new[] { 2710, 2705, 4095, 2712, 0, 2708, 2711, 2709, 3900, 2707, 2706 })
        {
            probe.Script.Enqueue(raw);
        }

        Assert.Equal(2709, new SoilSampler(11).Sample(probe));
        Assert.Equal(11, probe.Reads);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(30)]
    [InlineData(4095)]
    [InlineData(4060)]
    public void Sample_AtScaleEnd_Disconnected(int raw)
    {
        var probe = new FakeSoilProbe { Raw = raw };
        Assert.Equal(SoilSampler.Disconnected, new SoilSampler(5).Sample(probe));
    }

    [Fact]
    public void Sample_MostReadsFail_ReadFailed()
    {
        var probe = new FakeSoilProbe();
        foreach (int raw in new[] { -1, -1, 2700, -1, 2710 })
        {
            probe.Script.Enqueue(raw);
        }

        Assert.Equal(SoilSampler.ReadFailed, new SoilSampler(5).Sample(probe));
    }

    [Fact]
    public void Sample_AFewReadsFail_MedianOfTheRest()
    {
        var probe = new FakeSoilProbe();
        foreach (int raw in new[] { -1, 1350, 1360, -1, 1340 })
        {
            probe.Script.Enqueue(raw);
        }

        Assert.Equal(1350, new SoilSampler(5).Sample(probe));
    }
}
