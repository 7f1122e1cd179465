namespace Irrigation.Core.Water
{
    /// <summary>
    /// The flow meter's pulse input (a hall-effect meter on the main line). On the ESP32 the firmware adapts the
    /// chip's hardware pulse counter (<c>System.Device.Gpio.GpioPulseCounter</c> of nanoFramework.Hardware.Esp32),
    /// which counts every edge even while the tick thread is busy; the core only reads the running total once a
    /// tick, so no pulse is ever missed between reads.
    /// </summary>
    public interface IPulseCounter
    {
        /// <summary>
        /// Pulses counted since the counter started: never decreases while it runs (a restarted counter starts at 0
        /// again, which the core notices and resynchronises on). A negative value means the read failed. Must not
        /// block; may throw (the core counts it as a failed read).
        /// </summary>
        long ReadPulses();
    }
}
