namespace Irrigation.Core.Config
{
    /// <summary>A program entry: one zone, at a local time of day, on some days of the week, for a duration.</summary>
    public sealed class ScheduleConfig
    {
        /// <summary>Every day of the week (<see cref="Days"/> bits 0–6).</summary>
        public const int EveryDay = 0x7F;

        /// <summary>Creates an entry that runs every day.</summary>
        public ScheduleConfig(int zoneIndex, int minuteOfDay, int durationSeconds)
        {
            ZoneIndex = zoneIndex;
            MinuteOfDay = minuteOfDay;
            DurationSeconds = durationSeconds;
            Days = EveryDay;
        }

        /// <summary>Index into <see cref="ControllerConfig.Zones"/>.</summary>
        public int ZoneIndex { get; set; }

        /// <summary>
        /// The zone's name as the file or the settings wrote it (key <c>zone</c>), kept so the entry can be matched
        /// again when the zones are replaced; null for entries built in code (then <see cref="ZoneIndex"/> counts).
        /// </summary>
        public string ZoneName { get; set; }

        /// <summary>
        /// Start time as minutes after local midnight, 0–1439 (key <c>at</c>, "HH:MM"). Local = UTC plus the
        /// offset the server sends (<c>utc_offset</c>); 0 until it does, which is the old UTC meaning.
        /// </summary>
        public int MinuteOfDay { get; set; }

        /// <summary>The days it runs: bit 0 = Sunday … bit 6 = Saturday, local (key <c>days</c>, default every day).</summary>
        public int Days { get; set; }

        /// <summary>Water in seconds before the seasonal adjustment (key <c>duration</c>).</summary>
        public int DurationSeconds { get; set; }

        /// <summary>True when the entry runs on <paramref name="dayOfWeek"/> (0 = Sunday … 6 = Saturday).</summary>
        public bool RunsOn(int dayOfWeek)
        {
            return (Days & (1 << dayOfWeek)) != 0;
        }

        /// <summary>A copy of this entry.</summary>
        public ScheduleConfig Copy()
        {
            ScheduleConfig s = new ScheduleConfig(ZoneIndex, MinuteOfDay, DurationSeconds);
            s.ZoneName = ZoneName;
            s.Days = Days;
            return s;
        }
    }
}
