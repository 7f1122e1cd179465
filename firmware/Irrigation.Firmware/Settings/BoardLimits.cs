using Irrigation.Core.Config;
using Irrigation.Firmware.Logging;
using nanoFramework.Hardware.Esp32;

namespace Irrigation.Firmware.Settings
{
    /// <summary>
    /// What this board's memory allows of a valid configuration. Without PSRAM the managed heap is the free
    /// internal RAM less what ESP-IDF keeps (roughly 70-110 KB; nanoframework/nf-interpreter
    /// targets/ESP32/_nanoCLR/Memory.cpp), so the two settings that size memory at run time are capped, with a
    /// warning: buffer_capacity (30 B per event) and send_window (frames waiting in the library's send queue).
    /// </summary>
    public static class BoardLimits
    {
        /// <summary>True when the ESP32 reports external SPI RAM (nanoFramework.Hardware.Esp32 NativeMemory.cs).</summary>
        public static bool HasPsram()
        {
            try
            {
                uint total;
                uint free;
                uint largest;
                NativeMemory.GetMemoryInfo(NativeMemory.MemoryType.SpiRam, out total, out free, out largest);
                return total > 0;
            }
            catch
            {
                return false;
            }
        }

        /// <summary>Caps <paramref name="config"/> for a board without PSRAM; returns how many settings it lowered.</summary>
        public static int Apply(ControllerConfig config, bool hasPsram, FirmwareLog log)
        {
            if (hasPsram)
            {
                return 0;
            }

            int capped = 0;
            if (config.BufferCapacity > FirmwareDefaults.BufferCapacityWithoutPsram)
            {
                log.Warn("config", "buffer_capacity " + config.BufferCapacity + " lowered to " + FirmwareDefaults.BufferCapacityWithoutPsram + ": this board has no PSRAM (docs/firmware-core.md, memory budget)");
                config.BufferCapacity = FirmwareDefaults.BufferCapacityWithoutPsram;
                capped++;
            }

            if (config.SendWindow > FirmwareDefaults.SendWindowWithoutPsram)
            {
                log.Warn("config", "send_window " + config.SendWindow + " lowered to " + FirmwareDefaults.SendWindowWithoutPsram + ": this board has no PSRAM");
                config.SendWindow = FirmwareDefaults.SendWindowWithoutPsram;
                capped++;
            }

            return capped;
        }
    }
}
