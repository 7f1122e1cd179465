using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;
using Irrigation.Core.Water;

namespace Irrigation.Core.Irrigation
{
    /// <summary>
    /// The irrigation component: ends expired leases, runs the soil rule and the schedules, and carries out
    /// the server's irrigate/stop commands (each answered by one command_result). Every open and close goes
    /// through here, so every one is recorded as an event and starts the soil rule's minimum interval.
    /// An automatic run (schedule or soil) is water to give, in seconds: it opens the zone for at most
    /// <c>cycle</c> seconds at a time with at least <c>soak</c> seconds closed between cycles, waits for a free
    /// slot under max_open_zones, and does not start (nor continue) while a rain delay or freeze skip holds,
    /// which is reported as irrigation_skipped once per run. Commands are never held back by either. A leak lock
    /// holds back everything, commands included, until a person clears it. With a flow meter every zone's stop is
    /// its own irrigation_stopped carrying the run's litres, runs may be limited by volume, and the water
    /// component's alarms stop zones (reason failsafe).
    /// Reads the config from the context each time, so settings applied at run time take effect at once.
    /// </summary>
    internal sealed class IrrigationRules
    {
        /// <summary>
        /// The largest forward jump of the local clock over which schedules are caught up (a DST change, a late
        /// time zone); a bigger jump (a new time zone, a clock set after a long outage) starts afresh.
        /// </summary>
        internal const int ScheduleCatchUpSeconds = 7200;

        private const int ErrUnknownZone = 1;
        private const int ErrDurationAboveMax = 2;
        private const int ErrTooManyZones = 3;
        private const int ErrNoMeter = 4;
        private const int ErrMeterDown = 5;
        private const int ErrLeakLock = 6;
        private const int NoSkip = -1;

        private readonly ControllerContext _context;
        private readonly ZoneValves _valves;
        private readonly SensorSampler _sensors;
        private readonly WaterMeter _water;
        private readonly bool[] _hasWatered;
        private readonly long[] _lastWateredEndMs;
        // The automatic run of each zone: water still to give after the cycle that is open, why it runs, the
        // earliest start of its next cycle, and whether a cycle opened yet (a queued schedule run has not).
        private readonly int[] _runLeftSeconds;
        private readonly IrrigationReason[] _runReason;
        private readonly long[] _runNextMs;
        private readonly bool[] _runStarted;
        // The skip reason already reported for a zone's current dry spell (soil rule), or NoSkip.
        private readonly int[] _soilSkipReported;
        // Zones skipped this tick, per reason: one irrigation_skipped per reason and tick, naming them all.
        private readonly int[] _skippedMask = new int[4];
        // Local day (days since 1970-01-01 local) each schedule last fired on: a repeated hour never fires twice.
        private readonly long[] _scheduleLastDay = new long[ControllerConfig.MaxSchedules];
        private long _lastScheduleLocal;

        /// <summary>Rules for up to one zone per valve of <paramref name="valves"/>.</summary>
        public IrrigationRules(ControllerContext context, ZoneValves valves, SensorSampler sensors, WaterMeter water)
        {
            _context = context;
            _valves = valves;
            _sensors = sensors;
            _water = water;
            int n = valves.Count;
            _hasWatered = new bool[n];
            _lastWateredEndMs = new long[n];
            _runLeftSeconds = new int[n];
            _runReason = new IrrigationReason[n];
            _runNextMs = new long[n];
            _runStarted = new bool[n];
            _soilSkipReported = new int[n];
            for (int z = 0; z < n; z++)
            {
                _soilSkipReported[z] = NoSkip;
            }

            ForgetScheduleDays();
        }

