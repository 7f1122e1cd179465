namespace Irrigation.Core.Config
{
    /// <summary>A daily run: one zone, at a UTC time of day, for a duration.</summary>
    public sealed class ScheduleConfig
    {
        /// <summary>Creates a schedule entry.</summary>
        public ScheduleConfig(int zoneIndex, int minuteOfDayUtc, int durationSeconds)
        {
            ZoneIndex = zoneIndex;
            MinuteOfDayUtc = minuteOfDayUtc;
            DurationSeconds = durationSeconds;
        }

        /// <summary>Index into <see cref="ControllerConfig.Zones"/> (the file names the zone: key <c>zone</c>).</summary>
        public int ZoneIndex { get; set; }

        /// <summary>Start time as minutes after midnight UTC, 0–1439 (key <c>at</c>, "HH:MM").</summary>
        public int MinuteOfDayUtc { get; set; }

        /// <summary>Lease in seconds, 1…the zone's maximum (key <c>duration</c>).</summary>
        public int DurationSeconds { get; set; }
    }
}
