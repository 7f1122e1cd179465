using System.Collections.Concurrent;
using Irrigation.Server.Observability;
using Irrigation.Server.Options;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Auth;

/// <summary>
/// Slows down and then refuses guessing: failed hellos and failed user tokens are counted per source address and per
/// id (device or user). After <see cref="AuthOptions.FreeAttempts"/> failures in a row an attempt waits (250 ms by
/// default, doubling, at most 8 s); from <see cref="AuthOptions.RefuseAfter"/> on it is refused until
/// <see cref="AuthOptions.Window"/> has passed without a failure. A success clears the id's count (not the address's:
/// one good token must not unlock guessing from the same place). At most <see cref="MaxKeys"/> keys are kept; beyond
/// that the oldest are forgotten.
/// </summary>
public sealed class AuthThrottle(IOptions<AuthOptions> options, RelayMetrics metrics, TimeProvider clock)
{
    /// <summary>Most addresses and ids remembered at once.</summary>
    public const int MaxKeys = 20_000;

    private readonly AuthOptions _o = options.Value;
    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>How long a refusal lasts after the last failure.</summary>
    public TimeSpan Window => _o.Window;

    /// <summary>What to do with an attempt from <paramref name="address"/> for <paramref name="id"/> (if known), before checking it.</summary>
    public ThrottleDecision Check(string address, string? id)
    {
        var count = Math.Max(Count("a:" + address), id is null ? 0 : Count("i:" + id));
        if (count >= _o.RefuseAfter)
        {
            metrics.AuthThrottled("refused");
            return new ThrottleDecision(Refused: true, TimeSpan.Zero);
        }

        if (count <= _o.FreeAttempts)
        {
            return new ThrottleDecision(Refused: false, TimeSpan.Zero);
        }

        metrics.AuthThrottled("delayed");
        var delay = _o.FirstDelay * Math.Pow(2, Math.Min(30, count - _o.FreeAttempts - 1));
        return new ThrottleDecision(Refused: false, delay < _o.MaxDelay ? delay : _o.MaxDelay);
    }

    /// <summary>Counts a failed attempt.</summary>
    public void Failed(string address, string? id)
    {
        if (_failures.Count >= MaxKeys)
        {
            Forget();
        }

        var now = clock.GetUtcNow();
        Bump("a:" + address, now);
        if (id is not null)
        {
            Bump("i:" + id, now);
        }
    }

    /// <summary>A correct credential for <paramref name="id"/>: its count starts again.</summary>
    public void Succeeded(string id) => _failures.TryRemove("i:" + id, out _);

    private int Count(string key) =>
        _failures.TryGetValue(key, out var f) && clock.GetUtcNow() - f.Last < _o.Window ? f.Count : 0;

    private void Bump(string key, DateTimeOffset now) =>
        _failures.AddOrUpdate(key, _ => new Failures(1, now), (_, f) => now - f.Last < _o.Window ? new Failures(f.Count + 1, now) : new Failures(1, now));

    // Drops expired entries, then the oldest half if that was not enough.
    private void Forget()
    {
        var now = clock.GetUtcNow();
        foreach (var (key, f) in _failures)
        {
            if (now - f.Last >= _o.Window)
            {
                _failures.TryRemove(key, out _);
            }
        }

        if (_failures.Count >= MaxKeys)
        {
            foreach (var (key, _) in _failures.OrderBy(p => p.Value.Last).Take(_failures.Count / 2).ToList())
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    private readonly record struct Failures(int Count, DateTimeOffset Last);
}
