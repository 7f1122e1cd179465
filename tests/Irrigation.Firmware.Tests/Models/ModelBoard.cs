using System;
using System.Threading;

namespace Irrigation.Firmware.Tests.Models
{
    /// <summary>
    /// The rest of the model board: sensor values, memory figures, reboots. <see cref="ResetAll"/> puts every
    /// model (network, Wi-Fi, GPIO, UART, board) back to a healthy idle board; each test class calls it.
    /// </summary>
    public static class ModelBoard
    {
        private static readonly object s_lock = new object();
        private static int s_reboots;
        private static long s_allocatedAtReboot;
        private static long s_rebootAtMs;

        public static volatile bool DhtConnected = true;
        public static int DhtFailedReadMs = 1000;
        public static int DhtDeciCelsius = 215;
        public static int DhtDeciPercent = 480;
        public static int DhtHardwareReads;
        public static int AdcRaw = 2400;
        public static uint FreeHeapBytes = 60000;
        public static uint PsramBytes;

        /// <summary>Power.RebootDevice calls so far.</summary>
        public static int Reboots
        {
            get { lock (s_lock) { return s_reboots; } }
        }

        /// <summary>GC.GetAllocatedBytesForCurrentThread() of the thread that asked for the first reboot, at that moment.</summary>
        public static long AllocatedAtReboot
        {
            get { lock (s_lock) { return s_allocatedAtReboot; } }
        }

        /// <summary>Environment.TickCount64 at the first reboot.</summary>
        public static long RebootAtMs
        {
            get { lock (s_lock) { return s_rebootAtMs; } }
        }

        public static void ResetAll()
        {
            ModelNetwork.Reset();
            ModelWifi.Reset();
            ModelGpio.Reset();
            ModelSerial.Reset();
            System.Device.Adc.AdcController.ResetModel();
            lock (s_lock)
            {
                s_reboots = 0;
                s_allocatedAtReboot = 0;
                s_rebootAtMs = 0;
            }

            DhtConnected = true;
            DhtFailedReadMs = 1000;
            DhtDeciCelsius = 215;
            DhtDeciPercent = 480;
            DhtHardwareReads = 0;
            AdcRaw = 2400;
            FreeHeapBytes = 60000;
            PsramBytes = 0;
        }

        internal static void RecordReboot()
        {
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long now = Environment.TickCount64;
            Monitor.Enter(s_lock);
            if (s_reboots == 0)
            {
                s_allocatedAtReboot = allocated;
                s_rebootAtMs = now;
            }

            s_reboots++;
            Monitor.Exit(s_lock);
        }
    }
}
