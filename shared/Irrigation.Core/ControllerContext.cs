using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Logging;

namespace Irrigation.Core
{
    /// <summary>
    /// What the components of one <see cref="Controller"/> share: the config they run, the uptime of the current
    /// tick, the clock (UTC from the server's welcome, plus the time zone offset the server sends), the logger and
    /// the event recorder. One instance per controller; the controller alone moves the time forward, so every
    /// component sees the same "now" within a tick, and only the settings component replaces the config.
    /// </summary>
    internal sealed class ControllerContext
    {
        // Zone name lists kept for events still in the buffer: events are encoded when sent, and a zone renamed or
        // removed by settings in between must still be named as it was when the event happened.
        private const int NameHistory = 4;

        private readonly Logger _log;
        private readonly string[][] _namesByGeneration = new string[NameHistory][];
        private int _namesGeneration;
        private readonly EventBuffer _buffer;
        private ControllerConfig _config;
        private string[] _zoneNames;
        private long _nowMs;
        private int _seq;
        private bool _clockTrusted;
        private long _unixOffset;
        private int _utcOffsetSeconds;

        /// <summary>Runs <paramref name="config"/>, shares <paramref name="log"/> and records events into <paramref name="buffer"/>.</summary>
        public ControllerContext(ControllerConfig config, Logger log, EventBuffer buffer)
        {
            _log = log;
            _buffer = buffer;
            UseConfig(config);
        }

        /// <summary>The config running now (the board's file, or the server's settings over it). Read it afresh each time.</summary>
        public ControllerConfig Config
        {
            get { return _config; }
        }

        /// <summary>The zone names of <see cref="Config"/>, in valve order (one array per config, not per call).</summary>
        public string[] ZoneNames
        {
            get { return _zoneNames; }
        }

        /// <summary>Counts the changes of <see cref="ZoneNames"/>; recorded with every event that names zones.</summary>
        public int ZoneNamesGeneration
        {
            get { return _namesGeneration; }
        }

        /// <summary>
        /// The zone names as they were at <paramref name="generation"/>. REVIEW: only the last four lists are kept;
        /// an event that waited through more zone renames than that (offline for days) is named with today's list.
        /// </summary>
        public string[] ZoneNamesAt(int generation)
        {
            string[] names = _namesByGeneration[generation % NameHistory];
            return generation <= _namesGeneration && generation > _namesGeneration - NameHistory && names != null ? names : _zoneNames;
        }

        /// <summary>The time zone offset the server sent last, in seconds east of UTC (0 until it sends one).</summary>
        public int UtcOffsetSeconds
        {
            get { return _utcOffsetSeconds; }
        }

        /// <summary>Local time now as seconds since 1970-01-01 00:00 local (UTC + offset), or 0 while the clock is untrusted.</summary>
        public long NowLocalSeconds
        {
            get { return _clockTrusted ? NowUnixSeconds + _utcOffsetSeconds : 0; }
        }

        /// <summary>Runs <paramref name="config"/> from now on (it was validated and matches the hardware).</summary>
        public void UseConfig(ControllerConfig config)
        {
            string[] names = config.ZoneNames();
            if (_zoneNames != null && !SameNames(names, _zoneNames))
            {
                _namesGeneration++;
            }

            _config = config;
            _zoneNames = names;
            _namesByGeneration[_namesGeneration % NameHistory] = names;
        }

        /// <summary>Sets the time zone offset; returns true when it changed (a DST change, say).</summary>
        public bool SetUtcOffset(int seconds)
        {
            if (seconds == _utcOffsetSeconds)
            {
                return false;
            }

            _utcOffsetSeconds = seconds;
            return true;
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

        private static bool SameNames(string[] a, string[] b)
        {
            if (a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

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
