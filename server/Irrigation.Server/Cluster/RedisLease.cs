using StackExchange.Redis;

namespace Irrigation.Server.Cluster;

/// <summary>
/// A lease in the cluster's Redis: the key <c>irrigation:lease:NAME</c> holds the holder's random id and expires
/// after <c>ttl</c> unless the holder renews it. The holder counts itself the holder only while its last renewal is
/// younger than half the lifetime, so it stops before any other instance can take the expired key over, even when
/// Redis itself is what it cannot reach.
/// </summary>
public sealed class RedisLease : ILease, IAsyncDisposable
{
    // Take the key when free, extend it when ours; 1 when this caller holds it afterwards.
    private const string HoldScript =
        "local v = redis.call('GET', KEYS[1]) " +
        "if v == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end " +
        "if not v then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end " +
        "return 0";

    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";

    private readonly ConnectionMultiplexer _redis;
    private readonly RedisKey _key;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly string _holder = Guid.NewGuid().ToString("N");
    private long? _confirmedAt;

    /// <summary>Connects to Redis (in the background while it is not reachable: nobody holds the lease meanwhile).</summary>
    public RedisLease(string connectionString, string name, TimeSpan ttl, TimeProvider clock, ILogger log)
    {
        var configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = "irrigation-lease-" + name;
        _redis = ConnectionMultiplexer.Connect(configuration);
        _key = "irrigation:lease:" + name;
        _ttl = ttl;
        _clock = clock;
        _log = log;
    }

    /// <inheritdoc />
    public TimeSpan RenewInterval => _ttl / 4;

    /// <inheritdoc />
    public async Task<bool> HoldAsync(CancellationToken ct)
    {
        try
        {
            var held = (long)await _redis.GetDatabase().ScriptEvaluateAsync(HoldScript, [_key], [_holder, (long)_ttl.TotalMilliseconds]) == 1;
            _confirmedAt = held ? _clock.GetTimestamp() : null;
            return held;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Keep going on a recent renewal; give up well before the key can expire and another instance take it.
            var recent = _confirmedAt is long at && _clock.GetElapsedTime(at) < _ttl / 2;
            _log.LogWarning("Renewing the lease {Key} failed ({Message}){Then}", _key.ToString(), e.Message, recent ? "" : ": stepping down");
            if (!recent)
            {
                _confirmedAt = null;
            }

            return recent;
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync()
    {
        _confirmedAt = null;
        try
        {
            await _redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [_key], [_holder]);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // It expires on its own.
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _redis.DisposeAsync();
}
