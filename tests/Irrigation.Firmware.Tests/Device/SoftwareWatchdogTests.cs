using System;
using System.IO;
using System.Linq;
using Irrigation.Core.Irrigation;
using Irrigation.Firmware.Device;
using Irrigation.Firmware.Logging;
using Irrigation.Firmware.Tests.Models;

namespace Irrigation.Firmware.Tests.Device
{
    /// <summary>The watchdog's reboot path on the model board (GPIO, UART, Power.RebootDevice).</summary>
    public class SoftwareWatchdogTests : ModelTest
    {
        private readonly string _statePath = Path.Combine(Path.GetTempPath(), "watchdog-" + Guid.NewGuid().ToString("N") + ".txt");
        private readonly SerialLogSink _serial;
        private readonly IValve[] _relays;
        private readonly FirmwareLog _log;

        public SoftwareWatchdogTests()
        {
            _serial = new SerialLogSink(23, 13, 115200);
            _log = new FirmwareLog(_serial);
            _relays = Rig.OpenRelays();
        }

        public override void Dispose()
        {
            File.Delete(_statePath);
            base.Dispose();
        }

        private SoftwareWatchdog NewWatchdog(int stallMs = 100, int checkMs = 20, int healthyMs = 60000)
        {
            return new SoftwareWatchdog(stallMs, checkMs, 3, healthyMs, _statePath, new SafeReboot(_relays, _serial), _log);
        }

        private static bool RelayOn(int pin) => !ModelGpio.Get(pin).IsHigh;   // active-low boards

        [Fact]
        public void Stalled_RebootPath_AllocatesNothingAndClosesEveryRelayFirst()
        {
            var watchdog = NewWatchdog();
            watchdog.Arm(Uptime.Milliseconds);
            watchdog.Dispose();   // the check runs on this thread below, not on the timer
            _relays[0].SetOpen(true);
            _relays[3].SetOpen(true);
            Assert.True(RelayOn(BoardConfig.RelayPins[0]));
            System.Threading.Thread.Sleep(150);

            long before = GC.GetAllocatedBytesForCurrentThread();
            watchdog.Check(null);

            Assert.Equal(1, ModelBoard.Reboots);
            Assert.Equal(0, ModelBoard.AllocatedAtReboot - before);
            Assert.All(BoardConfig.RelayPins, pin => Assert.False(RelayOn(pin), "relay GPIO" + pin + " on at reboot"));
            Assert.Contains(SoftwareWatchdog.StallLine, ModelSerial.Lines);
        }

        [Fact]
        public void Stalled_UartBusyOrOutOfMemory_StillRebootsWithRelaysOff()
        {
            var watchdog = NewWatchdog();
            watchdog.Arm(Uptime.Milliseconds);
            watchdog.Dispose();
            _relays[1].SetOpen(true);
            ModelSerial.WriteFailure = new OutOfMemoryException();
            System.Threading.Thread.Sleep(150);

            watchdog.Check(null);

            Assert.Equal(1, ModelBoard.Reboots);
            Assert.False(RelayOn(BoardConfig.RelayPins[1]));
        }

        [Fact]
        public void TickLoopFed_NoReboot()
        {
            // Fed every 20 ms for twice the stall bound: a run that would reboot without the feeding. The bound
            // leaves room for this thread to be descheduled on a loaded machine.
            var watchdog = NewWatchdog(stallMs: 2000);
            watchdog.Arm(Uptime.Milliseconds);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 4000)
            {
                watchdog.Feed(Uptime.Milliseconds);
                System.Threading.Thread.Sleep(20);
            }

            watchdog.Dispose();
            Assert.Equal(0, ModelBoard.Reboots);
        }

        [Fact]
        public void HangCheckReportsHung_RebootsWithTheHangLine()
        {
            var hang = new FakeHang();
            var watchdog = NewWatchdog(stallMs: 60000);
            watchdog.Watch(hang);
            watchdog.Arm(Uptime.Milliseconds);
            _relays[2].SetOpen(true);

            hang.Hung = true;

            Assert.True(Eventually(() => ModelBoard.Reboots == 1));
            watchdog.Dispose();
            Assert.False(RelayOn(BoardConfig.RelayPins[2]));
            Assert.Contains(SoftwareWatchdog.HangLine, ModelSerial.Lines);
        }

        [Fact]
        public void StuckConnectAttempt_PastSecondBound_RelaysOffAndReboot()
        {
            ModelNetwork.Default = ServerBehaviour.Hang;
            var transport = Rig.NewTransport(_log, abandonAfterMs: 50, stuckAfterMs: 300);
            var watchdog = NewWatchdog(stallMs: 60000);
            watchdog.Watch(transport);
            watchdog.Arm(Uptime.Milliseconds);
            _relays[0].SetOpen(true);

            transport.Connect(Rig.IpUrl);

            // The core reads the link's State every tick; that is where the first bound is noticed.
            Assert.True(Eventually(() => transport.State != Irrigation.Core.Link.LinkState.Open && ModelBoard.Reboots == 1), "no reboot for a connect attempt stuck past its bound");
            watchdog.Dispose();
            Assert.False(RelayOn(BoardConfig.RelayPins[0]));
            Assert.True(ModelSerial.Contains("abandoned"), "the first bound was not logged");
        }

        [Fact]
        public void BootsEndingEarly_ThreeInARow_WatchdogStaysDisarmed()
        {
            for (int boot = 1; boot <= 3; boot++)
            {
                var watchdog = NewWatchdog();
                watchdog.Arm(Uptime.Milliseconds);
                Assert.True(watchdog.IsArmed, "boot " + boot);
                watchdog.Dispose();   // the boot ends (reboot or power cut) before a healthy run
            }

            var fourth = NewWatchdog();
            fourth.Arm(Uptime.Milliseconds);

            Assert.False(fourth.IsArmed);
            Assert.Equal(3, fourth.BootsInARow);
            Assert.True(ModelSerial.Contains("watchdog: disarmed: 3 boots in a row"));
        }

        [Fact]
        public void HealthyRun_ClearsTheCountAndArmsAgain()
        {
            File.WriteAllText(_statePath, "3");
            var watchdog = NewWatchdog(healthyMs: 100);
            long start = Uptime.Milliseconds;
            watchdog.Arm(start);
            Assert.False(watchdog.IsArmed);

            watchdog.Feed(start + 150);

            Assert.True(watchdog.IsArmed);
            Assert.False(File.Exists(_statePath));
            watchdog.Dispose();
            var next = NewWatchdog();
            next.Arm(Uptime.Milliseconds);
            Assert.True(next.IsArmed);
            next.Dispose();
        }

        private sealed class FakeHang : IHangCheck
        {
            public volatile bool Hung;

            public bool IsHung(long nowMs) => Hung;
        }
    }
}
