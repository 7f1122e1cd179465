namespace Irrigation.Core.Sensors
{
    /// <summary>What one read did to a sensor's health.</summary>
    public enum SensorHealthChange
    {
        /// <summary>No change worth an event.</summary>
        None,
        /// <summary>Enough misses in a row: emit <c>sensor_disconnected</c> once.</summary>
        Disconnected,
        /// <summary>Enough good reads in a row after a disconnect: emit <c>sensor_reconnected</c> once.</summary>
        Reconnected,
    }
}
