using Irrigation.Core.Link;

namespace Irrigation.Core.Tests.Link;

public class BackoffTests
{
    [Fact]
    public void NextDelay_Attempts_GrowWithinEqualJitterBoundsAndCap()
    {
        var b = new Backoff(1000, 60000, 7);
        long previous = 0;
        for (int n = 0; n < 20; n++)
        {
            long d = Math.Min(60000, 1000L << Math.Min(n, 20));
            long delay = b.NextDelayMs();

            Assert.InRange(delay, d / 2, d);
            Assert.True(delay >= previous || d == 60000, $"attempt {n}: {delay} < {previous}");
            previous = delay;
        }
    }

    [Fact]
    public void NextDelay_ManyAttempts_NeverAboveCap()
    {
        var b = new Backoff(1000, 60000, 1);
        var delays = Enumerable.Range(0, 1000).Select(_ => b.NextDelayMs()).ToList();

        Assert.All(delays, d => Assert.InRange(d, 1, 60000));
        Assert.All(delays.Skip(10), d => Assert.InRange(d, 30000, 60000));
    }

    [Fact]
    public void NextDelay_DifferentSeeds_Jittered()
    {
        var a = new Backoff(1000, 60000, 1);
        var b = new Backoff(1000, 60000, 2);
        var da = Enumerable.Range(0, 12).Select(_ => a.NextDelayMs()).ToList();
        var db = Enumerable.Range(0, 12).Select(_ => b.NextDelayMs()).ToList();

        Assert.NotEqual(da, db);
        Assert.True(da.Skip(8).Distinct().Count() > 1, "capped delays should still vary");
    }

    [Fact]
    public void Reset_AfterGrowth_BackToBase()
    {
        var b = new Backoff(1000, 60000, 3);
        for (int i = 0; i < 8; i++)
        {
            b.NextDelayMs();
        }

        b.Reset();

        Assert.InRange(b.NextDelayMs(), 500, 1000);
        Assert.Equal(1, b.Attempts);
    }
}
