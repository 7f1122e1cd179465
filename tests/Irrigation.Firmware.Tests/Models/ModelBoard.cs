using System;
using System.Threading;

namespace Irrigation.Firmware.Tests.Models
{
    /// <summary>
    /// The model board a test runs on: sensor values, memory figures, reboots, and the state of every other model
    /// (network, Wi-Fi, GPIO, pulse counter, water line, UART, ADC, flash), all held by one <see cref="BoardState"/> per test.
    /// <para>
    /// Why per test: the firmware under test starts threads (a Wi-Fi connector retrying every 20 ms, connect
    /// attempts blocked in a handshake, the library's sender and receive threads, a tick loop) that outlive the
    /// test that started them. The board is an <see cref="AsyncLocal{T}"/>, so every thread, timer and thread-pool
    /// item a test starts (directly or through the firmware) carries that test's board with it: a late thread can
    /// only ever touch its own test's board, never the next test's. When the test ends its board is switched off
    /// (<see cref="PowerOff"/>): hung handshakes are let go, the library's threads and timers stop, and any thread
    /// of that test that enters a model afterwards is parked for good, as a real board's threads end at a reset.
    /// </para>
    /// </summary>
    public static class ModelBoard
    {
        private static readonly AsyncLocal<BoardState> s_current = new AsyncLocal<BoardState>();

        /// <summary>The board of the calling flow; a thread of a switched-off board is parked here for good.</summary>
        internal static BoardState Current
        {
            get
            {
                BoardState board = s_current.Value;
                if (board == null)
                {
                    throw new InvalidOperationException("no model board in this flow: derive the test from ModelTest and create model objects in its constructor body (field initializers run before ModelTest's constructor)");
                }

                if (board.IsOff)
                {
                    Park(board);
                }

                return board;
            }
        }

        /// <summary>A new, healthy, idle board for the calling flow (the test's constructor).</summary>
        public static void PowerOn()
        {
            s_current.Value = new BoardState(Thread.CurrentThread);
        }

        /// <summary>
        /// A reset: the calling flow's board is switched off and a new one switched on that keeps only the flash
        /// (drive I:), as a real board keeps its files and loses everything else. Start the firmware again after it.
        /// </summary>
        public static void Reboot()
        {
            BoardState old = s_current.Value;
            old.SwitchOff();
            s_current.Value = new BoardState(Thread.CurrentThread, old.Flash);
        }

        /// <summary>Switches the calling flow's board off (the test's Dispose): see the class remarks.</summary>
        public static void PowerOff()
        {
            BoardState board = s_current.Value;
            if (board != null)
            {
                board.SwitchOff();
            }
        }

        public static bool DhtConnected { get => Current.DhtConnected; set => Current.DhtConnected = value; }

        public static int DhtFailedReadMs { get => Current.DhtFailedReadMs; set => Current.DhtFailedReadMs = value; }

        public static int DhtDeciCelsius { get => Current.DhtDeciCelsius; set => Current.DhtDeciCelsius = value; }

        public static int DhtDeciPercent { get => Current.DhtDeciPercent; set => Current.DhtDeciPercent = value; }

        /// <summary>Reads that went to the sensor (not answered from the 1 s cache).</summary>
        public static int DhtHardwareReads => Volatile.Read(ref Current.DhtReads);

        public static int AdcRaw { get => Current.AdcRaw; set => Current.AdcRaw = value; }

        public static uint FreeHeapBytes { get => Current.FreeHeapBytes; set => Current.FreeHeapBytes = value; }

        public static uint PsramBytes { get => Current.PsramBytes; set => Current.PsramBytes = value; }

        /// <summary>Power.RebootDevice calls so far.</summary>
        public static int Reboots
        {
            get { BoardState b = Current; lock (b.Lock) { return b.Reboots; } }
        }

        /// <summary>GC.GetAllocatedBytesForCurrentThread() of the thread that asked for the first reboot, at that moment.</summary>
        public static long AllocatedAtReboot
        {
            get { BoardState b = Current; lock (b.Lock) { return b.AllocatedAtReboot; } }
        }

        /// <summary>Environment.TickCount64 at the first reboot.</summary>
        public static long RebootAtMs
        {
            get { BoardState b = Current; lock (b.Lock) { return b.RebootAtMs; } }
        }

        internal static void CountDhtRead()
        {
            Interlocked.Increment(ref Current.DhtReads);
        }

        internal static void RecordReboot()
        {
            // Nothing here may allocate: the tests measure that the reboot path allocates nothing.
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            long now = Environment.TickCount64;
            BoardState b = Current;
            Monitor.Enter(b.Lock);
            if (b.Reboots == 0)
            {
                b.AllocatedAtReboot = allocated;
                b.RebootAtMs = now;
            }

            b.Reboots++;
            Monitor.Exit(b.Lock);
        }

        // A thread of a board that is off: on the device it no longer exists. A thread-pool thread (a timer's
        // callback, a queued work item) is not parked, it would starve the pool; it only ever reaches its own dead
        // board. The test's own thread is never parked: using the board after Dispose is a bug in the test.
        private static void Park(BoardState board)
        {
            Thread thread = Thread.CurrentThread;
            if (thread.IsThreadPoolThread)
            {
                return;
            }

            if (thread == board.Owner)
            {
                throw new InvalidOperationException("the model board was switched off at the end of the test");
            }

            thread.IsBackground = true;
            Thread.Sleep(Timeout.Infinite);
        }
    }

    /// <summary>Everything one model board holds; each model keeps its part here (one owner per piece of state).</summary>
    internal sealed class BoardState
    {
        public readonly object Lock = new object();
        public readonly Thread Owner;
        public readonly ModelNetwork.State Network = new ModelNetwork.State();
        public readonly ModelWifi.State Wifi = new ModelWifi.State();
        public readonly ModelGpio.State Gpio = new ModelGpio.State();
        public readonly ModelPcnt.State Pcnt = new ModelPcnt.State();
        public readonly ModelWaterLine.State Water = new ModelWaterLine.State();
        public readonly ModelSerial.State Serial = new ModelSerial.State();
        public readonly ModelFlash.State Flash;
        public volatile bool DhtConnected = true;
        public volatile int DhtFailedReadMs = 1000;
        public volatile int DhtDeciCelsius = 215;
        public volatile int DhtDeciPercent = 480;
        public int DhtReads;
        public volatile int AdcRaw = 2400;
        public bool AdcControllerCreated;
        public uint FreeHeapBytes = 60000;
        public uint PsramBytes;
        public int Reboots;
        public long AllocatedAtReboot;
        public long RebootAtMs;
        private volatile bool _off;

        public BoardState(Thread owner, ModelFlash.State flash = null)
        {
            Owner = owner;
            Flash = flash ?? new ModelFlash.State();
        }

        public bool IsOff => _off;

        public void SwitchOff()
        {
            _off = true;
            Network.SwitchOff();
            Serial.SwitchOff();
        }
    }
}
