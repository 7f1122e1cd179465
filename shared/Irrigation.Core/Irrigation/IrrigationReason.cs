namespace Irrigation.Core.Irrigation
{
    /// <summary>Why zones opened or closed; <see cref="ZoneValves.ReasonToWire"/> gives the contract's string.</summary>
    public enum IrrigationReason
    {
        /// <summary>Opened by a daily schedule.</summary>
        Schedule = 0,
        /// <summary>Opened because the soil was below the dry threshold.</summary>
        SoilDry = 1,
        /// <summary>Opened or closed by a command.</summary>
        Manual = 2,
        /// <summary>Closed because the lease ran out.</summary>
        Completed = 3,
        /// <summary>Closed because the soil went above the wet threshold.</summary>
        SoilWet = 4,
        /// <summary>Closed by a safety rule (lost soil probe during a soil run).</summary>
        Failsafe = 5,
        /// <summary>Closed at boot, before anything else ran.</summary>
        Boot = 6,
    }
}
