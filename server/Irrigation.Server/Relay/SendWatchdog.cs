using System.Collections.Concurrent;
using Irrigation.Server.Options;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Relay;

/// <summary>
/// Aborts sockets whose send has been in flight longer than the stuck timeout (the peer stopped reading and the TCP
/// window is full). One timer watches every session, so a send needs no cancellation token of its own: a
/// cancelable token would push every <c>WebSocket.SendAsync</c> off its allocation-free path and arm a timer per
/// frame, which at saturation cost more than the fan-out itself.
/// </summary>
public sealed class SendWatchdog : IDisposable
{
    private readonly ConcurrentDictionary<WebSocketSession, byte> _sessions = new();
    private readonly TimeProvider _clock;
    private readonly ITimer _timer;

    /// <summary>Starts the sweep; a stuck send is aborted between one and one-and-a-quarter timeouts after it began.</summary>
    public SendWatchdog(IOptions<RelayOptions> options, TimeProvider clock)
    {
        _clock = clock;
        Timeout = options.Value.StuckTimeout > TimeSpan.Zero
            ? options.Value.StuckTimeout
            : throw new InvalidOperationException($"Relay:StuckTimeout must be positive, not {options.Value.StuckTimeout}.");
        var period = Timeout / 4 < TimeSpan.FromSeconds(1) ? Timeout / 4 : TimeSpan.FromSeconds(1);
        _timer = clock.CreateTimer(_ => Sweep(), null, period, period);
    }

    /// <summary>How long one send may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Now, in the clock's timestamp units (what sessions record when a send starts).</summary>
    public long Timestamp() => _clock.GetTimestamp();

    /// <summary>Watches the session until <see cref="Remove"/>.</summary>
    public void Add(WebSocketSession session) => _sessions.TryAdd(session, 0);

    /// <summary>Stops watching the session.</summary>
    public void Remove(WebSocketSession session) => _sessions.TryRemove(session, out _);

    /// <summary>Sessions watched now.</summary>
    public int Count => _sessions.Count;

    private void Sweep()
    {
        var now = _clock.GetTimestamp();
        foreach (var session in _sessions.Keys)
        {
            var started = session.SendStartedAt;
            if (started != 0 && _clock.GetElapsedTime(started, now) > Timeout)
            {
                session.AbortStuckSend();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _timer.Dispose();
}
