// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Package: nanoFramework.Runtime.Native
using System;

namespace nanoFramework.Runtime.Native
{
    public static class GC
    {
        public static uint Run(bool compactHeap) => throw new NotImplementedException();
    }

    public class Power
    {
        public Power() => throw new NotImplementedException();

        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot) => throw new NotImplementedException();
    }

    public static class SystemInfo
    {
        public static string TargetName => throw new NotImplementedException();
    }
}

namespace System
{
    public static class Environment
    {
        public static long TickCount64 => throw new NotImplementedException();
    }
}
