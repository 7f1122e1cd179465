using System;
using System.IO;
using System.Threading;
using Irrigation.Firmware.Logging;
using nanoFramework.Runtime.Native;

namespace Irrigation.Firmware.Device
{
    /// <summary>
    /// Reboots the board when the tick loop stops running (a deadlock or a call that never returns), because the
    /// ESP32 task watchdog has no managed API. A timer thread compares the last <see cref="Feed"/> with the
    /// uptime. To never reboot-loop, the number of watchdog reboots in a row is kept in a small file on the
    /// internal drive: after <c>maxConsecutiveReboots</c> the watchdog stays disarmed and says so on the log;
    /// a healthy run of <c>healthyResetMs</c> clears the count.
    /// </summary>
    public sealed class SoftwareWatchdog : IDisposable
    {
        private readonly object _lock = new object();
        private readonly int _stallMs;
        private readonly int _checkPeriodMs;
        private readonly int _maxConsecutiveReboots;
        private readonly int _healthyResetMs;
        private readonly string _statePath;
        private readonly FirmwareLog _log;
        private Timer _timer;
        private long _armedAtMs;
        private long _lastFeedMs;
        private int _rebootsInARow;
        private bool _countCleared;
        private bool _rebooting;

        /// <summary>Creates a disarmed watchdog; <see cref="Arm"/> starts it.</summary>
        public SoftwareWatchdog(int stallMs, int checkPeriodMs, int maxConsecutiveReboots, int healthyResetMs, string statePath, FirmwareLog log)
        {
            _stallMs = stallMs;
            _checkPeriodMs = checkPeriodMs;
            _maxConsecutiveReboots = maxConsecutiveReboots;
            _healthyResetMs = healthyResetMs;
            _statePath = statePath;
            _log = log;
        }

        /// <summary>True when the watchdog is running (false before <see cref="Arm"/> or when it refused to arm).</summary>
        public bool IsArmed
        {
            get { return _timer != null; }
        }

        /// <summary>Starts watching, unless the previous boots already ended in too many watchdog reboots in a row.</summary>
        public void Arm(long nowMs)
        {
            _rebootsInARow = ReadCount();
            lock (_lock)
            {
                _armedAtMs = nowMs;
                _lastFeedMs = nowMs;
            }

            if (_rebootsInARow >= _maxConsecutiveReboots)
            {
                _log.Error("watchdog", "disarmed: " + _rebootsInARow + " stall reboots in a row; the tick loop hangs on this board, read the log above");
                return;
            }

            if (_rebootsInARow > 0)
            {
                _log.Warn("watchdog", "armed after " + _rebootsInARow + " stall reboot(s) in a row");
            }

            _timer = new Timer(Check, null, _checkPeriodMs, _checkPeriodMs);
        }

        /// <summary>Called by the tick loop after every tick.</summary>
        public void Feed(long nowMs)
        {
            bool clear = false;
            lock (_lock)
            {
                _lastFeedMs = nowMs;
                if (!_countCleared && _rebootsInARow > 0 && nowMs - _armedAtMs >= _healthyResetMs)
                {
                    _countCleared = true;
                    clear = true;
                }
            }

            if (clear)
            {
                // Written only here and before a reboot, so the flash sees a handful of writes at most.
                DeleteCount();
                _log.Info("watchdog", "healthy again, stall reboot count cleared");
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

        private void Check(object state)
        {
            long now = Uptime.Milliseconds;
            long silentMs;
            lock (_lock)
            {
                if (_rebooting)
                {
                    return;
                }

                silentMs = now - _lastFeedMs;
                if (silentMs < _stallMs)
                {
                    return;
                }

                _rebooting = true;
            }

            int next = _rebootsInARow + 1;
            _log.Error("watchdog", "tick loop stalled for " + silentMs + " ms, rebooting (" + next + " of " + _maxConsecutiveReboots + ")");
            WriteCount(next);

            // Give the UART a moment to drain the last line before the reset.
            Thread.Sleep(200);
            Power.RebootDevice(RebootOption.NormalReboot);
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
                _log.Warn("watchdog", "cannot store the reboot count: " + ex.Message);
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
                _log.Warn("watchdog", "cannot clear the reboot count: " + ex.Message);
            }
        }
    }
}
