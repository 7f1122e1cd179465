namespace Irrigation.Core.Sensors
{
    /// <summary>
    /// Debounced health of one sensor. A few misses in a row keep the last good value (like Tasmota);
    /// only <see cref="MissesToDisconnect"/> consecutive misses report a disconnect, and only
    /// <see cref="GoodsToReconnect"/> consecutive good reads report the return, so a marginal sensor that
    /// fails now and then produces no events at all.
    /// </summary>
    public sealed class SensorHealth
    {
        /// <summary>Consecutive misses before the sensor counts as disconnected (default 3).</summary>
        public const int DefaultMissesToDisconnect = 3;
        /// <summary>Consecutive good reads before a disconnected sensor counts as back (default 3).</summary>
        public const int DefaultGoodsToReconnect = 3;

        private int _misses;
        private int _goods;

        /// <summary>Creates a health tracker with the default thresholds; the sensor starts connected with no value.</summary>
        public SensorHealth()
            : this(DefaultMissesToDisconnect, DefaultGoodsToReconnect)
        {
        }

        /// <summary>Creates a health tracker with the given thresholds (each at least 1).</summary>
        public SensorHealth(int missesToDisconnect, int goodsToReconnect)
        {
            MissesToDisconnect = missesToDisconnect < 1 ? 1 : missesToDisconnect;
            GoodsToReconnect = goodsToReconnect < 1 ? 1 : goodsToReconnect;
            IsConnected = true;
        }

        /// <summary>Consecutive misses before a disconnect.</summary>
        public int MissesToDisconnect { get; private set; }

        /// <summary>Consecutive good reads before a reconnect.</summary>
        public int GoodsToReconnect { get; private set; }

        /// <summary>False between a reported disconnect and a reported reconnect.</summary>
        public bool IsConnected { get; private set; }

        /// <summary>Consecutive misses so far.</summary>
        public int Misses
        {
            get { return _misses; }
        }

        /// <summary>True when <see cref="LastGood"/> may be used: connected and at least one good read.</summary>
        public bool HasValue
        {
            get { return IsConnected && HasEverRead; }
        }

        /// <summary>True once any good read arrived.</summary>
        public bool HasEverRead { get; private set; }

        /// <summary>The last good value (kept through a few misses).</summary>
        public int LastGood { get; private set; }

        /// <summary>Records a good read.</summary>
        public SensorHealthChange Good(int value)
        {
            LastGood = value;
            HasEverRead = true;
            _misses = 0;
            if (IsConnected)
            {
                return SensorHealthChange.None;
            }

            _goods++;
            if (_goods < GoodsToReconnect)
            {
                return SensorHealthChange.None;
            }

            _goods = 0;
            IsConnected = true;
            return SensorHealthChange.Reconnected;
        }

        /// <summary>Records a missed or rejected read.</summary>
        public SensorHealthChange Miss()
        {
            _goods = 0;
            if (_misses < int.MaxValue)
            {
                _misses++;
            }

            if (!IsConnected || _misses < MissesToDisconnect)
            {
                return SensorHealthChange.None;
            }

            IsConnected = false;
            return SensorHealthChange.Disconnected;
        }
    }
}
