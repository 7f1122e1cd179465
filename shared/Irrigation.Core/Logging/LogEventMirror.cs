using Irrigation.Core.Link;

namespace Irrigation.Core.Logging
{
    /// <summary>
    /// Mirrors warnings and errors of the serial log as log events for the server, rate-limited by a token
    /// bucket (a burst of <see cref="Burst"/>, then one per <see cref="RefillMs"/>) so a failing sensor cannot
    /// fill the offline buffer with its own complaints.
    /// </summary>
    internal sealed class LogEventMirror : ILogMirror
    {
        /// <summary>Log events in a burst.</summary>
        internal const int Burst = 5;
        /// <summary>Time to earn one more log event, in ms.</summary>
        internal const long RefillMs = 60000;

        private readonly ControllerContext _context;
        private int _tokens = Burst;
        private long _refillAtMs;
        private long _suppressed;

        /// <summary>Records into <paramref name="context"/>.</summary>
        public LogEventMirror(ControllerContext context)
        {
            _context = context;
        }

        /// <summary>Lines not mirrored because of the rate limit.</summary>
        public long SuppressedCount
        {
            get { return _suppressed; }
        }

        /// <summary>Boot at <paramref name="uptimeMs"/>: the full burst is available, the next token one period later.</summary>
        public void Start(long uptimeMs)
        {
            _refillAtMs = uptimeMs + RefillMs;
        }

        /// <summary>Records <paramref name="message"/> as a log event when a token is left.</summary>
        public void OnMirroredLine(LogLevel level, string message)
        {
            long now = _context.NowMs;
            while (_tokens < Burst && now >= _refillAtMs)
            {
                _tokens++;
                _refillAtMs += RefillMs;
            }

            if (_tokens >= Burst)
            {
                _refillAtMs = now + RefillMs;
            }

            if (_tokens == 0)
            {
                _suppressed++;
                return;
            }

            _tokens--;
            _context.Record(EventKind.Log, (int)level, 0, 0, 0, 0, message);
        }
    }
}
