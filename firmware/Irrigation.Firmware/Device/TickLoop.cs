using System;
using System.Threading;
using Irrigation.Core;
using Irrigation.Firmware.Logging;

namespace Irrigation.Firmware.Device
{
    /// <summary>
    /// The main loop: tick the controller, and only after a tick that ran, beat the heartbeat and feed the
    /// watchdog. It never ends, whatever a tick throws (OutOfMemoryException included): a failure is counted,
    /// reported at most once a minute, and the loop goes on. A tick that keeps failing stops the heartbeat (the
    /// hardware dead-man cuts the relays' supply) and starves the watchdog (valves off, reboot), so surviving an
    /// exception never means running on with a valve that nothing closes.
    /// </summary>
    public sealed class TickLoop
    {
        private const int ReportEveryMs = 60000;

        private readonly Controller _controller;
        private readonly SoftwareWatchdog _watchdog;
        private readonly Heartbeat _heartbeat;
        private readonly FirmwareLog _log;
        private readonly int _periodMs;
        private Exception _lastFailure;
        private int _failures;
        private int _reportedFailures;
        private long _lastReportMs = -ReportEveryMs;

        /// <summary>Ticks <paramref name="controller"/> every <paramref name="periodMs"/>.</summary>
        public TickLoop(Controller controller, SoftwareWatchdog watchdog, Heartbeat heartbeat, FirmwareLog log, int periodMs)
        {
            _controller = controller;
            _watchdog = watchdog;
            _heartbeat = heartbeat;
            _log = log;
            _periodMs = periodMs;
        }

        /// <summary>Ticks that threw since boot.</summary>
        public int Failures
        {
            get { return _failures; }
        }

        /// <summary>Never returns.</summary>
        public void RunForever()
        {
            while (true)
            {
                try
                {
                    RunOnce();
                }
                catch
                {
                    // RunOnce catches everything it calls; this is for what nobody can rule out (an
                    // OutOfMemoryException raised by the runtime itself). Nothing here may allocate.
                }
            }
        }

        /// <summary>One tick, then the period's sleep (shorter when a volume target is due sooner).</summary>
        internal void RunOnce()
        {
            long now = Uptime.Milliseconds;
            bool ticked = false;
            try
            {
                _controller.Tick(now);
                ticked = true;
            }
            catch (Exception ex)
            {
                // Keeping the reference allocates nothing; the message is read in Report, which may fail alone.
                _lastFailure = ex;
                _failures++;
            }

            if (ticked)
            {
                _heartbeat.Beat();
                try
                {
                    _watchdog.Feed(now);
                }
                catch
                {
                    // Feeding only writes the state file now and then; it must not end the loop.
                }
            }
            else
            {
                Report(now);
            }

            Thread.Sleep(SleepMs(Uptime.Milliseconds, _controller.WakeAtMs, _periodMs));
        }

        /// <summary>
        /// How long to sleep after a tick that ended at <paramref name="nowMs"/>: the period, or less when the
        /// controller wants its next tick earlier (<see cref="Controller.WakeAtMs"/>: the moment a volume target
        /// will be reached at the present flow), so a volume run stops within about one pulse instead of one period.
        /// At least 1 ms, so a moment already passed costs one more tick and never a busy loop.
        /// </summary>
        internal static int SleepMs(long nowMs, long wakeAtMs, int periodMs)
        {
            long untilWake = wakeAtMs - nowMs;
            if (untilWake >= periodMs)
            {
                return periodMs;
            }

            return untilWake < 1 ? 1 : (int)untilWake;
        }

        private void Report(long now)
        {
            if (now - _lastReportMs < ReportEveryMs)
            {
                return;
            }

            _lastReportMs = now;
            try
            {
                int since = _failures - _reportedFailures;
                _reportedFailures = _failures;
                _log.Error("tick", "failed " + since + " time(s) (" + _failures + " since boot): " + _lastFailure.Message);
            }
            catch
            {
                // Under OutOfMemoryException even this line cannot be built; the count is kept for the next one.
            }
        }
    }
}
