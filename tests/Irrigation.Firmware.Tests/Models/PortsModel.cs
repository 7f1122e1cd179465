// BEHAVIOURAL MODEL of nanoFramework.System.IO.Ports 1.1.139: nanoframework/System.IO.Ports@v1.1.139
// System.IO.Ports/SerialPort.cs: NewLine defaults to "\n" (_defaultNewLine); WriteLine(text) writes text then
// NewLine (NativeWriteString(text, true)); WriteTimeout defaults to Timeout.Infinite. Parity.cs and StopBits.cs
// give the enums. Lines are kept as references in a preallocated ring, so writing allocates nothing here.
using System;
using System.Text;
using Irrigation.Firmware.Tests.Models;

namespace System.IO.Ports
{
    public sealed class SerialPort : IDisposable
    {
        private string _newLine = "\n";

        public SerialPort(string portName, int baudRate = 9600, Parity parity = Parity.None, int dataBits = 8, StopBits stopBits = StopBits.One)
        {
            PortName = portName;
            BaudRate = baudRate;
            ModelSerial.Port = this;
        }

        public string PortName { get; }

        public int BaudRate { get; }

        public int WriteTimeout { get; set; } = -1;

        public bool IsOpen { get; private set; }

        public string NewLine
        {
            get => _newLine;
            set
            {
                if (string.IsNullOrEmpty(value))
                {
                    throw new ArgumentException();
                }

                _newLine = value;
            }
        }

        public void Open()
        {
            IsOpen = true;
        }

        public void WriteLine(string text)
        {
            if (!IsOpen)
            {
                throw new InvalidOperationException();
            }

            ModelSerial.WaitAtGate();
            Exception failure = ModelSerial.WriteFailure;
            if (failure != null)
            {
                throw failure;
            }

            ModelSerial.Record(text, _newLine);
        }

        public void Dispose()
        {
            IsOpen = false;
        }
    }
}

namespace Irrigation.Firmware.Tests.Models
{
    /// <summary>What went out of the model UART.</summary>
    public static class ModelSerial
    {
        private const int Capacity = 8192;
        private static readonly object s_lock = new object();
        private static readonly string[] s_texts = new string[Capacity];
        private static readonly string[] s_newLines = new string[Capacity];
        private static long s_count;

        /// <summary>The last SerialPort constructed.</summary>
        public static System.IO.Ports.SerialPort Port;

        /// <summary>When set, WriteLine throws it (a full TX buffer, or the heap exhausted under the write).</summary>
        public static Exception WriteFailure;

        /// <summary>When set, every WriteLine waits here first (a UART write that does not come back).</summary>
        public static System.Threading.ManualResetEventSlim Gate;

        /// <summary>Writers waiting at <see cref="Gate"/> now.</summary>
        public static int Waiting;

        internal static void WaitAtGate()
        {
            System.Threading.ManualResetEventSlim gate = Gate;
            if (gate == null)
            {
                return;
            }

            System.Threading.Interlocked.Increment(ref Waiting);
            gate.Wait();
            System.Threading.Interlocked.Decrement(ref Waiting);
        }

        public static void Reset()
        {
            lock (s_lock)
            {
                Array.Clear(s_texts);
                Array.Clear(s_newLines);
                s_count = 0;
                Port = null;
                WriteFailure = null;
                Gate?.Set();
                Gate = null;
                Waiting = 0;
            }
        }

        internal static void Record(string text, string newLine)
        {
            lock (s_lock)
            {
                int i = (int)(s_count % Capacity);
                s_texts[i] = text;
                s_newLines[i] = newLine;
                s_count++;
            }
        }

        /// <summary>The lines written (without terminators), oldest first (last 8192).</summary>
        public static string[] Lines
        {
            get
            {
                lock (s_lock)
                {
                    long first = Math.Max(0, s_count - Capacity);
                    var lines = new string[s_count - first];
                    for (long n = first; n < s_count; n++)
                    {
                        lines[n - first] = s_texts[n % Capacity];
                    }

                    return lines;
                }
            }
        }

        /// <summary>The bytes a terminal received, as text (lines with their terminators).</summary>
        public static string Output
        {
            get
            {
                lock (s_lock)
                {
                    var sb = new StringBuilder();
                    long first = Math.Max(0, s_count - Capacity);
                    for (long n = first; n < s_count; n++)
                    {
                        sb.Append(s_texts[n % Capacity]).Append(s_newLines[n % Capacity]);
                    }

                    return sb.ToString();
                }
            }
        }

        /// <summary>True when some line contains <paramref name="text"/>.</summary>
        public static bool Contains(string text)
        {
            foreach (string line in Lines)
            {
                if (line != null && line.Contains(text, StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
