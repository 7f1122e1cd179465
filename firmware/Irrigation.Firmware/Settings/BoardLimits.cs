using Irrigation.Core.Config;
using Irrigation.Firmware.Logging;
using nanoFramework.Hardware.Esp32;

namespace Irrigation.Firmware.Settings
{
    /// <summary>
    /// What this board's memory allows of a valid configuration. Without PSRAM the managed heap is the free
    /// internal RAM less what ESP-IDF keeps (roughly 70-110 KB; nanoframework/nf-interpreter
    /// targets/ESP32/_nanoCLR/Memory.cpp), so the settings that size memory at run time are capped
    /// (<see cref="FirmwareDefaults"/>, docs/firmware-core.md "Memory budget"): the core rejects settings from the
    /// server above the caps, and the board's file is fitted to them at boot, with a warning.
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

        /// <summary>The caps of a board with or without PSRAM (with it: the config's own limits).</summary>
        public static MemoryCaps For(bool hasPsram)
        {
            return hasPsram
                ? MemoryCaps.ConfigLimits
                : new MemoryCaps(FirmwareDefaults.BufferCapacityWithoutPsram, FirmwareDefaults.SendWindowWithoutPsram, FirmwareDefaults.SchedulesWithoutPsram);
        }

        /// <summary>
        /// Lowers <c>buffer_capacity</c> and <c>send_window</c> of the board's file to <paramref name="caps"/>, with a
        /// warning each; returns how many it lowered. Schedules are not dropped here: which ones would go is the
        /// owner's choice, so <see cref="ScheduleError"/> makes the boot stop with what to fix instead.
        /// </summary>
        public static int Apply(ControllerConfig config, MemoryCaps caps, FirmwareLog log)
        {
            int capped = 0;
            if (config.BufferCapacity > caps.MaxBufferCapacity)
            {
                log.Warn("config", "buffer_capacity " + config.BufferCapacity + " lowered to " + caps.MaxBufferCapacity + ": this board has no PSRAM (docs/firmware-core.md, memory budget)");
                config.BufferCapacity = caps.MaxBufferCapacity;
                capped++;
            }

            if (config.SendWindow > caps.MaxSendWindow)
            {
                log.Warn("config", "send_window " + config.SendWindow + " lowered to " + caps.MaxSendWindow + ": this board has no PSRAM");
                config.SendWindow = caps.MaxSendWindow;
                capped++;
            }

            return capped;
        }

        /// <summary>Why the board's file has more schedules than <paramref name="caps"/> allow, or null.</summary>
        public static string ScheduleError(ControllerConfig config, MemoryCaps caps)
        {
            int schedules = config.Schedules == null ? 0 : config.Schedules.Length;
            if (schedules <= caps.MaxSchedules)
            {
                return null;
            }

            return "the file has " + schedules + " schedules and this board without PSRAM runs at most " + caps.MaxSchedules + ": remove some (the dashboard can send them as settings) or use a board with PSRAM";
        }
    }
}
