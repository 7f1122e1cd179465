using Irrigation.Server.Observability;

namespace Irrigation.Server.Tests.Observability;

public class StripedCounterTests
{
    [Fact]
    public async Task Increment_FromManyThreadsAtOnce_CountsEveryOne()
    {
        var counter = new StripedCounter();
        using var start = new Barrier(4);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 250_000; i++)
            {
                counter.Increment();
            }
        }, TaskCreationOptions.LongRunning)));

        Assert.Equal(1_000_000, counter.Value);
    }

    [Fact]
    public void Value_NothingCounted_Zero() => Assert.Equal(0, new StripedCounter().Value);
}
