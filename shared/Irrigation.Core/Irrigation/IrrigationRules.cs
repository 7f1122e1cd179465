using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;

namespace Irrigation.Core.Irrigation
{
    /// <summary>
    /// The irrigation component: ends expired leases, runs the soil rule and the schedules, and carries out
    /// the server's irrigate/stop commands (each answered by one command_result). Every open and close goes
    /// through here, so every one is recorded as an event and starts the soil rule's minimum interval.
    /// </summary>
    internal sealed class IrrigationRules
    {
        /// <summary>Schedules fire only within this many seconds after their time (no late catch-up after a boot).</summary>
        internal const int ScheduleWindowSeconds = 120;

        private const int ErrUnknownZone = 1;
        private const int ErrDurationAboveMax = 2;
        private const int ErrTooManyZones = 3;

        private readonly ControllerContext _context;
        private readonly ControllerConfig _config;
        private readonly ZoneValves _valves;
        private readonly SensorSampler _sensors;
        private readonly int _zoneCount;
        private readonly bool[] _hasWatered;
        private readonly long[] _lastWateredEndMs;
        private readonly int[] _pendingScheduleSeconds;
        private readonly long[] _scheduleLastDay;
        private long _lastScheduleCheckUnix;

        /// <summary>Rules for the zones of <paramref name="config"/>, one valve each in <paramref name="valves"/>.</summary>
        public IrrigationRules(ControllerContext context, ControllerConfig config, ZoneValves valves, SensorSampler sensors)
        {
            _context = context;
            _config = config;
            _valves = valves;
            _sensors = sensors;
            _zoneCount = config.Zones.Length;
            _hasWatered = new bool[_zoneCount];
            _lastWateredEndMs = new long[_zoneCount];
            _pendingScheduleSeconds = new int[_zoneCount];
            _scheduleLastDay = new long[config.Schedules.Length];
            for (int i = 0; i < _scheduleLastDay.Length; i++)
            {
                _scheduleLastDay[i] = -1;
            }
        }

        /// <summary>Boot, after every valve was closed: records irrigation_stopped reason boot for all zones.</summary>
        public void Boot()
        {
            _context.Record(EventKind.IrrigationStopped, _valves.AllMask, (int)IrrigationReason.Boot, 0, 0, 0, null);
            // A boot counts as a watering for the soil rule: a board that reboots in a loop (a brownout when
            // the valve opens, say) must not turn into a valve that is open most of the time.
            MarkWatered(_valves.AllMask);
        }

        /// <summary>Closes every valve whose lease ended (reason completed). The one step that must never be skipped.</summary>
        public void EnforceLeases()
        {
            int expired = _valves.CloseExpired(_context.NowMs);
            if (expired == 0)
            {
                return;
            }

            MarkWatered(expired);
            _context.Record(EventKind.IrrigationStopped, expired, (int)IrrigationReason.Completed, 0, 0, 0, null);
            _context.Log.Info("irrigation", "lease ended", "zones", expired);
        }

