namespace Irrigation.Core.Water
{
    /// <summary>The flow alarms; <see cref="WaterMeter.AlarmToWire"/> gives the <c>flow_alert</c> kind.</summary>
    public enum FlowAlarm
    {
        /// <summary>Far more flow than the open zones' baseline (broken pipe): they are stopped.</summary>
        High = 0,
        /// <summary>Far less flow than the baseline (clogged, low pressure): reported, watering goes on.</summary>
        Low = 1,
        /// <summary>No flow at all with zones open (valve or supply fault): they are stopped.</summary>
        None = 2,
        /// <summary>Flow with every valve closed: the master valve is closed and locked until a person clears it.</summary>
        Leak = 3,
    }
}
