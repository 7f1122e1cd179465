// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Package: nanoFramework.System.Threading
using System;

namespace System.Threading
{
    public struct CancellationToken
    {
        public bool IsCancellationRequested => throw new NotImplementedException();
    }

    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource(int millisecondsDelay) => throw new NotImplementedException();

        public CancellationToken Token => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }
}
