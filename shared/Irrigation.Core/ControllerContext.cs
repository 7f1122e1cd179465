using Irrigation.Core.Link;
using Irrigation.Core.Logging;

namespace Irrigation.Core
{
    /// <summary>
    /// What the components of one <see cref="Controller"/> share: the uptime of the current tick, the clock
    /// the server's welcome set, the logger and the event recorder. One instance per controller; the
    /// controller alone moves the time forward, so every component sees the same "now" within a tick.
    /// </summary>
    internal sealed class ControllerContext
    {
        private readonly Logger _log;
        private readonly EventBuffer _buffer;
        private long _nowMs;
        private int _seq;
        private bool _clockTrusted;
        private long _unixOffset;

        /// <summary>Shares <paramref name="log"/> and records events into <paramref name="buffer"/>.</summary>
        public ControllerContext(Logger log, EventBuffer buffer)
        {
            _log = log;
            _buffer = buffer;
        }

        /// <summary>The serial logger.</summary>
        public Logger Log
        {
            get { return _log; }
        }

        /// <summary>The offline buffer every event goes into until the server acks it.</summary>
        public EventBuffer Buffer
        {
            get { return _buffer; }
        }

        /// <summary>Uptime of the current tick, in ms.</summary>
        public long NowMs
        {
            get { return _nowMs; }
        }

        /// <summary>The seq of the last event recorded this boot (0 before any).</summary>
        public int Seq
        {
            get { return _seq; }
        }

        /// <summary>True once a welcome set the clock.</summary>
        public bool IsClockTrusted
        {
            get { return _clockTrusted; }
        }

        /// <summary>Unix seconds at uptime 0, by the last welcome (0 before any).</summary>
        public long UnixOffset
        {
            get { return _unixOffset; }
        }

        /// <summary>Unix seconds now (UTC) by the trusted clock, or 0 while untrusted.</summary>
        public long NowUnixSeconds
        {
            get { return _clockTrusted ? _unixOffset + _nowMs / 1000 : 0; }
        }

        /// <summary>Moves the time of this tick (and of every log line) to <paramref name="uptimeMs"/>.</summary>
        public void SetNow(long uptimeMs)
        {
            _nowMs = uptimeMs;
            _log.SetUptime(uptimeMs);
        }

        /// <summary>
        /// Sets the clock: Unix time = <paramref name="unixSeconds"/> + uptime elapsed since now. Returns true
        /// the first time (the clock was untrusted until now).
        /// </summary>
        public bool SetClock(long unixSeconds)
        {
            _unixOffset = unixSeconds - _nowMs / 1000;
            if (_clockTrusted)
            {
                return false;
            }

            _clockTrusted = true;
            return true;
        }

        /// <summary>Continues the seq above <paramref name="seq"/> (capped so one more event still fits).</summary>
        public void ContinueAbove(long seq)
        {
            _seq = seq > int.MaxValue - 1 ? int.MaxValue - 1 : (int)seq;
        }

        /// <summary>Records one event with the next seq and the current uptime second; none after int.MaxValue.</summary>
        public void Record(EventKind kind, int a, int b, int c, int d, int e, string text)
        {
            if (_seq == int.MaxValue)
            {
                return;
            }

            _seq++;
            _buffer.Add(kind, _seq, (int)(_nowMs / 1000), a, b, c, d, e, text);
        }
    }
}