        /// <summary>
        /// Boot, after every valve was closed: records irrigation_stopped reason boot for all zones, then, for each run
        /// the reboot cut short, one more with the litres it had given by the last checkpoint.
        /// </summary>
        public void Boot()
        {
            int all = ControllerFrames.AllZones(_context.Config.Zones.Length);
            _context.Record(EventKind.IrrigationStopped, all, (int)IrrigationReason.Boot, WaterMeter.NoLitres, _context.ZoneNamesGeneration, 0, null);
            for (int z = 0; z < _context.Config.Zones.Length; z++)
            {
                long litres = _water.TakeInterruptedRun(z);
                if (litres >= 0)
                {
                    RecordStop(z, IrrigationReason.Boot, litres);
                }
            }

            // A boot counts as a watering for the soil rule: a board that reboots in a loop (a brownout when
            // the valve opens, say) must not turn into a valve that is open most of the time.
            MarkWatered(_valves.AllMask);
        }

        /// <summary>
        /// Closes every valve whose lease ended or whose volume was given (reason completed). The one step that must
        /// never be skipped.
        /// </summary>
        public void EnforceLeases()
        {
            int reached = _water.TakeReached() & _valves.OpenMask;
            int expired = _valves.CloseExpired(_context.NowMs) | _valves.Close(reached);
            _valves.Drive(_context.NowMs);
            if (expired == 0)
            {
                return;
            }

            MarkWatered(expired);
            RecordStopped(expired, IrrigationReason.Completed);
            _context.Log.Info("irrigation", reached == 0 ? "lease ended" : "volume given", "zones", expired);
            for (int z = 0; z < _valves.Count; z++)
            {
                if ((expired & (1 << z)) == 0)
                {
                    continue;
                }

                if (_runLeftSeconds[z] > 0)
                {
                    // A split run: the next cycle waits for the soak.
                    _runNextMs[z] = _context.NowMs + (long)_context.Config.Zones[z].SoakSeconds * 1000;
                    _context.Log.Info("irrigation", "soak", "zone", z, "left", _runLeftSeconds[z]);
                }
                else
                {
                    EndRun(z);
                }
            }
        }

        /// <summary>Soil-run stops, schedules, pending runs and cycles, then soil-dry starts, in that order.</summary>
        public void Step()
        {
            Close(_water.TakeFailsafe() & _valves.OpenMask, IrrigationReason.Failsafe);
            StepSoilStops();
            StepSchedules();
            StepPendingRuns();
            StepSoilStarts();
            ReportSkipped();
            _valves.Drive(_context.NowMs);
        }

        /// <summary>
        /// Settings with <paramref name="zoneCount"/> zones are about to run: the zones beyond close now (reason
        /// manual: someone removed them), while their events can still name them.
        /// </summary>
        public void CloseZonesFrom(int zoneCount)
        {
            int removed = 0;
            for (int z = zoneCount; z < _valves.Count; z++)
            {
                removed |= 1 << z;
                EndRun(z);
            }

            Close(removed & _valves.OpenMask, IrrigationReason.Manual);
        }

        /// <summary>
        /// New settings are running: open leases are cut to the new max_duration (never lengthened), the open-zone
        /// limit changes, and each schedule may fire again on its next time (the list may differ).
        /// </summary>
        public void SettingsApplied()
        {
            ControllerConfig now = _context.Config;
            int zones = now.Zones.Length;
            for (int z = 0; z < zones; z++)
            {
                if (_valves.IsOpen(z) && _valves.CapLease(z, _valves.OpenedAtMs(z) + (long)now.Zones[z].MaxDurationSeconds * 1000))
                {
                    _context.Log.Info("irrigation", "lease cut to the new max_duration", "zone", z);
                }
            }

            _valves.SetMaxOpen(now.MaxOpenZones);
            ForgetScheduleDays();
        }

