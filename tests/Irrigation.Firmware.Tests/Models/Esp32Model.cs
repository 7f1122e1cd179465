// BEHAVIOURAL MODEL of nanoFramework.Hardware.Esp32 1.6.42: nanoframework/nanoFramework.Hardware.Esp32@v1.6.42
// Configuration.cs (SetPinFunction), DeviceTypePins.cs (DeviceFunction values), NativeMemory.cs
// (GetMemoryInfo: SpiRam reports a total of 0 on a board without PSRAM).
using System;
using Irrigation.Firmware.Tests.Models;

namespace nanoFramework.Hardware.Esp32
{
    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value)
        {
        }
    }

    public class NativeMemory
    {
        public enum MemoryType
        {
            All,
            Internal,
            SpiRam,
        }

        public static void GetMemoryInfo(MemoryType memType, out uint totalSize, out uint totalFreeSize, out uint largestFreeBlock)
        {
            totalSize = memType == MemoryType.SpiRam ? ModelBoard.PsramBytes : 520 * 1024;
            totalFreeSize = totalSize;
            largestFreeBlock = totalSize;
        }
    }
}
