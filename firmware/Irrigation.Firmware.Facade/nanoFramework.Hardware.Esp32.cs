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
