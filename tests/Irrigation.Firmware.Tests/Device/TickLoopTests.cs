using System;
using System.Threading;
using Irrigation.Core;
using Irrigation.Core.Irrigation;
using Irrigation.Firmware.Device;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Tests.Models;
using System.Device.Gpio;
using System.IO;

namespace Irrigation.Firmware.Tests.Device
{
    /// <summary>The main loop with the real core on the model board.</summary>
    public class TickLoopTests : ModelTest
    {
        private readonly string _statePath = Path.Combine(Path.GetTempPath(), "tickloop-" + Guid.NewGuid().ToString("N") + ".txt");
        private readonly SerialLogSink _serial;
        private readonly FirmwareLog _log;
        private readonly IValve[] _relays;
        private readonly Heartbeat _heartbeat;

        public TickLoopTests()
        {
            _serial = new SerialLogSink(23, 13, 115200);
            _log = new FirmwareLog(_serial);
            _relays = Rig.OpenRelays();
            _heartbeat = new Heartbeat(new GpioController(), BoardConfig.HeartbeatPin);
        }

        public override void Dispose()
        {
            File.Delete(_statePath);
            base.Dispose();
        }

        private SoftwareWatchdog NewWatchdog(int stallMs) =>
            new SoftwareWatchdog(stallMs, 20, 3, 600000, _statePath, new SafeReboot(_relays, _serial), _log);

        private static int HeartbeatEdges => ModelGpio.Get(BoardConfig.HeartbeatPin).Changes;

        [Fact]
        public void TickThrowsOutOfMemory_LoopSurvivesAndReportsIt()
        {
            var link = new ThrowingLink();
            Controller controller = Rig.NewController(_relays, _serial, link: link);
            var loop = new TickLoop(controller, NewWatchdog(60000), _heartbeat, _log, 1);
            controller.Start(Uptime.Milliseconds);

            for (int i = 0; i < 3; i++)
            {
                loop.RunOnce();   // must not throw: Main's loop would end with a valve open
            }

            Assert.Equal(3, link.Throws);
            Assert.Equal(3, loop.Failures);
            link.Healthy = true;
            int edges = HeartbeatEdges;
            loop.RunOnce();
            Assert.Equal(edges + 1, HeartbeatEdges);
        }

        [Fact]
        public void RunForever_TickKeepsFailing_HeartbeatStopsAndWatchdogReboots()
        {
            var link = new ThrowingLink();
            Controller controller = Rig.NewController(_relays, _serial, link: link);
            var watchdog = NewWatchdog(300);
            var loop = new TickLoop(controller, watchdog, _heartbeat, _log, 5);
            controller.Start(Uptime.Milliseconds);
            watchdog.Arm(Uptime.Milliseconds);
            _relays[0].SetOpen(true);

            var thread = new Thread(loop.RunForever) { IsBackground = true };
            thread.Start();
            Thread.Sleep(100);
            int edges = HeartbeatEdges;

            Assert.True(Eventually(() => ModelBoard.Reboots == 1), "the watchdog did not reboot");
            Assert.True(thread.IsAlive, "the loop ended");
            Assert.Equal(edges, HeartbeatEdges);
            Assert.True(ModelGpio.Get(BoardConfig.RelayPins[0]).IsHigh, "relay 1 still on");
            watchdog.Dispose();
            link.Block();   // park the loop thread for good
        }

        [Fact]
        public void RunForever_Healthy_HeartbeatTogglesEveryTick()
        {
            var link = new ThrowingLink { Healthy = true };
            Controller controller = Rig.NewController(_relays, _serial, link: link);
            var watchdog = NewWatchdog(60000);
            var loop = new TickLoop(controller, watchdog, _heartbeat, _log, 5);
            controller.Start(Uptime.Milliseconds);

            var thread = new Thread(loop.RunForever) { IsBackground = true };
            thread.Start();

            Assert.True(Eventually(() => HeartbeatEdges >= 20), "edges: " + HeartbeatEdges);
            Assert.Equal(0, ModelBoard.Reboots);
            link.Block();
        }

        [Fact]
        public void DhtUnplugged_ReadsBlockOneSecond_HeartbeatGapStaysUnderTheDeadManBound()
        {
            ModelBoard.DhtConnected = false;
            ModelBoard.DhtFailedReadMs = 1000;
            Controller controller = Rig.NewController(_relays, _serial);
            var loop = new TickLoop(controller, NewWatchdog(60000), _heartbeat, _log, FirmwareDefaults.TickPeriodMs);
            controller.Start(Uptime.Milliseconds);
            var gaps = new System.Collections.Generic.List<long>();
            long last = Uptime.Milliseconds;
            int edges = HeartbeatEdges;

            while (ModelBoard.DhtHardwareReads < 1 && Uptime.Milliseconds - last < 20000)
            {
                loop.RunOnce();
                if (HeartbeatEdges != edges)
                {
                    edges = HeartbeatEdges;
                    gaps.Add(Uptime.Milliseconds - last);
                    last = Uptime.Milliseconds;
                }
            }

            loop.RunOnce();
            gaps.Add(Uptime.Milliseconds - last);
            Assert.True(ModelBoard.DhtHardwareReads >= 1);
            long worst = 0;
            foreach (long gap in gaps)
            {
                worst = Math.Max(worst, gap);
            }

            // At least the blocked read itself; far below the dead-man's period even on a loaded test machine
            // (on the board the gap is the 1 s read plus one tick period).
            Assert.InRange(worst, 1000, BoardConfig.DeadManTimeoutMs / 4);
        }

        [Theory]
        [InlineData(1000, long.MaxValue, 200)]   // no volume target: the period
        [InlineData(1000, 1500, 200)]            // due after the period: the period
        [InlineData(1000, 1073, 73)]             // due sooner: until then
        [InlineData(1000, 1000, 1)]              // due now, or passed while ticking: at once, never a busy loop
        [InlineData(1000, 400, 1)]
        public void SleepMs_VolumeTargetDueBeforeThePeriodEnds_SleepsUntilIt(long nowMs, long wakeAtMs, int expected)
        {
            Assert.Equal(expected, TickLoop.SleepMs(nowMs, wakeAtMs, 200));
        }

        /// <summary>An exception whose Message cannot be built: what any string costs when the heap is exhausted.</summary>
        private sealed class HeapExhausted : OutOfMemoryException
        {
            public override string Message => throw new HeapExhausted();
        }

        /// <summary>A link whose State throws into the core (which logs it, building a string: under OOM that throws too).</summary>
        private sealed class ThrowingLink : Irrigation.Core.Link.ILinkTransport
        {
            private readonly ManualResetEventSlim _block = new ManualResetEventSlim(true);
            public volatile bool Healthy;
            public int Throws;

            public void Block() => _block.Reset();

            public Irrigation.Core.Link.LinkState State
            {
                get
                {
                    _block.Wait();
                    if (Healthy)
                    {
                        return Irrigation.Core.Link.LinkState.Closed;
                    }

                    Throws++;
                    throw new HeapExhausted();
                }
            }

            public void Connect(string url)
            {
            }

            public bool Send(string frame) => false;

            public string Receive() => null;

            public void Disconnect()
            {
            }
        }
    }
}
