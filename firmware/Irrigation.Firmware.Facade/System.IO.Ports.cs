// COMPILE-ONLY FACADE - NEVER DEPLOYED. Declares only the members of the real nanoFramework package named
// below that the firmware calls, with the same namespace and signature; every body throws. On the device the
// real package is referenced instead (firmware/Irrigation.Firmware/packages.config). Checked by apidiff.
// Package: nanoFramework.System.IO.Ports
using System;

namespace System.IO.Ports
{
    public sealed class SerialPort : IDisposable
    {
        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One) => throw new NotImplementedException();

        public int WriteTimeout { get; set; }

        public string NewLine { get; set; }

        public bool IsOpen => throw new NotImplementedException();

        public void Open() => throw new NotImplementedException();

        public void WriteLine(string text) => throw new NotImplementedException();

        public void Dispose() => throw new NotImplementedException();
    }
}
