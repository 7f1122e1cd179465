namespace Irrigation.Core.Protocol
{
    /// <summary>The <c>reason</c> values of <c>irrigation_started</c> and <c>irrigation_stopped</c>.</summary>
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
        /// <summary>Stopped by a safety rule (lease enforcement, lost sensor, fault).</summary>
        public const string Failsafe = "failsafe";
        /// <summary>Reported at boot: every valve was closed before anything else ran.</summary>
        public const string Boot = "boot";
    }
}
