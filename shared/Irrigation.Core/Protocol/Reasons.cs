namespace Irrigation.Core.Protocol
{
    /// <summary>The <c>reason</c> values of <c>irrigation_started</c>, <c>irrigation_stopped</c> and <c>irrigation_skipped</c>.</summary>
    public static class Reasons
    {
        /// <summary>Started by a daily schedule.</summary>
        public const string Schedule = "schedule";
        /// <summary>Started because the soil was below the dry threshold.</summary>
        public const string SoilDry = "soil_dry";
        /// <summary>Started or stopped by a command.</summary>
        public const string Manual = "manual";
        /// <summary>Stopped because the lease ran out.</summary>
        public const string Completed = "completed";
        /// <summary>Stopped because the soil went above the wet threshold.</summary>
        public const string SoilWet = "soil_wet";
        /// <summary>Stopped by a safety rule (lost soil probe, a flow alarm: broken pipe, no flow).</summary>
        public const string Failsafe = "failsafe";
        /// <summary>Reported at boot: every valve was closed before anything else ran.</summary>
        public const string Boot = "boot";

        /// <summary>Skipped: a rain delay holds (settings rain_delay_until).</summary>
        public const string RainDelay = "rain_delay";
        /// <summary>Skipped: the last good air temperature is below settings freeze_skip_below.</summary>
        public const string Freeze = "freeze";
        /// <summary>Skipped: the zone watered less than its min_interval ago (soil rule).</summary>
        public const string MinInterval = "min_interval";
        /// <summary>Skipped: a leak was detected and the lock is on until a person clears it (<c>clear_leak</c>).</summary>
        public const string LeakLock = "leak_lock";

        /// <summary>True for a reason <c>irrigation_skipped</c> may carry.</summary>
        public static bool IsSkipReason(string reason)
        {
            return reason == RainDelay || reason == Freeze || reason == MinInterval || reason == LeakLock;
        }
    }
}
