namespace Irrigation.Core.Irrigation
{
    /// <summary>Why an automatic run did not start (<c>irrigation_skipped</c>); the wire names are in <c>Protocol.Reasons</c>.</summary>
    public enum SkipReason
    {
        /// <summary>A rain delay holds (settings <c>rain_delay_until</c>).</summary>
        RainDelay = 0,
        /// <summary>The last good air temperature is below <c>freeze_skip_below</c>.</summary>
        Freeze = 1,
        /// <summary>The zone watered less than its <c>min_interval</c> ago (soil rule only).</summary>
        MinInterval = 2,
        /// <summary>A leak was detected and the lock holds until a person clears it (<c>clear_leak</c>).</summary>
        LeakLock = 3,
    }
}
