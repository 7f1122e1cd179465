using Irrigation.Core.Logging;

namespace Irrigation.Core.Link
{
    /// <summary>
    /// Keeps the WebSocket up without ever blocking or rebooting: connects, waits for welcome, watches for
    /// silence, and after any failure disconnects and waits a jittered, capped, growing delay
    /// (<see cref="Backoff"/>) before the next attempt. A connection that stays ready for the stable period
    /// resets the backoff. The watchdog tears down a connection that received no frame for the timeout
    /// (the server acks every event and a status goes out every minute, so a healthy link is never silent
    /// that long). Giving up is never an option: a controller without a link still irrigates safely.
    /// </summary>
    public sealed class LinkSupervisor
    {
        /// <summary>Longest wait for the transport to open, in ms.</summary>
        public const long ConnectTimeoutMs = 30000;
        /// <summary>Longest wait for welcome after hello, in ms.</summary>
        public const long WelcomeTimeoutMs = 15000;

        private readonly ILinkTransport _transport;
        private readonly string _url;
        private readonly Backoff _backoff;
        private long _watchdogMs;
        private long _stableMs;
        private readonly Logger _log;
        private long _phaseSinceMs;
        private long _nextAttemptMs;
        private long _lastReceivedMs;
        private bool _stable;

        /// <summary>Creates the supervisor; the first attempt happens on the first <see cref="Tick"/>.</summary>
        public LinkSupervisor(ILinkTransport transport, string url, Backoff backoff, long watchdogMs, long stableMs, Logger log)
        {
            _transport = transport;
            _url = url;
            _backoff = backoff;
            _watchdogMs = watchdogMs;
            _stableMs = stableMs;
            _log = log;
            Phase = LinkPhase.Waiting;
            _nextAttemptMs = long.MinValue;
        }

        /// <summary>The current phase.</summary>
        public LinkPhase Phase { get; private set; }

        /// <summary>Connection attempts so far.</summary>
        public int Attempts { get; private set; }

        /// <summary>Connections that reached <see cref="LinkPhase.Ready"/>.</summary>
        public int Sessions { get; private set; }

        /// <summary>The last backoff delay chosen, in ms.</summary>
        public long LastDelayMs { get; private set; }

        /// <summary>Uptime in ms of the next attempt while <see cref="LinkPhase.Waiting"/>.</summary>
        public long NextAttemptMs
        {
            get { return _nextAttemptMs; }
        }

        /// <summary>Changes the watchdog, the stable period and the backoff cap (settings); they count from the next check.</summary>
        public void SetTimings(long watchdogMs, long stableMs, long backoffCapMs)
        {
            _watchdogMs = watchdogMs;
            _stableMs = stableMs;
            _backoff.SetCap(backoffCapMs);
        }

        /// <summary>Advances the cycle; call once per controller tick.</summary>
        public LinkTransition Tick(long nowMs)
        {
            LinkState state = _transport.State;
            switch (Phase)
            {
                case LinkPhase.Waiting:
                    if (nowMs >= _nextAttemptMs)
                    {
                        Attempts++;
                        Enter(LinkPhase.Connecting, nowMs);
                        _transport.Connect(_url);
                    }

                    return LinkTransition.None;
                case LinkPhase.Connecting:
                    if (state == LinkState.Open)
                    {
                        Enter(LinkPhase.Handshake, nowMs);
                        _lastReceivedMs = nowMs;
                        return LinkTransition.Opened;
                    }

                    if (state == LinkState.Closed)
                    {
                        return Fail(nowMs, "connect failed");
                    }

                    return nowMs - _phaseSinceMs > ConnectTimeoutMs ? Fail(nowMs, "connect timed out") : LinkTransition.None;
                case LinkPhase.Handshake:
                    if (state != LinkState.Open)
                    {
                        return Fail(nowMs, "closed before welcome");
                    }

                    return nowMs - _phaseSinceMs > WelcomeTimeoutMs ? Fail(nowMs, "no welcome") : LinkTransition.None;
                default:
                    if (state != LinkState.Open)
                    {
                        return Fail(nowMs, "connection lost");
                    }

                    if (nowMs - _lastReceivedMs > _watchdogMs)
                    {
                        return Fail(nowMs, "watchdog: server silent");
                    }

                    if (!_stable && nowMs - _phaseSinceMs >= _stableMs)
                    {
                        _stable = true;
                        _backoff.Reset();
                    }

                    return LinkTransition.None;
            }
        }

        /// <summary>Any frame arrived: feeds the watchdog.</summary>
        public void OnFrameReceived(long nowMs)
        {
            _lastReceivedMs = nowMs;
        }

        /// <summary>Welcome arrived: the connection is ready for events.</summary>
        public void OnWelcome(long nowMs)
        {
            if (Phase == LinkPhase.Handshake)
            {
                Sessions++;
                Enter(LinkPhase.Ready, nowMs);
                _log.Info("link", "ready", "attempts", Attempts, "sessions", Sessions);
            }
        }

        /// <summary>
        /// Closes a healthy connection on purpose (it did what it was opened for) and connects again at once: no
        /// backoff, no warning.
        /// </summary>
        public void Reconnect(long nowMs)
        {
            _transport.Disconnect();
            _nextAttemptMs = nowMs;
            Enter(LinkPhase.Waiting, nowMs);
        }

        /// <summary>Tears the connection down (send failure, protocol trouble) and schedules the next attempt.</summary>
        public LinkTransition Fail(long nowMs, string why)
        {
            _transport.Disconnect();
            LastDelayMs = _backoff.NextDelayMs();
            _nextAttemptMs = nowMs + LastDelayMs;
            Enter(LinkPhase.Waiting, nowMs);
            _log.Warn("link", why, "retry_ms", LastDelayMs, "attempt", _backoff.Attempts);
            return LinkTransition.Closed;
        }

        private void Enter(LinkPhase phase, long nowMs)
        {
            Phase = phase;
            _phaseSinceMs = nowMs;
            _stable = false;
        }
    }
}
