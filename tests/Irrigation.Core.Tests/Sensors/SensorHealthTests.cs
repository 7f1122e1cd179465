using Irrigation.Core.Sensors;

namespace Irrigation.Core.Tests.Sensors;

public class SensorHealthTests
{
    [Fact]
    public void Miss_FewMisses_KeepsLastGoodValue()
    {
        var h = new SensorHealth();
        h.Good(223);
        Assert.Equal(SensorHealthChange.None, h.Miss());
        Assert.Equal(SensorHealthChange.None, h.Miss());

        Assert.True(h.HasValue);
        Assert.Equal(223, h.LastGood);
        Assert.Equal(2, h.Misses);
    }

    [Fact]
    public void Miss_ThirdInARow_DisconnectedOnce()
    {
        var h = new SensorHealth();
        h.Good(223);
        var changes = Enumerable.Range(0, 10).Select(_ => h.Miss()).ToList();

        Assert.Equal(SensorHealthChange.Disconnected, changes[2]);
        Assert.Single(changes, c => c != SensorHealthChange.None);
        Assert.False(h.HasValue);
    }

    [Fact]
    public void Good_AfterDisconnect_ReconnectedOnceAfterThreeGoods()
    {
        var h = new SensorHealth();
        for (int i = 0; i < 3; i++)
        {
            h.Miss();
        }

        var changes = new[] { h.Good(1), h.Good(2), h.Good(3), h.Good(4), h.Good(5) };

        Assert.Equal(new[] { SensorHealthChange.None, SensorHealthChange.None, SensorHealthChange.Reconnected, SensorHealthChange.None, SensorHealthChange.None }, changes);
        Assert.True(h.HasValue);
        Assert.Equal(5, h.LastGood);
    }

    [Fact]
    public void MarginalSensor_AlternatingAndPairs_NoEventsAtAll()
    {
        var h = new SensorHealth();
        var pattern = new[] { true, false, true, false, false, true, false, true, false, false, true, true, false, false };
        var changes = new List<SensorHealthChange>();
        for (int round = 0; round < 50; round++)
        {
            foreach (bool good in pattern)
            {
                changes.Add(good ? h.Good(500) : h.Miss());
            }
        }

        Assert.All(changes, c => Assert.Equal(SensorHealthChange.None, c));
    }

    [Fact]
    public void MarginalAfterDisconnect_GoodsInterruptedByMisses_StaysDisconnected()
    {
        var h = new SensorHealth();
        for (int i = 0; i < 3; i++)
        {
            h.Miss();
        }

        var changes = new List<SensorHealthChange>();
        for (int round = 0; round < 20; round++)
        {
            changes.Add(h.Good(1));
            changes.Add(h.Good(1));
            changes.Add(h.Miss());
        }

        Assert.All(changes, c => Assert.Equal(SensorHealthChange.None, c));
        Assert.False(h.IsConnected);
    }
}
