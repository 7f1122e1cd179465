namespace Irrigation.Server.Relay;

/// <summary>
/// A token bucket per device (not per connection, so reconnecting does not refill it): <c>perSecond</c> events
/// sustained, bursts up to <c>burst</c>. An event over the rate is not refused: the bucket goes into debt and the
/// caller waits it off before it reads the controller's next frame, so TCP pushes back on the controller and nothing
/// it sent is lost.
/// </summary>
public sealed class RateLimiter(double perSecond, int burst, TimeProvider clock)
{
    private readonly double _perSecond = perSecond > 0 ? perSecond : throw new ArgumentOutOfRangeException(nameof(perSecond), "Relay:MaxEventsPerSecond must be positive");
    private readonly double _burst = Math.Max(1, burst);
    private readonly Lock _lock = new();
    private double _tokens = Math.Max(1, burst);
    private long _last = clock.GetTimestamp();

    /// <summary>Takes one token; returns how long to wait before reading the next frame (zero within the rate).</summary>
    public TimeSpan Take()
    {
        lock (_lock)
        {
            var now = clock.GetTimestamp();
            _tokens = Math.Min(_burst, _tokens + clock.GetElapsedTime(_last, now).TotalSeconds * _perSecond) - 1;
            _last = now;
            return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
        }
    }
}
