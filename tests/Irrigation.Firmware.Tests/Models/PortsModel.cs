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
    /// <summary>What went out of the model UART (one per model board).</summary>
    public static class ModelSerial
    {
        private const int Capacity = 8192;

        private static State S => ModelBoard.Current.Serial;

        /// <summary>The last SerialPort constructed.</summary>
        public static System.IO.Ports.SerialPort Port { get => S.Port; set => S.Port = value; }

        /// <summary>When set, WriteLine throws it (a full TX buffer, or the heap exhausted under the write).</summary>
        public static Exception WriteFailure { get => S.WriteFailure; set => S.WriteFailure = value; }

        /// <summary>When set, every WriteLine waits here first (a UART write that does not come back).</summary>
        public static System.Threading.ManualResetEventSlim Gate { get => S.Gate; set => S.Gate = value; }

        /// <summary>Writers waiting at <see cref="Gate"/> now.</summary>
        public static int Waiting => System.Threading.Volatile.Read(ref S.Waiting);

        internal static void WaitAtGate()
        {
            State s = S;
            System.Threading.ManualResetEventSlim gate = s.Gate;
            if (gate == null)
            {
                return;
            }

            System.Threading.Interlocked.Increment(ref s.Waiting);
            gate.Wait();
            System.Threading.Interlocked.Decrement(ref s.Waiting);

            // A board switched off meanwhile parks this writer here.
            _ = S;
        }

        internal static void Record(string text, string newLine)
        {
            State s = S;
            lock (s.Lock)
            {
                int i = (int)(s.Count % Capacity);
                s.Texts[i] = text;
                s.NewLines[i] = newLine;
                s.Count++;
            }
        }

        /// <summary>The lines written (without terminators), oldest first (last 8192).</summary>
        public static string[] Lines
        {
            get
            {
                State s = S;
                lock (s.Lock)
                {
                    long first = Math.Max(0, s.Count - Capacity);
                    var lines = new string[s.Count - first];
                    for (long n = first; n < s.Count; n++)
                    {
                        lines[n - first] = s.Texts[n % Capacity];
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
                State s = S;
                lock (s.Lock)
                {
                    var sb = new StringBuilder();
                    long first = Math.Max(0, s.Count - Capacity);
                    for (long n = first; n < s.Count; n++)
                    {
                        sb.Append(s.Texts[n % Capacity]).Append(s.NewLines[n % Capacity]);
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

        /// <summary>One board's UART: the lines are kept as references in a preallocated ring, so writing allocates nothing.</summary>
        internal sealed class State
        {
            public readonly object Lock = new object();
            public readonly string[] Texts = new string[Capacity];
            public readonly string[] NewLines = new string[Capacity];
            public long Count;
            public volatile System.IO.Ports.SerialPort Port;
            public volatile Exception WriteFailure;
            public volatile System.Threading.ManualResetEventSlim Gate;
            public int Waiting;

            /// <summary>The board is off: a writer stuck at the gate is let go (and parks).</summary>
            public void SwitchOff()
            {
                Gate?.Set();
            }
        }
    }
}
