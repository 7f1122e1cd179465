using Irrigation.Server.Cluster;
using Irrigation.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Irrigation.Server.Tests.Cluster;

/// <summary>The Redis lease that lets exactly one instance of a cluster run a job (the MQTT bridge), on a real Redis.</summary>
public class RedisLeaseTests
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Lease_TwoInstances_OneHoldsUntilItReleases()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = new RedisLease(redis.ConnectionString, "test", Ttl, TimeProvider.System, NullLogger.Instance);
        await using var b = new RedisLease(redis.ConnectionString, "test", Ttl, TimeProvider.System, NullLogger.Instance);

        Assert.True(await a.HoldAsync(default));
        Assert.False(await b.HoldAsync(default));
        // The holder renews past the lifetime; the other still waits.
        for (var i = 0; i < 6; i++)
        {
            await Task.Delay(a.RenewInterval);
            Assert.True(await a.HoldAsync(default));
            Assert.False(await b.HoldAsync(default));
        }

        await a.ReleaseAsync();
        Assert.True(await b.HoldAsync(default));
        Assert.False(await a.HoldAsync(default));
    }

    [Fact]
    public async Task Lease_HolderStopsRenewing_AnotherTakesOverAfterTheLifetime()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var a = new RedisLease(redis.ConnectionString, "test", Ttl, TimeProvider.System, NullLogger.Instance);
        await using var b = new RedisLease(redis.ConnectionString, "test", Ttl, TimeProvider.System, NullLogger.Instance);
        Assert.True(await a.HoldAsync(default));

        // a's instance died: nobody renews.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await b.HoldAsync(default))
        {
            Assert.True(DateTime.UtcNow < deadline, "b never took the lease over");
            await Task.Delay(100);
        }

        Assert.False(await a.HoldAsync(default));
    }

    [Fact]
    public async Task Lease_RedisGone_HolderStepsDownWithinHalfTheLifetime()
    {
        var redis = await RedisServer.StartAsync();
        await using var a = new RedisLease(redis.ConnectionString, "test", Ttl, TimeProvider.System, NullLogger.Instance);
        Assert.True(await a.HoldAsync(default));
        await redis.DisposeAsync();

        // Right after the outage it keeps going on its recent renewal; past half the lifetime it must stop, because
        // once the key expires another instance may take it.
        await Task.Delay(Ttl / 2 + TimeSpan.FromMilliseconds(200));
        Assert.False(await a.HoldAsync(default));
    }
}
