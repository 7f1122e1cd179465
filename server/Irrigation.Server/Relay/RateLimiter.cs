namespace Irrigation.Server.Relay;

/// <summary>
/// Token bucket: <see cref="_perSecond"/> events per second sustained, bursts up to <see cref="_burst"/>. Kept per
/// device (not per connection), so reconnecting does not refill it.
/// </summary>
public sealed class RateLimiter(double perSecond, int burst, TimeProvider clock)
{
    private readonly double _perSecond = perSecond;
    private readonly double _burst = Math.Max(1, burst);
    private readonly Lock _lock = new();
    private double _tokens = Math.Max(1, burst);
    private long _last = clock.GetTimestamp();

    /// <summary>Takes one token; false when the device is over its rate.</summary>
    public bool TryTake()
    {
        lock (_lock)
        {
            var now = clock.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + clock.GetElapsedTime(_last, now).TotalSeconds * _perSecond);
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens -= 1;
            return true;
        }
    }
}
