using Irrigation.Core.Irrigation;
using Irrigation.Firmware.Logging;
using nanoFramework.Runtime.Native;

namespace Irrigation.Firmware.Device
{
    /// <summary>
    /// The controlled reboot: every relay off, one preformatted line on the serial log, then the reboot. It runs
    /// when something is already wrong (a stalled tick loop, a heap with nothing left), so it allocates nothing
    /// and cannot throw: the relays were opened at boot, the line is a constant, and each step is caught on its
    /// own. Power.RebootDevice only flags the reboot and returns (nanoframework/nanoFramework.Runtime.Native
    /// Power.cs; nanoframework/nf-interpreter src/CLR/Core/Execution.cpp, CLR_RT_ExecutionEngine::Reboot):
    /// the scheduler restarts the chip right after.
    /// </summary>
    public sealed class SafeReboot
    {
        private readonly IValve[] _relays;
        private readonly SerialLogSink _serial;

        /// <summary>Reboots with every one of <paramref name="relays"/> (all the board has, not only the zones') off.</summary>
        public SafeReboot(IValve[] relays, SerialLogSink serial)
        {
            _relays = relays;
            _serial = serial;
        }

        /// <summary>Relays off, <paramref name="serialLine"/> if the UART is free, reboot. Allocates nothing; never throws.</summary>
        public void ValvesOffAndReboot(string serialLine)
        {
            for (int i = 0; i < _relays.Length; i++)
            {
                try
                {
                    _relays[i].SetOpen(false);
                }
                catch
                {
                    // The next relay still gets its chance.
                }
            }

            try
            {
                if (_serial != null)
                {
                    _serial.TryWriteLine(serialLine);
                }
            }
            catch
            {
                // The log is a courtesy; the reboot is not.
            }

            try
            {
                Power.RebootDevice(RebootOption.NormalReboot);
            }
            catch
            {
                // Nothing else to try: the relays are off and the hardware dead-man cuts their power.
            }
        }
    }
}