        /// <summary>Soil-run stops, schedules, queued schedule runs, then soil-dry starts, in that order.</summary>
        public void Step()
        {
            ZoneConfig[] zones = _config.Zones;
            // Failsafe and soil-wet stops for soil-triggered runs.
            for (int z = 0; z < zones.Length; z++)
            {
                int probe = zones[z].SoilProbe;
                if (!_valves.IsOpen(z) || probe < 0 || _valves.OpenReason(z) != IrrigationReason.SoilDry)
                {
                    continue;
                }

                SensorHealth h = _sensors.Health(SensorSampler.SoilBase + probe);
                if (!h.IsConnected)
                {
                    Close(1 << z, IrrigationReason.Failsafe);
                    _context.Log.Warn("irrigation", "soil probe lost during soil run, closed", "zone", z);
                }
                else if (h.HasValue && h.LastGood > zones[z].WetDeciPercent)
                {
                    Close(1 << z, IrrigationReason.SoilWet);
                }
            }

            StepSchedules();

            // Queued schedule runs start as soon as the open-zone limit allows.
            for (int z = 0; z < zones.Length; z++)
            {
                if (_pendingScheduleSeconds[z] > 0 && !_valves.IsOpen(z) && _valves.OpenCount < _valves.MaxOpen)
                {
                    int duration = _pendingScheduleSeconds[z];
                    _pendingScheduleSeconds[z] = 0;
                    OpenZones(1 << z, duration, IrrigationReason.Schedule);
                }
            }

            // Soil-dry starts: hysteresis (wet > dry), a minimum interval and the lease keep this from cycling.
            for (int z = 0; z < zones.Length; z++)
            {
                ZoneConfig zone = zones[z];
                if (zone.SoilProbe < 0 || _valves.IsOpen(z) || _valves.OpenCount >= _valves.MaxOpen || _pendingScheduleSeconds[z] > 0)
                {
                    continue;
                }

                SensorHealth h = _sensors.Health(SensorSampler.SoilBase + zone.SoilProbe);
                if (!h.HasValue || h.LastGood >= zone.DryDeciPercent)
                {
                    continue;
                }

                if (_hasWatered[z] && _context.NowMs - _lastWateredEndMs[z] < (long)zone.MinIntervalSeconds * 1000)
                {
                    continue;
                }

                int run = zone.RunSeconds < zone.MaxDurationSeconds ? zone.RunSeconds : zone.MaxDurationSeconds;
                OpenZones(1 << z, run, IrrigationReason.SoilDry);
            }
        }

        /// <summary>
        /// The irrigate command: refuses an unknown zone, a duration above a zone's maximum or more zones than
        /// max_open_zones; otherwise answers ok, closes the longest-open other zones to make room and opens.
        /// </summary>
        public void Irrigate(ServerMessage m)
        {
            int mask = 0;
            for (int i = 0; i < m.Zones.Length; i++)
            {
                int z = _config.ZoneIndex(m.Zones[i]);
                if (z < 0)
                {
                    CommandResult(m.CommandId, ErrUnknownZone, 0);
                    return;
                }

                mask |= 1 << z;
                if (m.DurationSeconds > _config.Zones[z].MaxDurationSeconds)
                {
                    CommandResult(m.CommandId, ErrDurationAboveMax, _config.Zones[z].MaxDurationSeconds);
                    return;
                }
            }

            int count = 0;
            for (int z = 0; z < _zoneCount; z++)
            {
                if ((mask & (1 << z)) != 0)
                {
                    count++;
                }
            }

            if (count > _valves.MaxOpen)
            {
                CommandResult(m.CommandId, ErrTooManyZones, _valves.MaxOpen);
                return;
            }

            CommandResult(m.CommandId, 0, 0);
            // A manual run takes precedence: make room by closing the longest-open other zones.
            int others = _valves.OpenMask & ~mask;
            int needed = 0;
            for (int z = 0; z < _zoneCount; z++)
            {
                if ((mask & (1 << z)) != 0 && !_valves.IsOpen(z))
                {
                    needed++;
                }

                if ((mask & (1 << z)) != 0)
                {
                    _pendingScheduleSeconds[z] = 0;
                }
            }

            int preempt = 0;
            while (_valves.OpenCount - CountBits(preempt) + needed > _valves.MaxOpen && others != 0)
            {
                int oldest = -1;
                for (int z = 0; z < _zoneCount; z++)
                {
                    if ((others & (1 << z)) != 0 && (oldest < 0 || _valves.OpenedAtMs(z) < _valves.OpenedAtMs(oldest)))
                    {
                        oldest = z;
                    }
                }

                preempt |= 1 << oldest;
                others &= ~(1 << oldest);
            }

            if (preempt != 0)
            {
                Close(preempt, IrrigationReason.Manual);
            }

            OpenZones(mask, (int)m.DurationSeconds, IrrigationReason.Manual);
        }

        /// <summary>The stop command: the listed zones, or all when none is listed; drops their queued schedule runs.</summary>
        public void Stop(ServerMessage m)
        {
            int mask = 0;
            if (m.Zones.Length == 0)
            {
                mask = _valves.AllMask;
            }

            for (int i = 0; i < m.Zones.Length; i++)
            {
                int z = _config.ZoneIndex(m.Zones[i]);
                if (z < 0)
                {
                    CommandResult(m.CommandId, ErrUnknownZone, 0);
                    return;
                }

                mask |= 1 << z;
            }

            CommandResult(m.CommandId, 0, 0);
            for (int z = 0; z < _zoneCount; z++)
            {
                if ((mask & (1 << z)) != 0)
                {
                    _pendingScheduleSeconds[z] = 0;
                }
            }

            Close(mask, IrrigationReason.Manual);
        }

