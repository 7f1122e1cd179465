using System;
using System.IO.Ports;
using System.Threading;
using Irrigation.Core.Logging;
using nanoFramework.Hardware.Esp32;

namespace Irrigation.Firmware.Logging
{
    /// <summary>
    /// The serial log for technicians: plain text lines on the ESP32's second UART (COM2), readable with any
    /// 3.3 V USB-UART adapter at 115200 8N1. UART0 cannot be used: it carries the debugger's binary wire
    /// protocol. Lines end in CR LF (the port's NewLine defaults to "\n", which terminals show as a staircase:
    /// nanoframework/System.IO.Ports System.IO.Ports/SerialPort.cs). Writers (tick loop, Wi-Fi, link,
    /// watchdog) take turns through an Interlocked gate rather than a lock, so the watchdog's reboot path can
    /// try without ever waiting (<see cref="TryWriteLine"/>); a failing or missing port never throws.
    /// </summary>
    public sealed class SerialLogSink : ILogSink, IDisposable
    {
        /// <summary>The nanoFramework name of the second UART, whose pins are mapped below.</summary>
        public const string PortName = "COM2";

        /// <summary>What ends each line.</summary>
        public const string LineEnd = "\r\n";

        private SerialPort _port;
        private int _busy;

        /// <summary>Maps COM2 to <paramref name="txPin"/>/<paramref name="rxPin"/> and opens it.</summary>
        public SerialLogSink(int txPin, int rxPin, int baudRate)
        {
            try
            {
                // ESP32 UARTs can sit on (almost) any GPIO, but only after the pins are assigned to them.
                Configuration.SetPinFunction(txPin, DeviceFunction.COM2_TX);
                Configuration.SetPinFunction(rxPin, DeviceFunction.COM2_RX);

                var port = new SerialPort(PortName, baudRate, Parity.None, 8, StopBits.One);
                port.NewLine = LineEnd;

                // The default is to wait forever; a log line must never hold up the tick loop.
                port.WriteTimeout = 500;
                port.Open();
                _port = port;
            }
            catch
            {
                // No UART: the device still irrigates; the log mirrored to the server still works.
                _port = null;
            }
        }

        /// <summary>True when the UART opened.</summary>
        public bool IsOpen
        {
            get { return _port != null; }
        }

        /// <summary>Writes one line followed by CR LF, after any line being written. Never throws.</summary>
        public void WriteLine(string line)
        {
            while (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            {
                Thread.Sleep(1);
            }

            Write(line);
        }

        /// <summary>
        /// Writes one line only if no other line is being written right now; never waits, never allocates,
        /// never throws. For the reboot path, where a writer stuck inside the UART must not stop the reboot.
        /// </summary>
        public bool TryWriteLine(string line)
        {
            if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            {
                return false;
            }

            return Write(line);
        }

        /// <summary>Closes the UART.</summary>
        public void Dispose()
        {
            SerialPort port = _port;
            _port = null;
            if (port != null)
            {
                port.Dispose();
            }
        }

        // Called holding the gate; releases it.
        private bool Write(string line)
        {
            bool written = false;
            try
            {
                SerialPort port = _port;
                if (port != null)
                {
                    port.WriteLine(line);
                    written = true;
                }
            }
            catch
            {
                // A full TX buffer (write timeout) loses this line only.
            }

            Interlocked.Exchange(ref _busy, 0);
            return written;
        }
    }
}