        /// <summary>
        /// The irrigate command: refuses an unknown zone, a duration above a zone's maximum, more zones than
        /// max_open_zones, litres without a working flow meter, and anything while a leak lock holds; otherwise answers
        /// ok, closes the longest-open other zones to make room and opens. With litres each zone stops once it was
        /// given that volume; its lease (the duration, or the zone's max_duration when none is given) still caps the
        /// time. Neither a rain delay nor freeze skip holds it back: the farmer asked.
        /// </summary>
        public void Irrigate(ServerMessage m)
        {
            ControllerConfig config = _context.Config;
            int refusal = WaterRefusal(m.Litres);
            if (refusal != 0)
            {
                CommandResult(m.CommandId, refusal, 0);
                return;
            }

            int mask = 0;
            for (int i = 0; i < m.Zones.Length; i++)
            {
                int z = config.ZoneIndex(m.Zones[i]);
                if (z < 0)
                {
                    CommandResult(m.CommandId, ErrUnknownZone, 0);
                    return;
                }

                mask |= 1 << z;
                if (m.DurationSeconds > config.Zones[z].MaxDurationSeconds)
                {
                    CommandResult(m.CommandId, ErrDurationAboveMax, config.Zones[z].MaxDurationSeconds);
                    return;
                }
            }

            if (CountBits(mask) > _valves.MaxOpen)
            {
                CommandResult(m.CommandId, ErrTooManyZones, _valves.MaxOpen);
                return;
            }

            CommandResult(m.CommandId, 0, 0);
            // A manual run takes precedence: it replaces the zones' automatic runs and makes room by closing the
            // longest-open other zones.
            int others = _valves.OpenMask & ~mask;
            int needed = 0;
            for (int z = 0; z < _valves.Count; z++)
            {
                if ((mask & (1 << z)) != 0)
                {
                    EndRun(z);
                    if (!_valves.IsOpen(z))
                    {
                        needed++;
                    }
                }
            }

            int preempt = 0;
            while (_valves.OpenCount - CountBits(preempt) + needed > _valves.MaxOpen && others != 0)
            {
                int oldest = -1;
                for (int z = 0; z < _valves.Count; z++)
                {
                    if ((others & (1 << z)) != 0 && (oldest < 0 || _valves.OpenedAtMs(z) < _valves.OpenedAtMs(oldest)))
                    {
                        oldest = z;
                    }
                }

                preempt |= 1 << oldest;
                others &= ~(1 << oldest);
            }

            Close(preempt, IrrigationReason.Manual);
            OpenZones(mask, m.DurationSeconds > 0 ? (int)m.DurationSeconds : int.MaxValue, IrrigationReason.Manual, m.Litres);
        }

        /// <summary>The clear_leak command: a person looked; the leak lock goes and the master valve may open again.</summary>
        public void ClearLeak(ServerMessage m)
        {
            CommandResult(m.CommandId, 0, 0);
            bool wasLocked = _water.ClearLeak();
            _context.Log.Info("water", wasLocked ? "leak lock cleared" : "clear_leak: there was no leak lock");
        }

