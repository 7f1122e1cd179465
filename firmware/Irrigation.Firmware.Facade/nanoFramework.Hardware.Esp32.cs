// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Package: nanoFramework.Hardware.Esp32
using System;

namespace nanoFramework.Hardware.Esp32
{
    public class Configuration
    {
        public Configuration() => throw new NotImplementedException();

        public static void SetPinFunction(int pin, DeviceFunction value) => throw new NotImplementedException();
    }

    // REVIEW: the real members are computed (DeviceTypes.SERIAL + ...); the facade only needs the names, and
    // the values never reach the device because the real package is referenced there.
    public enum DeviceFunction
    {
        COM2_TX,
        COM2_RX,
    }
}
