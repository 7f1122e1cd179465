namespace Irrigation.Core.Protocol
{
    /// <summary>
    /// One kind of reading as every part of the system sees it: its event name, the data field that carries the
    /// value, the unit, the range, whether it is telemetry, and the small integer the server stores it under.
    /// Values are always integers in tenths of <see cref="Unit"/> on the wire and in storage. The rows live in
    /// <see cref="ReadingSpecs"/>; nothing else writes a reading's range or droppability down.
    /// </summary>
    public sealed class ReadingSpec
    {
        /// <summary>Values are tenths of the unit: a value divided by this is the reading in <see cref="Unit"/>.</summary>
        public const int Scale = 10;

        internal ReadingSpec(int code, string name, string field, string unit, int min, int max, bool telemetry, bool zone, bool raw)
        {
            Code = code;
            Name = name;
            Field = field;
            Unit = unit;
            Min = min;
            Max = max;
            IsTelemetry = telemetry;
            HasZone = zone;
            HasRaw = raw;
        }

        /// <summary>Stable small integer for storage (the server's <c>readings.kind</c>); never reused for another kind.</summary>
        public int Code { get; private set; }

        /// <summary>The event name, which is also the sensor name in hello and in sensor events.</summary>
        public string Name { get; private set; }

        /// <summary>The <c>data</c> field that carries the value (<c>record</c>, or <c>rate</c> for flow).</summary>
        public string Field { get; private set; }

        /// <summary>The unit of the value once divided by <see cref="Scale"/> (°C, %RH, %, L/min).</summary>
        public string Unit { get; private set; }

        /// <summary>Lowest valid value, in tenths of <see cref="Unit"/>.</summary>
        public int Min { get; private set; }

        /// <summary>Highest valid value, in tenths of <see cref="Unit"/>.</summary>
        public int Max { get; private set; }

        /// <summary>
        /// True when a reading of this kind may be dropped when a bounded queue is full (the device's offline buffer,
        /// a slow dashboard's queue): a newer one soon says the same. False would make it must-deliver.
        /// </summary>
        public bool IsTelemetry { get; private set; }

        /// <summary>True when the event may name a zone (<c>data.zone</c>, optional).</summary>
        public bool HasZone { get; private set; }

        /// <summary>True when the event also carries the raw ADC value (<c>data.raw</c>).</summary>
        public bool HasRaw { get; private set; }

        /// <summary>True when <paramref name="tenths"/> is within <see cref="Min"/>…<see cref="Max"/>.</summary>
        public bool Contains(long tenths)
        {
            return tenths >= Min && tenths <= Max;
        }

        /// <summary><paramref name="tenths"/> moved into the range (for a measured value about to be sent).</summary>
        public int Clamp(long tenths)
        {
            return tenths < Min ? Min : tenths > Max ? Max : (int)tenths;
        }
    }
}
