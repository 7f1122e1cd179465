// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Package: nanoFramework.Hardware.Esp32 1.6.42 (enums in nanoFramework.Hardware.Esp32.Enums.cs).
using System;

namespace nanoFramework.Hardware.Esp32
{
    public class Configuration
    {
        public Configuration() => throw new NotImplementedException();

        public static void SetPinFunction(int pin, DeviceFunction value) => throw new NotImplementedException();
    }

    public class NativeMemory
    {
        public NativeMemory() => throw new NotImplementedException();

        // nanoframework/nanoFramework.Hardware.Esp32@v1.6.42 nanoFramework.Hardware.Esp32/NativeMemory.cs: the
        // nested enum, all members in the real order, implicit values 0-2.
        public enum MemoryType
        {
            All,
            Internal,
            SpiRam,
        }

        public static void GetMemoryInfo(MemoryType memType, out uint totalSize, out uint totalFreeSize, out uint largestFreeBlock) => throw new NotImplementedException();
    }
}

// The ESP32's hardware pulse counter (PCNT), declared for the flow meter adapter (issue 19; the core's IPulseCounter,
// docs/firmware-core.md) before the firmware calls it. nanoframework/nanoFramework.Hardware.Esp32@v1.6.42
// nanoFramework.Hardware.Esp32/Gpio/GpioPulseCounter.cs (the real file and class name carry a zero-width space
// after "Gpio", which C# drops from the identifier: the type is GpioPulseCounter), GpioPulseCount.cs; in the package
// since v1.6.3. Native side: nf-interpreter targets/ESP32/_nanoCLR/nanoFramework.Hardware.ESP32/
// nanoFramework_hardware_esp32_native_System_Device_Gpio_GpioPulseCounter.cpp (16-bit PCNT unit with its overflow
// at +/-0x7FFF folded into a 64-bit count; Start clears it; FilterPulses is passed as max_glitch_ns).
namespace System.Device.Gpio
{
    public sealed class GpioPulseCounter : IDisposable
    {
        public GpioPulseCounter(int pinNumberA, int pinNumberB = -1) => throw new NotImplementedException();

        public bool IsStarted => throw new NotImplementedException();

        public GpioPulsePolarity Polarity
        {
            get => throw new NotImplementedException();
            set => throw new NotImplementedException();
        }

        public ushort FilterPulses
        {
            get => throw new NotImplementedException();
            set => throw new NotImplementedException();
        }

        public GpioPulseCount Read() => throw new NotImplementedException();

        public GpioPulseCount Reset() => throw new NotImplementedException();

        public void Start() => throw new NotImplementedException();

        public void Stop() => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }

    public struct GpioPulseCount
    {
        public long Count;

        public TimeSpan RelativeTime;
    }
}
