namespace Irrigation.Core.Link
{
    /// <summary>
    /// Reconnect delays: exponential with "equal jitter". Attempt n waits a random time in
    /// [d/2, d] where d = min(cap, base·2ⁿ), so delays never shrink from one attempt to the next, never exceed
    /// the cap, and a fleet of controllers that lost the same server does not reconnect in lock-step.
    /// <see cref="Reset"/> after a stable connection. Deterministic for a given seed (own xorshift generator).
    /// </summary>
    public sealed class Backoff
    {
        private readonly long _baseMs;
        private long _capMs;
        private uint _state;
        private int _attempts;

        /// <summary>Creates a backoff starting at <paramref name="baseMs"/> and capped at <paramref name="capMs"/>.</summary>
        public Backoff(long baseMs, long capMs, int seed)
        {
            _baseMs = baseMs < 1 ? 1 : baseMs;
            _capMs = capMs < _baseMs ? _baseMs : capMs;
            _state = (uint)seed;
            if (_state == 0)
            {
                _state = 0x9E3779B9;
            }
        }

        /// <summary>Delays handed out since the last reset.</summary>
        public int Attempts
        {
            get { return _attempts; }
        }

        /// <summary>The largest delay, in ms.</summary>
        public long CapMs
        {
            get { return _capMs; }
        }

        /// <summary>Changes the largest delay (settings: backoff_cap); the next delay uses it.</summary>
        public void SetCap(long capMs)
        {
            _capMs = capMs < _baseMs ? _baseMs : capMs;
        }

        /// <summary>The next delay in ms, and counts the attempt.</summary>
        public long NextDelayMs()
        {
            long d = _baseMs;
            for (int i = 0; i < _attempts && d < _capMs; i++)
            {
                d *= 2;
            }

            if (d > _capMs)
            {
                d = _capMs;
            }

            if (_attempts < int.MaxValue)
            {
                _attempts++;
            }

            long half = d / 2;
            return d - half + (long)(NextRandom() % (uint)(half + 1));
        }

        /// <summary>Starts over from the base delay (call after a connection proved stable).</summary>
        public void Reset()
        {
            _attempts = 0;
        }

        private uint NextRandom()
        {
            // xorshift32 (Marsaglia): no System.Random dependency and identical on the device and the host.
            uint x = _state;
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            _state = x;
            return x;
        }
    }
}