        /// <summary>The stop command: the listed zones, or all when none is listed; ends their automatic runs.</summary>
        public void Stop(ServerMessage m)
        {
            int mask = 0;
            if (m.Zones.Length == 0)
            {
                mask = _valves.AllMask;
            }

            for (int i = 0; i < m.Zones.Length; i++)
            {
                int z = _context.Config.ZoneIndex(m.Zones[i]);
                if (z < 0)
                {
                    CommandResult(m.CommandId, ErrUnknownZone, 0);
                    return;
                }

                mask |= 1 << z;
            }

            CommandResult(m.CommandId, 0, 0);
            for (int z = 0; z < _valves.Count; z++)
            {
                if ((mask & (1 << z)) != 0)
                {
                    EndRun(z);
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
                case ErrNoMeter: return "litres needs a flow meter (settings pulses_per_litre)";
                case ErrMeterDown: return "the flow meter gives no pulses: water by duration";
                case ErrLeakLock: return "leak lock: fix the leak, then clear the lock (clear_leak)";
                default: return "refused";
            }
        }

        /// <summary>The contract's irrigation_skipped reason for a recorded <see cref="SkipReason"/>.</summary>
        internal static string SkipToWire(SkipReason reason)
        {
            switch (reason)
            {
                case SkipReason.RainDelay: return Reasons.RainDelay;
                case SkipReason.Freeze: return Reasons.Freeze;
                case SkipReason.LeakLock: return Reasons.LeakLock;
                default: return Reasons.MinInterval;
            }
        }

        // Soil runs (open or soaking) end when the probe is lost (failsafe) or the soil is wet.
        private void StepSoilStops()
        {
            ZoneConfig[] zones = _context.Config.Zones;
            for (int z = 0; z < zones.Length; z++)
            {
                int probe = zones[z].SoilProbe;
                bool open = _valves.IsOpen(z) && _valves.OpenReason(z) == IrrigationReason.SoilDry;
                bool soaking = !_valves.IsOpen(z) && _runLeftSeconds[z] > 0 && _runReason[z] == IrrigationReason.SoilDry;
                if (probe < 0 || (!open && !soaking))
                {
                    continue;
                }

                SensorHealth h = _sensors.Health(SensorSampler.SoilBase + probe);
                if (!h.IsConnected)
                {
                    EndRun(z);
                    Close(open ? 1 << z : 0, IrrigationReason.Failsafe);
                    _context.Log.Warn("irrigation", "soil probe lost during soil run, ended", "zone", z);
                }
                else if (h.HasValue && h.LastGood > zones[z].WetDeciPercent)
                {
                    EndRun(z);
                    Close(open ? 1 << z : 0, IrrigationReason.SoilWet);
                    if (soaking)
                    {
                        _context.Log.Info("irrigation", "soil wet while soaking, run ended", "zone", z);
                    }
                }
            }
        }

        // Fires the schedules whose local start time the clock crossed since the last tick.
        private void StepSchedules()
        {
            if (!_context.IsClockTrusted)
            {
                return;
            }

            long local = _context.NowLocalSeconds;
            long from = _lastScheduleLocal;
            _lastScheduleLocal = local;
            if (from == 0)
            {
                // The first trusted moment of this boot: nothing in the past is caught up, so a reboot
                // in the middle of a scheduled run never reopens the valve.
                return;
            }

            if (local <= from)
            {
                // The clock stood still or went back (autumn DST, a re-sync): the times between come again, and
                // the per-day marks keep a schedule that already ran today from running twice.
                return;
            }

            if (local - from > ScheduleCatchUpSeconds)
            {
                _context.Log.Info("irrigation", "local clock jumped, schedules in between not caught up", "seconds", local - from);
                return;
            }

            ScheduleConfig[] schedules = _context.Config.Schedules;
            for (int i = 0; i < schedules.Length; i++)
            {
                ScheduleConfig s = schedules[i];
                // A span of at most two hours touches at most two local days.
                for (long day = from / 86400; day <= local / 86400; day++)
                {
                    long fire = day * 86400 + (long)s.MinuteOfDay * 60;
                    if (from < fire && fire <= local && _scheduleLastDay[i] != day && s.RunsOn((int)((day + 4) % 7)))
                    {
                        _scheduleLastDay[i] = day;
                        Fire(s);
                    }
                }
            }
        }

        private void Fire(ScheduleConfig s)
        {
            int z = s.ZoneIndex;
            int seconds = (int)(((long)s.DurationSeconds * _context.Config.SeasonalPercent + 50) / 100);
            if (seconds < 1)
            {
                _context.Log.Info("irrigation", "schedule waters nothing at this seasonal_percent", "zone", z);
                return;
            }

            int blocked = Blocked();
            if (blocked != NoSkip)
            {
                Skip(z, blocked);
                return;
            }

            if (_valves.IsOpen(z) || _runStarted[z])
            {
                _context.Log.Info("irrigation", "schedule skipped, zone already watering", "zone", z);
            }
            else if (_runLeftSeconds[z] > 0)
            {
                // Two entries for one zone at the same time: the longer one counts.
                if (seconds > _runLeftSeconds[z])
                {
                    _runLeftSeconds[z] = seconds;
                }
            }
            else
            {
                BeginRun(z, seconds, IrrigationReason.Schedule);
            }
        }

        // Queued schedule runs and next cycles start when their time came, a slot is free and nothing holds them.
        private void StepPendingRuns()
        {
            int zones = _context.Config.Zones.Length;
            for (int z = 0; z < zones; z++)
            {
                if (_runLeftSeconds[z] <= 0 || _valves.IsOpen(z) || _context.NowMs < _runNextMs[z])
                {
                    continue;
                }

                int blocked = Blocked();
                if (blocked != NoSkip)
                {
                    Skip(z, blocked);
                    if (_runReason[z] == IrrigationReason.SoilDry)
                    {
                        _soilSkipReported[z] = blocked;
                    }

                    EndRun(z);
                }
                else if (_valves.OpenCount < _valves.MaxOpen)
                {
                    StartCycle(z);
                }
            }
        }

        // Soil-dry starts: hysteresis (wet > dry), a minimum interval and the lease keep this from cycling.
        private void StepSoilStarts()
        {
            ZoneConfig[] zones = _context.Config.Zones;
            for (int z = 0; z < zones.Length; z++)
            {
                ZoneConfig zone = zones[z];
                if (zone.SoilProbe < 0 || _valves.IsOpen(z) || _runLeftSeconds[z] > 0)
                {
                    continue;
                }

                SensorHealth h = _sensors.Health(SensorSampler.SoilBase + zone.SoilProbe);
                if (!h.HasValue || h.LastGood >= zone.DryDeciPercent)
                {
                    // The dry spell is over (or unknown): the next one may be reported again.
                    _soilSkipReported[z] = NoSkip;
                    continue;
                }

                int blocked = Blocked();
                if (blocked == NoSkip && _hasWatered[z] && _context.NowMs - _lastWateredEndMs[z] < (long)zone.MinIntervalSeconds * 1000)
                {
                    blocked = (int)SkipReason.MinInterval;
                }

                if (blocked != NoSkip)
                {
                    // Once per dry spell and reason: the answer to "why did it not water?" without a flood.
                    if (_soilSkipReported[z] != blocked)
                    {
                        _soilSkipReported[z] = blocked;
                        Skip(z, blocked);
                    }

                    continue;
                }

                if (_valves.OpenCount >= _valves.MaxOpen)
                {
                    continue;
                }

                _soilSkipReported[z] = NoSkip;
                BeginRun(z, zone.RunSeconds, IrrigationReason.SoilDry);
                StartCycle(z);
            }
        }

        // The leak lock, a rain delay (needs the trusted clock), then freeze skip (the last good air temperature), or NoSkip.
        private int Blocked()
        {
            ControllerConfig config = _context.Config;
            if (_water.IsLeakLocked)
            {
                return (int)SkipReason.LeakLock;
            }

            if (config.RainDelayUntil > 0 && _context.IsClockTrusted && _context.NowUnixSeconds < config.RainDelayUntil)
            {
                return (int)SkipReason.RainDelay;
            }

            if (config.FreezeSkipBelowDeciCelsius != ControllerConfig.FreezeSkipOff)
            {
                SensorHealth air = _sensors.Health(SensorSampler.Temperature);
                if (air.HasEverRead && air.LastGood < config.FreezeSkipBelowDeciCelsius)
                {
                    return (int)SkipReason.Freeze;
                }
            }

            return NoSkip;
        }

        private void BeginRun(int z, int seconds, IrrigationReason reason)
        {
            _runLeftSeconds[z] = seconds;
            _runReason[z] = reason;
            _runNextMs[z] = _context.NowMs;
            _runStarted[z] = false;
        }

        private void StartCycle(int z)
        {
            ZoneConfig zone = _context.Config.Zones[z];
            int left = _runLeftSeconds[z];
            int water = zone.CycleSeconds > 0 && zone.CycleSeconds < left ? zone.CycleSeconds : left;
            // Without cycles a run longer than max_duration is cut to one lease; the rest is not carried over.
            _runLeftSeconds[z] = left - water;
            _runStarted[z] = true;
            if (OpenZones(1 << z, water, _runReason[z], 0) == 0)
            {
                EndRun(z);
            }
        }

        private void EndRun(int z)
        {
            _runLeftSeconds[z] = 0;
            _runStarted[z] = false;
        }

        private void Skip(int z, int reason)
        {
            _skippedMask[reason] |= 1 << z;
            _context.Log.Info("irrigation", "skipped: " + SkipToWire((SkipReason)reason), "zone", z);
        }

        private void ReportSkipped()
        {
            for (int reason = 0; reason < _skippedMask.Length; reason++)
            {
                if (_skippedMask[reason] != 0)
                {
                    _context.Record(EventKind.IrrigationSkipped, _skippedMask[reason], reason, 0, _context.ZoneNamesGeneration, 0, null);
                    _skippedMask[reason] = 0;
                }
            }
        }

        private void ForgetScheduleDays()
        {
            for (int i = 0; i < _scheduleLastDay.Length; i++)
            {
                _scheduleLastDay[i] = -1;
            }
        }

        // Opens the zones in mask, each lease capped at its zone's max_duration, each run limited to litres (tenths,
        // 0 = no limit); returns the mask that opened.
        private int OpenZones(int mask, int durationSeconds, IrrigationReason reason, long litres)
        {
            ZoneConfig[] zones = _context.Config.Zones;
            int opened = 0;
            int lease = durationSeconds;
            for (int z = 0; z < zones.Length; z++)
            {
                if ((mask & (1 << z)) == 0)
                {
                    continue;
                }

                int max = zones[z].MaxDurationSeconds;
                // The zone maximum caps every lease, whoever asked.
                int zoneLease = durationSeconds < max ? durationSeconds : max;
                if (_valves.Open(z, _context.NowMs, zoneLease, reason))
                {
                    opened |= 1 << z;
                    lease = zoneLease < lease ? zoneLease : lease;
                    _water.RunStarted(z, litres);
                }
            }

            if (opened != 0)
            {
                _context.Record(EventKind.IrrigationStarted, opened, (int)reason, lease, _context.ZoneNamesGeneration, 0, null);
                _context.Log.Info("irrigation", ZoneValves.ReasonToWire(reason) + " start", "zones", opened, "duration", lease);
            }

            return opened;
        }

        // Closes before the lease ends (stop, a manual run taking the slot, wet soil, failsafe): that ends the
        // zones' automatic runs too, cycles still to come included.
        private void Close(int mask, IrrigationReason reason)
        {
            int closed = mask == 0 ? 0 : _valves.Close(mask);
            if (closed == 0)
            {
                return;
            }

            for (int z = 0; z < _valves.Count; z++)
            {
                if ((closed & (1 << z)) != 0)
                {
                    EndRun(z);
                }
            }

            MarkWatered(closed);
            RecordStopped(closed, reason);
            _context.Log.Info("irrigation", ZoneValves.ReasonToWire(reason) + " stop", "zones", closed);
        }

        // irrigation_stopped for the zones in mask: one event for all of them without a flow meter, one per zone with
        // the run's litres with one (each volume is journaled until the server has it).
        private void RecordStopped(int mask, IrrigationReason reason)
        {
            if (!_water.IsMetering)
            {
                for (int z = 0; z < _valves.Count; z++)
                {
                    if ((mask & (1 << z)) != 0)
                    {
                        _water.EndRun(z);
                    }
                }

                _context.Record(EventKind.IrrigationStopped, mask, (int)reason, WaterMeter.NoLitres, _context.ZoneNamesGeneration, 0, null);
                return;
            }

            for (int z = 0; z < _valves.Count; z++)
            {
                if ((mask & (1 << z)) != 0)
                {
                    RecordStop(z, reason, _water.EndRun(z));
                }
            }
        }

        private void RecordStop(int zone, IrrigationReason reason, long litres)
        {
            _context.Record(EventKind.IrrigationStopped, 1 << zone, (int)reason, litres > int.MaxValue ? int.MaxValue : (int)litres, _context.ZoneNamesGeneration, 0, null);
            _water.Journal(zone, _context.Seq, reason, litres);
        }

        // Why a command may not water now (an error code), or 0.
        private int WaterRefusal(long litres)
        {
            if (_water.IsLeakLocked)
            {
                return ErrLeakLock;
            }

            if (litres > 0 && !_water.IsMetering)
            {
                return ErrNoMeter;
            }

            return litres > 0 && !_water.IsMeterConnected ? ErrMeterDown : 0;
        }

        private void MarkWatered(int mask)
        {
            for (int z = 0; z < _valves.Count; z++)
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
