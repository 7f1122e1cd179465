using System.Threading;
using Irrigation.Firmware.Logging;

namespace Irrigation.Firmware.Device
{
    /// <summary>
    /// Where the application parks when it cannot run (no valid configuration, a pin that cannot be opened):
    /// valves stay closed, the reason is repeated on the serial log, and nothing reboots (a reboot would only
    /// loop on the same fault).
    /// </summary>
    public static class SafeHalt
    {
        /// <summary>Never returns: logs <paramref name="reason"/> now and once a minute.</summary>
        public static void Forever(FirmwareLog log, string tag, string reason)
        {
            while (true)
            {
                log.Error(tag, "halted: " + reason);
                Thread.Sleep(60000);
            }
        }
    }
}
