// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Package: nanoFramework.System.IO.FileSystem
using System;

namespace System.IO
{
    public static class File
    {
        public static bool Exists(string path) => throw new NotImplementedException();

        public static string ReadAllText(string path) => throw new NotImplementedException();

        public static byte[] ReadAllBytes(string path) => throw new NotImplementedException();

        public static void WriteAllText(string path, string contents) => throw new NotImplementedException();

        public static void Delete(string path) => throw new NotImplementedException();
    }
}
