using System.Threading;
using Irrigation.Firmware.Logging;

namespace Irrigation.Firmware.Device
{
    /// <summary>
    /// Where the application parks when it cannot run (no valid configuration, a pin that cannot be opened, a
    /// boot that threw): the relays stay off (and with no heartbeat the dead-man keeps their supply cut), the
    /// reason is repeated on the serial log, and nothing reboots (a reboot would only loop on the same fault).
    /// </summary>
    public static class SafeHalt
    {
        /// <summary>Never returns and never throws: logs <paramref name="reason"/> now and once a minute (<paramref name="log"/> may be null).</summary>
        public static void Forever(FirmwareLog log, string tag, string reason)
        {
            while (true)
            {
                try
                {
                    if (log != null)
                    {
                        log.Error(tag, "halted: " + reason);
                    }
                }
                catch
                {
                    // Even the halt line may not fit in the heap; the halt itself must hold.
                }

                Thread.Sleep(60000);
            }
        }
    }
}
