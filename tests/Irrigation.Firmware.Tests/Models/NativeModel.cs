// BEHAVIOURAL MODEL of nanoFramework.Runtime.Native 1.7.11: nanoframework/nanoFramework.Runtime.Native@v1.7.11
// Power.cs: RebootDevice installs an execution constraint, raises OnRebootEvent and calls NativeReboot, which
// only sets the CLR's RebootPending flag (nanoframework/nf-interpreter src/CLR/Core/Execution.cpp,
// CLR_RT_ExecutionEngine::Reboot): the call RETURNS and managed code runs on until the scheduler restarts the
// chip. RebootOption.cs gives the enum; GC.cs GC.Run collects (finalizers included) and returns the free bytes;
// SystemInfo.cs the target name.
// The model records each reboot and the bytes the calling thread had allocated at that moment.
using System;
using Irrigation.Firmware.Tests.Models;

namespace nanoFramework.Runtime.Native
{
    public static class GC
    {
        public static uint Run(bool compactHeap)
        {
            // A collection runs the finalizers of what became unreachable (Socket's closes its native socket).
            ModelNetwork.Collect();
            return ModelBoard.FreeHeapBytes;
        }
    }

    public class Power
    {
        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot)
        {
            ModelBoard.RecordReboot();
        }
    }

    public static class SystemInfo
    {
        public static string TargetName => "ESP32_REV0";
    }
}
