using System;
using System.IO.Ports;
using Irrigation.Core.Logging;
using nanoFramework.Hardware.Esp32;

namespace Irrigation.Firmware.Logging
{
    /// <summary>
    /// The serial log for technicians: plain text lines on the ESP32's second UART (COM2), readable with any
    /// 3.3 V USB-UART adapter at 115200 8N1. UART0 cannot be used: it carries the debugger's binary wire
    /// protocol. Lines are written by several threads (tick loop, Wi-Fi, link, watchdog), so writes are
    /// serialised; a failing or missing port never throws into the caller.
    /// </summary>
    public sealed class SerialLogSink : ILogSink, IDisposable
    {
        /// <summary>The nanoFramework name of the second UART, whose pins are mapped below.</summary>
        public const string PortName = "COM2";

        private readonly object _lock = new object();
        private SerialPort _port;

        /// <summary>Maps COM2 to <paramref name="txPin"/>/<paramref name="rxPin"/> and opens it.</summary>
        public SerialLogSink(int txPin, int rxPin, int baudRate)
        {
            try
            {
                // ESP32 UARTs can sit on (almost) any GPIO, but only after the pins are assigned to them.
                Configuration.SetPinFunction(txPin, DeviceFunction.COM2_TX);
                Configuration.SetPinFunction(rxPin, DeviceFunction.COM2_RX);

                var port = new SerialPort(PortName, baudRate, Parity.None, 8, StopBits.One);

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

        /// <summary>Writes one line followed by CR LF. Never throws.</summary>
        public void WriteLine(string line)
        {
            lock (_lock)
            {
                if (_port == null)
                {
                    return;
                }

                try
                {
                    _port.WriteLine(line);
                }
                catch
                {
                    // A full TX buffer (write timeout) loses this line only.
                }
            }
        }

        /// <summary>Closes the UART.</summary>
        public void Dispose()
        {
            lock (_lock)
            {
                if (_port != null)
                {
                    _port.Dispose();
                    _port = null;
                }
            }
        }
    }
}
