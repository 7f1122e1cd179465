namespace Irrigation.Core.Protocol
{
    /// <summary>The <c>kind</c> values of <c>flow_alert</c> (docs/protocol.md, "Water").</summary>
    public static class FlowAlertKinds
    {
        /// <summary>Far more flow than the zone's baseline: a broken pipe or a missing head. The zone was stopped.</summary>
        public const string High = "high";
        /// <summary>Far less flow than the zone's baseline: clogged heads or low pressure. The zone keeps watering.</summary>
        public const string Low = "low";
        /// <summary>No flow at all with the zone open: a valve or the supply failed. The zone was stopped.</summary>
        public const string None = "none";
        /// <summary>Flow with every valve closed. The master valve was closed and stays closed until a person clears it.</summary>
        public const string Leak = "leak";
    }
}
