using System;
using System.IO;
using System.Threading;
using Irrigation.Firmware.Logging;

namespace Irrigation.Firmware.Device
{
    /// <summary>
    /// Reboots the board, valves off, when the tick loop stops being fed (a deadlock, a tick that keeps failing)
    /// or a watched part is hung (a connect attempt blocked past its second bound). The ESP32 firmware enables
    /// no hardware watchdog (CONFIG_ESP_TASK_WDT_INIT=n in nanoframework/nf-interpreter
    /// targets/ESP32/_IDF/sdkconfig.default, and the HAL's Watchdog_Init/Watchdog_Reset are the empty weak
    /// defaults of src/HAL/nanoHAL_Watchdog.c) and no managed API reaches one, so a timer does the watching;
    /// when the whole runtime freezes, the hardware dead-man fed by <see cref="Heartbeat"/> takes over.
    /// <para>
    /// The reboot path (<see cref="SafeReboot"/>) allocates nothing: it may run with the heap exhausted. So the
    /// count that prevents a reboot loop is written at boot, not before the reboot: <see cref="Arm"/> stores
    /// "one more boot in a row" and a run that stays fed for <c>healthyResetMs</c> deletes it. After
    /// <c>maxConsecutiveReboots</c> boots in a row that ended early (watchdog reboots, or power cuts) the
    /// watchdog stays disarmed and says so, until such a healthy run arms it again.
    /// </para>
    /// </summary>
    public sealed class SoftwareWatchdog : IDisposable
    {
        /// <summary>The serial line of a stall reboot (preformatted: the reboot path builds no string).</summary>
        public const string StallLine = "[-----.---] E watchdog: tick loop stalled: relays off, rebooting";

        /// <summary>The serial line of a hang reboot.</summary>
        public const string HangLine = "[-----.---] E watchdog: link connect attempt stuck: relays off, rebooting";

        private readonly object _lock = new object();
        private readonly int _stallMs;
        private readonly int _checkPeriodMs;
        private readonly int _maxConsecutiveReboots;
        private readonly int _healthyResetMs;
        private readonly string _statePath;
        private readonly SafeReboot _reboot;
        private readonly FirmwareLog _log;
        private IHangCheck _hangCheck;
        private Timer _timer;
        private long _armedAtMs;
        private long _lastFeedMs;
        private int _bootsInARow;
        private bool _countCleared;
        private bool _rebooting;

        /// <summary>Creates a disarmed watchdog; <see cref="Arm"/> starts it.</summary>
        public SoftwareWatchdog(int stallMs, int checkPeriodMs, int maxConsecutiveReboots, int healthyResetMs, string statePath, SafeReboot reboot, FirmwareLog log)
        {
            _stallMs = stallMs;
            _checkPeriodMs = checkPeriodMs;
            _maxConsecutiveReboots = maxConsecutiveReboots;
            _healthyResetMs = healthyResetMs;
            _statePath = statePath;
            _reboot = reboot;
            _log = log;
        }

        /// <summary>True when the watchdog is running (false before <see cref="Arm"/> or while it refuses to).</summary>
        public bool IsArmed
        {
            get { return _timer != null; }
        }

        /// <summary>Boots in a row, before this one, that ended before a healthy run.</summary>
        public int BootsInARow
        {
            get { return _bootsInARow; }
        }

        /// <summary>Also reboot when <paramref name="check"/> reports a hang (one part; call before <see cref="Arm"/>).</summary>
        public void Watch(IHangCheck check)
        {
            _hangCheck = check;
        }

        /// <summary>Starts watching, unless the previous boots already ended early too many times in a row.</summary>
        public void Arm(long nowMs)
        {
            _bootsInARow = ReadCount();
            lock (_lock)
            {
                _armedAtMs = nowMs;
                _lastFeedMs = nowMs;
            }

            if (_bootsInARow >= _maxConsecutiveReboots)
            {
                _log.Error("watchdog", "disarmed: " + _bootsInARow + " boots in a row ended within " + (_healthyResetMs / 60000) + " min (watchdog reboots or power cuts); read the log above. A healthy run of " + (_healthyResetMs / 60000) + " min arms it again");
                return;
            }

            // Counted now, while the heap is fine: if this boot ends in a reboot, nothing is written then.
            WriteCount(_bootsInARow + 1);
            if (_bootsInARow > 0)
            {
                _log.Warn("watchdog", "armed after " + _bootsInARow + " boot(s) in a row that ended early");
            }

            Start();
        }

        /// <summary>Called by the tick loop after every tick that ran.</summary>
        public void Feed(long nowMs)
        {
            bool healthy = false;
            lock (_lock)
            {
                _lastFeedMs = nowMs;
                if (!_countCleared && nowMs - _armedAtMs >= _healthyResetMs)
                {
                    _countCleared = true;
                    healthy = true;
                }
            }

            if (!healthy)
            {
                return;
            }

            // Written only at boot and here: a handful of flash writes per boot at most.
            DeleteCount();
            if (_timer == null)
            {
                _log.Info("watchdog", "healthy for " + (_healthyResetMs / 60000) + " min: armed again");
                Start();
            }
        }

        /// <summary>Stops the timer.</summary>
        public void Dispose()
        {
            Timer timer = _timer;
            _timer = null;
            if (timer != null)
            {
                timer.Dispose();
            }
        }

        /// <summary>The timer's check. Allocates nothing on any path: the heap may be exhausted when it matters.</summary>
        internal void Check(object state)
        {
            long now = Uptime.Milliseconds;
            bool stalled;
            lock (_lock)
            {
                if (_rebooting)
                {
                    return;
                }

                stalled = now - _lastFeedMs >= _stallMs;
            }

            IHangCheck hangCheck = _hangCheck;
            bool hung = !stalled && hangCheck != null && hangCheck.IsHung(now);
            if (!stalled && !hung)
            {
                return;
            }

            lock (_lock)
            {
                if (_rebooting)
                {
                    return;
                }

                _rebooting = true;
            }

            _reboot.ValvesOffAndReboot(stalled ? StallLine : HangLine);
        }

        private void Start()
        {
            _timer = new Timer(Check, null, _checkPeriodMs, _checkPeriodMs);
        }

        private int ReadCount()
        {
            try
            {
                if (!File.Exists(_statePath))
                {
                    return 0;
                }

                string text = File.ReadAllText(_statePath).Trim();
                return text.Length == 0 ? 0 : int.Parse(text);
            }
            catch
            {
                return 0;
            }
        }

        private void WriteCount(int count)
        {
            try
            {
                File.WriteAllText(_statePath, count.ToString());
            }
            catch (Exception ex)
            {
                _log.Warn("watchdog", "cannot store the boot count: " + ex.Message);
            }
        }

        private void DeleteCount()
        {
            try
            {
                if (File.Exists(_statePath))
                {
                    File.Delete(_statePath);
                }
            }
            catch (Exception ex)
            {
                _log.Warn("watchdog", "cannot clear the boot count: " + ex.Message);
            }
        }
    }
}