        /// <summary>The command_result error text for a recorded error code and its argument; null for none.</summary>
        internal static string CommandError(int error, int argument)
        {
            switch (error)
            {
                case 0: return null;
                case ErrUnknownZone: return "unknown zone";
                case ErrDurationAboveMax: return "duration above the zone maximum (" + argument.ToString() + " s)";
                case ErrTooManyZones: return "more zones than max_open_zones (" + argument.ToString() + ")";
                default: return "refused";
            }
        }

        private void StepSchedules()
        {
            if (!_context.IsClockTrusted || _config.Schedules.Length == 0)
            {
                return;
            }

            long now = _context.NowUnixSeconds;
            if (_lastScheduleCheckUnix == 0)
            {
                // The first trusted moment of this boot: nothing in the past is caught up, so a reboot
                // in the middle of a scheduled run never reopens the valve.
                _lastScheduleCheckUnix = now;
                return;
            }

            long day = now / 86400;
            for (int i = 0; i < _config.Schedules.Length; i++)
            {
                ScheduleConfig s = _config.Schedules[i];
                long fire = day * 86400 + (long)s.MinuteOfDay * 60;
                if (_lastScheduleCheckUnix < fire && fire <= now && now - fire < ScheduleWindowSeconds && _scheduleLastDay[i] != day)
                {
                    _scheduleLastDay[i] = day;
                    if (_valves.IsOpen(s.ZoneIndex))
                    {
                        _context.Log.Info("irrigation", "schedule skipped, zone already open", "zone", s.ZoneIndex);
                    }
                    else if (s.DurationSeconds > _pendingScheduleSeconds[s.ZoneIndex])
                    {
                        _pendingScheduleSeconds[s.ZoneIndex] = s.DurationSeconds;
                    }
                }
            }

            _lastScheduleCheckUnix = now;
        }

        private void OpenZones(int mask, int durationSeconds, IrrigationReason reason)
        {
            int opened = 0;
            for (int z = 0; z < _zoneCount; z++)
            {
                if ((mask & (1 << z)) == 0)
                {
                    continue;
                }

                int max = _config.Zones[z].MaxDurationSeconds;
                // The zone maximum caps every lease, whoever asked.
                if (_valves.Open(z, _context.NowMs, durationSeconds < max ? durationSeconds : max, reason))
                {
                    opened |= 1 << z;
                }
            }

            if (opened != 0)
            {
                _context.Record(EventKind.IrrigationStarted, opened, (int)reason, durationSeconds, 0, 0, null);
                _context.Log.Info("irrigation", ZoneValves.ReasonToWire(reason) + " start", "zones", opened, "duration", durationSeconds);
            }
        }

        private void Close(int mask, IrrigationReason reason)
        {
            int closed = _valves.Close(mask);
            if (closed == 0)
            {
                return;
            }

            MarkWatered(closed);
            _context.Record(EventKind.IrrigationStopped, closed, (int)reason, 0, 0, 0, null);
            _context.Log.Info("irrigation", ZoneValves.ReasonToWire(reason) + " stop", "zones", closed);
        }

        private void MarkWatered(int mask)
        {
            for (int z = 0; z < _zoneCount; z++)
            {
                if ((mask & (1 << z)) != 0)
                {
                    // Any watering starts the soil rule's minimum interval, so the soil can soak in first.
                    _hasWatered[z] = true;
                    _lastWateredEndMs[z] = _context.NowMs;
                }
            }
        }

        private void CommandResult(string id, int error, int argument)
        {
            _context.Record(EventKind.CommandResult, error == 0 ? 1 : 0, error, argument, 0, 0, id);
            if (error != 0)
            {
                _context.Log.Info("command", "refused: " + CommandError(error, argument));
            }
        }

        private static int CountBits(int mask)
        {
            int n = 0;
            while (mask != 0)
            {
                mask &= mask - 1;
                n++;
            }

            return n;
        }
    }
}
