using Irrigation.Core.Device;

namespace Irrigation.Firmware.Device
{
    /// <summary>Health figures for the status event, read from the nanoFramework runtime.</summary>
    public sealed class DeviceInfo : IDeviceInfo
    {
        /// <summary>
        /// Free managed heap in bytes. Runs a (non-compacting) collection first, which is what the runtime's
        /// only free-memory call does; the core asks once per status interval, so the cost is acceptable.
        /// </summary>
        public int FreeHeapBytes
        {
            get
            {
                try
                {
                    uint free = nanoFramework.Runtime.Native.GC.Run(false);
                    return free > int.MaxValue ? int.MaxValue : (int)free;
                }
                catch
                {
                    return 0;
                }
            }
        }

        /// <summary>
        /// Always 0 (unknown): the Wi-Fi packages expose RSSI only for scan results and soft-AP stations, not
        /// for the station's own connection, and scanning would interrupt the link.
        /// </summary>
        public int Rssi
        {
            get { return 0; }
        }
    }
}
