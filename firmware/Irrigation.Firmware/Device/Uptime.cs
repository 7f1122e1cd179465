using System;

namespace Irrigation.Firmware.Device
{
    /// <summary>Milliseconds since boot: the clock the controller ticks on (never jumps when SNTP or the server sets the time).</summary>
    public static class Uptime
    {
        /// <summary>Milliseconds since the device started.</summary>
        public static long Milliseconds
        {
            get { return Environment.TickCount64; }
        }
    }
}
