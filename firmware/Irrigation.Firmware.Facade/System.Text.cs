// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Package: nanoFramework.System.Text
using System;

namespace System.Text
{
    public abstract class Encoding
    {
        protected Encoding() => throw new NotImplementedException();

        public static Encoding UTF8 => throw new NotImplementedException();

        public abstract string GetString(byte[] bytes, int index, int count);
    }
}
