using Irrigation.Core.Config;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Link;
using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;

namespace Irrigation.Core.Water
{
    /// <summary>
    /// The water component: reads the flow meter once a tick, gives every pulse to the zones that were open while it
    /// came (split by their baselines when several are), measures the line's rate, and on that:
    /// the volume of each zone run (litres in tenths, for <c>irrigation_stopped</c>, exact over many runs: the
    /// fraction of a tenth is carried to the zone's next run), volume targets (<c>irrigate</c> with <c>litres</c>),
    /// a learned baseline per zone, the four alarms, the meter's health, <c>flow</c> events and the leak lock.
    /// Everything runs on the device: the link plays no part. What must survive a reboot lives in the
    /// <see cref="WaterLedger"/>. The alarms (docs/protocol.md, "Water"), each fired once per episode:
    /// <list type="bullet">
    /// <item>high: the open zones flow above <c>flow_high</c> % of their baselines for <c>flow_high_delay</c> (after
    /// <c>flow_settle</c>): a broken pipe; they are stopped (reason <c>failsafe</c>).</item>
    /// <item>low: below <c>flow_low</c> % for <c>flow_low_delay</c>: clogged heads or low pressure; reported only.</item>
    /// <item>none: not one pulse for <c>flow_none_delay</c> after <c>flow_settle</c>: a valve or the supply failed; the
    /// zones are stopped. When the meter has never pulsed, or the run before also had none, the meter is the likelier
    /// culprit: it is reported once as <c>sensor_disconnected</c> <c>flow</c> instead, and runs go by time until it
    /// pulses again (<c>sensor_reconnected</c>).</item>
    /// <item>leak: with every zone closed (after <c>flow_settle</c>), flow of at least <c>leak_rate</c> for
    /// <c>leak_delay</c>: the master valve closes and stays closed, and nothing waters, until a person sends
    /// <c>clear_leak</c>; the lock survives reboots.</item>
    /// </list>
    /// </summary>
    internal sealed class WaterMeter
    {
        /// <summary>Sensor index of the flow meter in sensor events (the sampler's sensors are 0 and up).</summary>
        internal const int FlowSensor = -2;
        /// <summary>Litres of a stop event whose volume is unknown (no meter, or it is disconnected).</summary>
        internal const int NoLitres = -1;
        /// <summary>Runs a baseline averages over (each new run weighs 1/5 once five were counted).</summary>
        internal const int BaselineRuns = 5;
        /// <summary>Runs learned before the high and low alarms compare against the baseline.</summary>
        internal const int MinBaselineRuns = 3;
        /// <summary>Least flow between <c>flow</c> events, and the window the rate is measured over, in ms.</summary>
        internal const long FlowEventMs = 10000;
        /// <summary>How often the open runs' volume so far is saved, in ms: a power cut loses at most this much of a run.</summary>
        internal const long CheckpointMs = 30000;
        // Steady flow a run needs (after flow_settle, alone on the line) to teach its zone's baseline.
        private const long MinLearnMs = 30000;
        // The rate is measured from one sample a second over the last FlowEventMs.
        private const long SampleMs = 1000;
        private const int Samples = (int)(FlowEventMs / SampleMs) + 2;

        private readonly ControllerContext _context;
        private readonly ZoneValves _valves;
        private readonly IPulseCounter _counter;
        private readonly WaterLedger _ledger;

        private long _lastCount;
        private bool _haveCount;
        private long _totalPulses;
        private long _lastMeasureMs;
        private readonly long[] _sampleMs = new long[Samples];
        private readonly long[] _samplePulses = new long[Samples];
        private int _sampleHead;
        private int _sampleCount;

        // Per zone: the open run.
        private readonly bool[] _running;
        private readonly long[] _runPulses;
        private readonly long[] _targetPulses;
        private readonly long[] _learnPulses;
        private readonly long[] _learnMs;
        private readonly bool[] _runAlarmed;
        private readonly bool[] _runBlind;

        // The set of open zones: alarms and flow events are about the line, which they share.
        private int _openMask;
        private long _setSinceMs;
        private long _settledAtMs;
        private long _setPulses;
        private long _highSinceMs = -1;
        private long _lowSinceMs = -1;
        private int _firedMask;
        private long _nextFlowEventMs;
        private int _failsafeMask;
        private int _reachedMask;

        private bool _pulsesSeen;
        private bool _meterDown;
        private int _zeroRuns;
        private long _quietUntilMs;
        private long _leakSinceMs = -1;
        private long _nextCheckpointMs;

        /// <summary>The water component over <paramref name="counter"/> (null: the board has no meter).</summary>
        public WaterMeter(ControllerContext context, ZoneValves valves, IPulseCounter counter, WaterLedger ledger)
        {
            _context = context;
            _valves = valves;
            _counter = counter;
            _ledger = ledger;
            int n = valves.Count;
            _running = new bool[n];
            _runPulses = new long[n];
            _targetPulses = new long[n];
            _learnPulses = new long[n];
            _learnMs = new long[n];
            _runAlarmed = new bool[n];
            _runBlind = new bool[n];
        }

        /// <summary>True when the board has a meter and the settings calibrate it: volumes, alarms and volume runs work.</summary>
        public bool IsMetering
        {
            get { return _counter != null && _context.Config.HasFlowMeter; }
        }

        /// <summary>False once the meter was found silent (reported as a disconnected sensor) until it pulses again.</summary>
        public bool IsMeterConnected
        {
            get { return !_meterDown; }
        }

        /// <summary>True while a leak lock holds (nothing waters, the master valve stays closed).</summary>
        public bool IsLeakLocked
        {
            get { return _ledger.LeakLocked; }
        }

        /// <summary>
        /// Uptime in ms at which the controller would like its next tick (a volume target about to be reached), or
        /// <c>long.MaxValue</c>. A tick loop that honours it stops volume runs within about one pulse.
        /// </summary>
        public long WakeAtMs { get; private set; }

        /// <summary>The line's flow over the last 10 s, tenths of L/min (0 without a meter or data).</summary>
        public int Rate
        {
            get
            {
                long rate = RateSince(_context.NowMs - FlowEventMs);
                return rate < 0 ? 0 : ReadingSpecs.Flow.Clamp(rate);
            }
        }

        /// <summary>Pulses given to zone <paramref name="zone"/>'s open run so far.</summary>
        public long RunPulses(int zone)
        {
            return _runPulses[zone];
        }

        /// <summary>Pulses of zone <paramref name="zone"/>'s open run already saved (what a power cut now would not lose).</summary>
        public long SavedRunPulses(int zone)
        {
            return _running[zone] ? _ledger.Tail(zone) : 0;
        }

        /// <summary>The zone's learned flow, tenths of L/min, or -1 while fewer than <see cref="MinBaselineRuns"/> runs taught it.</summary>
        public int Baseline(int zone)
        {
            return _ledger.BaselineRuns(zone) >= MinBaselineRuns ? _ledger.Baseline(zone) : -1;
        }

        /// <summary>The contract's <c>flow_alert</c> kind (<see cref="FlowAlertKinds"/>).</summary>
        public static string AlarmToWire(FlowAlarm alarm)
        {
            switch (alarm)
            {
                case FlowAlarm.High: return FlowAlertKinds.High;
                case FlowAlarm.Low: return FlowAlertKinds.Low;
                case FlowAlarm.None: return FlowAlertKinds.None;
                default: return FlowAlertKinds.Leak;
            }
        }

        /// <summary>Boot, after every valve was closed: a leak lock taken before the reboot holds again.</summary>
        public void Start()
        {
            WakeAtMs = long.MaxValue;
            _lastMeasureMs = _context.NowMs;
            _nextCheckpointMs = _context.NowMs + CheckpointMs;
            // The line drains after the valves closed at boot: that is not a leak.
            _quietUntilMs = _context.NowMs + (long)_context.Config.FlowSettleSeconds * 1000;
            if (_ledger.LeakLocked)
            {
                _valves.LockMaster(true);
                _context.Log.Warn("water", "leak lock still on from before the reboot: nothing waters until clear_leak");
            }
        }

        /// <summary>
        /// The volume of the run a reboot cut short on zone <paramref name="zone"/> (saved at the last checkpoint), in
        /// tenths of a litre, or <see cref="NoLitres"/> when there was none. Taken once: the caller records it.
        /// </summary>
        public long TakeInterruptedRun(int zone)
        {
            long tail = _ledger.Tail(zone);
            if (tail <= 0 || !IsMetering)
            {
                _ledger.SetTail(zone, 0);
                return NoLitres;
            }

            long litres = Settle(zone, tail, 0, 0);
            _context.Log.Info("water", "run cut short by the reboot", "zone", zone, "litres", litres);
            return litres;
        }

        /// <summary>
        /// Reads the meter and gives the pulses since the last tick to the zones open meanwhile. Runs first in the
        /// tick, before the leases end, so a zone closing now still gets its last pulses.
        /// </summary>
        public void Measure()
        {
            long now = _context.NowMs;
            long elapsed = now - _lastMeasureMs;
            _lastMeasureMs = now;
            if (!IsMetering)
            {
                return;
            }

            long delta = ReadDelta();
            int open = _valves.OpenMask;
            for (int z = 0; z < _running.Length; z++)
            {
                // A zone open without a run (the meter was configured while it watered) is metered from now on.
                if ((open & (1 << z)) != 0 && !_running[z])
                {
                    RunStarted(z, 0);
                }
            }

            if (delta > 0)
            {
                Pulses(delta, now, elapsed);
            }

            _totalPulses += delta;
            if (_sampleCount == 0 || now - _sampleMs[_sampleHead] >= SampleMs)
            {
                _sampleHead = (_sampleHead + 1) % Samples;
                _sampleMs[_sampleHead] = now;
                _samplePulses[_sampleHead] = _totalPulses;
                _sampleCount = _sampleCount < Samples ? _sampleCount + 1 : Samples;
            }

            WakeAtMs = NextWake(now);
        }

        /// <summary>A zone opened (or was leased again): its run starts, with a volume target in tenths of a litre (0 = none).</summary>
        public void RunStarted(int zone, long litres)
        {
            if (!_running[zone])
            {
                _running[zone] = true;
                _runPulses[zone] = 0;
                _learnPulses[zone] = 0;
                _learnMs[zone] = 0;
                _runAlarmed[zone] = false;
                _runBlind[zone] = _meterDown;
                SetChanged();
            }

            _targetPulses[zone] = litres > 0 && IsMetering ? _runPulses[zone] + PulsesFor(litres) : 0;
            _reachedMask &= ~(1 << zone);
        }

        /// <summary>
        /// A zone closed: its run ends. Returns the run's volume in tenths of a litre, or <see cref="NoLitres"/> when
        /// it is unknown (no meter, or the meter was disconnected during the run). Updates the zone's baseline.
        /// </summary>
        public long EndRun(int zone)
        {
            if (!_running[zone])
            {
                return IsMetering ? 0 : NoLitres;
            }

            _running[zone] = false;
            _reachedMask &= ~(1 << zone);
            SetChanged();
            if (!IsMetering)
            {
                return NoLitres;
            }

            int baseline = 0;
            int runs = 0;
            if (!_runAlarmed[zone] && !_runBlind[zone] && _learnMs[zone] >= MinLearnMs)
            {
                long rate = RateOf(_learnPulses[zone], _learnMs[zone]);
                runs = _ledger.BaselineRuns(zone) < BaselineRuns ? _ledger.BaselineRuns(zone) + 1 : BaselineRuns;
                baseline = (int)(_ledger.Baseline(zone) + (rate - _ledger.Baseline(zone)) / runs);
                baseline = baseline < 1 ? 1 : baseline;
            }

            long litres = Settle(zone, _runPulses[zone], baseline, runs);
            _runPulses[zone] = 0;
            return _runBlind[zone] || _meterDown ? NoLitres : litres;
        }

        /// <summary>Zones whose volume target was reached (taken: each is reported once).</summary>
        public int TakeReached()
        {
            int reached = _reachedMask;
            _reachedMask = 0;
            return reached;
        }

        /// <summary>Zones a high-flow or no-flow alarm wants stopped (taken: each is reported once).</summary>
        public int TakeFailsafe()
        {
            int stop = _failsafeMask;
            _failsafeMask = 0;
            return stop;
        }

        /// <summary>
        /// Keeps a water event the rules just recorded (seq <paramref name="seq"/>) in the ledger until the server
        /// acknowledges it, and saves the ledger: from now on neither a lost link nor a reboot loses the volume.
        /// </summary>
        public void Journal(int zone, int seq, IrrigationReason reason, long litres)
        {
            if (litres >= 0 && seq > 0)
            {
                long uptime = _context.NowMs / 1000;
                long time = _context.IsClockTrusted ? _context.UnixOffset + uptime : -uptime - 1;
                _ledger.AddPending(_context.Config.BootId, seq, time, _context.ZoneNames[zone], (int)reason, litres > int.MaxValue ? int.MaxValue : (int)litres);
            }

            // Saved even without a volume: the run's checkpoint is gone, and must not come back as a cut-short run.
            _ledger.SaveIfChanged();
        }

        /// <summary>The server acknowledged this boot's events through <paramref name="seq"/>.</summary>
        public void Acked(long seq)
        {
            _ledger.Stored(_context.Config.BootId, seq);
        }

        /// <summary>This boot's clock is known now: volumes recorded before it get their time.</summary>
        public void ClockSet()
        {
            _ledger.StampClock(_context.Config.BootId, _context.UnixOffset);
        }

        /// <summary>A person cleared the leak lock: the master valve may open again and watering resumes.</summary>
        public bool ClearLeak()
        {
            bool wasLocked = _ledger.LeakLocked;
            _ledger.SetLeakLocked(false);
            _valves.LockMaster(false);
            _leakSinceMs = -1;
            _quietUntilMs = _context.NowMs + (long)_context.Config.FlowSettleSeconds * 1000;
            return wasLocked;
        }

        /// <summary>New settings run: the ledger's per-zone state follows the zones by name.</summary>
        public void SettingsApplied()
        {
            _ledger.UseZones(_context.ZoneNames);
        }

        /// <summary>Alarms, the meter's health, flow events, the leak detector and checkpoints; once a tick after <see cref="Measure"/>.</summary>
        public void Step()
        {
            if (!IsMetering)
            {
                return;
            }

            long now = _context.NowMs;
            ControllerConfig config = _context.Config;
            if (_openMask != 0)
            {
                if (!_meterDown && now >= _settledAtMs)
                {
                    CheckOpenZones(now, config);
                }

                if (!_meterDown && now >= _nextFlowEventMs)
                {
                    _nextFlowEventMs = now + FlowEventMs;
                    long rate = RateSince(now - FlowEventMs > _setSinceMs ? now - FlowEventMs : _setSinceMs);
                    RecordFlow(rate < 0 ? 0 : rate, SingleZone(_openMask));
                }
            }
            else if (now >= _quietUntilMs)
            {
                CheckIdleLine(now, config);
            }

            if (now >= _nextCheckpointMs)
            {
                _nextCheckpointMs = now + CheckpointMs;
                for (int z = 0; z < _running.Length; z++)
                {
                    if (_running[z])
                    {
                        _ledger.SetTail(z, _runPulses[z]);
                    }
                }

                _ledger.SaveIfChanged();
            }
        }

        private void CheckOpenZones(long now, ControllerConfig config)
        {
            if ((_firedMask & (1 << (int)FlowAlarm.None)) == 0 && _setPulses == 0 && now - _settledAtMs >= (long)config.FlowNoneDelaySeconds * 1000)
            {
                _firedMask |= 1 << (int)FlowAlarm.None;
                NoFlow();
                return;
            }

            long from = now - FlowEventMs > _settledAtMs ? now - FlowEventMs : _settledAtMs;
            long rate = RateSince(from);
            long expected = Expected(_openMask);
            if (rate < 0 || expected <= 0)
            {
                return;
            }

            bool high = config.FlowHighPercent > 0 && rate * 100 > expected * config.FlowHighPercent;
            _highSinceMs = !high ? -1 : _highSinceMs < 0 ? now : _highSinceMs;
            if (high && (_firedMask & (1 << (int)FlowAlarm.High)) == 0 && now - _highSinceMs >= (long)config.FlowHighDelaySeconds * 1000)
            {
                _firedMask |= 1 << (int)FlowAlarm.High;
                Alarm(FlowAlarm.High, _openMask, expected, rate);
                _failsafeMask |= _openMask;
                _context.Log.Warn("water", "flow far above the usual: broken pipe or missing head? zones stopped", "expected", expected, "measured", rate);
            }

            bool low = config.FlowLowPercent > 0 && rate > 0 && rate * 100 < expected * config.FlowLowPercent;
            _lowSinceMs = !low ? -1 : _lowSinceMs < 0 ? now : _lowSinceMs;
            if (low && (_firedMask & (1 << (int)FlowAlarm.Low)) == 0 && now - _lowSinceMs >= (long)config.FlowLowDelaySeconds * 1000)
            {
                _firedMask |= 1 << (int)FlowAlarm.Low;
                Alarm(FlowAlarm.Low, _openMask, expected, rate);
                _context.Log.Warn("water", "flow far below the usual: clogged heads or low pressure?", "expected", expected, "measured", rate);
            }
        }

        // Not one pulse since the open zones settled: a failed valve or supply, or a meter that does not count.
        private void NoFlow()
        {
            if ((!_pulsesSeen && !AnyBaseline()) || _zeroRuns > 0)
            {
                // A meter that never pulsed, or a second silent run in a row on any zone: most likely the meter (or
                // the whole supply). Said once; the zones go on by time rather than being stopped run after run.
                _meterDown = true;
                for (int z = 0; z < _running.Length; z++)
                {
                    _runBlind[z] = _runBlind[z] || _running[z];
                }

                _context.Record(EventKind.SensorDisconnected, FlowSensor, 0, 0, 0, 0, null);
                _context.Log.Warn("water", "flow meter gives no pulses (unplugged? or no water at all): volumes unknown, runs go by time");
                return;
            }

            _zeroRuns++;
            Alarm(FlowAlarm.None, _openMask, Expected(_openMask), 0);
            _failsafeMask |= _openMask;
            _context.Log.Warn("water", "no flow with the zone open: valve or supply fault? zones stopped", "zones", _openMask);
        }

        // Every zone closed: flow here is a leak (or a valve that does not close).
        private void CheckIdleLine(long now, ControllerConfig config)
        {
            long rate = RateSince(now - FlowEventMs > _quietUntilMs ? now - FlowEventMs : _quietUntilMs);
            if (rate > 0 && now >= _nextFlowEventMs)
            {
                _nextFlowEventMs = now + FlowEventMs;
                RecordFlow(rate, -1);
            }

            if (_ledger.LeakLocked || _meterDown)
            {
                return;
            }

            bool leaking = rate >= config.LeakRateDeciLitresPerMinute;
            _leakSinceMs = !leaking ? -1 : _leakSinceMs < 0 ? now : _leakSinceMs;
            if (leaking && now - _leakSinceMs >= (long)config.LeakDelaySeconds * 1000)
            {
                Alarm(FlowAlarm.Leak, 0, 0, rate);
                _ledger.SetLeakLocked(true);
                _valves.LockMaster(true);
                _context.Log.Error("water", "flow with every valve closed: leak. Master valve closed and locked until clear_leak", "measured", rate);
            }
        }

        private void Pulses(long delta, long now, long elapsed)
        {
            _pulsesSeen = true;
            if (_meterDown)
            {
                _meterDown = false;
                _zeroRuns = 0;
                _context.Record(EventKind.SensorReconnected, FlowSensor, 0, 0, 0, 0, null);
                _context.Log.Info("water", "flow meter pulses again");
            }

            int open = _openMask;
            if (open == 0)
            {
                return;
            }

            _zeroRuns = 0;
            if (now - elapsed >= _settledAtMs)
            {
                _setPulses += delta;
            }

            // Several zones share the line: each gets a share by its baseline (equal shares until all have one),
            // the rounding remainder to the first, so no pulse is lost or counted twice.
            long weights = 0;
            int first = -1;
            for (int z = 0; z < _running.Length; z++)
            {
                if ((open & (1 << z)) != 0)
                {
                    weights += Weight(z, open);
                    first = first < 0 ? z : first;
                }
            }

            long given = 0;
            for (int z = 0; z < _running.Length; z++)
            {
                if ((open & (1 << z)) == 0)
                {
                    continue;
                }

                long share = delta * Weight(z, open) / weights;
                _runPulses[z] += share;
                given += share;
                if (open == 1 << z && now - elapsed >= _settledAtMs)
                {
                    // Alone on the line and settled: this is the zone's own flow, worth learning.
                    _learnPulses[z] += delta;
                    _learnMs[z] += elapsed;
                }
            }

            _runPulses[first] += delta - given;
            for (int z = 0; z < _running.Length; z++)
            {
                if ((open & (1 << z)) != 0 && _targetPulses[z] > 0 && _runPulses[z] >= _targetPulses[z])
                {
                    _reachedMask |= 1 << z;
                }
            }
        }

        private long Weight(int zone, int open)
        {
            for (int z = 0; z < _running.Length; z++)
            {
                if ((open & (1 << z)) != 0 && _ledger.Baseline(z) <= 0)
                {
                    return 1;
                }
            }

            return _ledger.Baseline(zone);
        }

        // The open set changed: the line has to settle again and the alarms start over.
        private void SetChanged()
        {
            long now = _context.NowMs;
            int open = 0;
            for (int z = 0; z < _running.Length; z++)
            {
                open |= _running[z] ? 1 << z : 0;
            }

            for (int z = 0; z < _running.Length; z++)
            {
                // An alarm fired on the set marks each zone in it, so no zone learns from an abnormal run.
                _runAlarmed[z] = _runAlarmed[z] || ((_openMask & (1 << z)) != 0 && _firedMask != 0);
            }

            _openMask = open;
            _setSinceMs = now;
            // A zone's valve may wait for the master's lead: the line settles after that.
            long settle = (long)_context.Config.FlowSettleSeconds * 1000;
            long lead = _valves.HasMaster ? (long)_context.Config.MasterLeadSeconds * 1000 : 0;
            _settledAtMs = now + lead + settle;
            _quietUntilMs = now + settle;
            _setPulses = 0;
            _highSinceMs = -1;
            _lowSinceMs = -1;
            _leakSinceMs = -1;
            _firedMask = 0;
            _nextFlowEventMs = now + FlowEventMs;
        }

        // The run's pulses become tenths of a litre; the fraction below a tenth is carried to the zone's next run.
        private long Settle(int zone, long pulses, int baseline, int runs)
        {
            long ppl = _context.Config.PulsesPerLitre;
            long units = _ledger.Fraction(zone) % ppl + pulses * 10;
            _ledger.RunEnded(zone, units % ppl, baseline, runs);
            return units / ppl;
        }

        private long ReadDelta()
        {
            long count;
            try
            {
                count = _counter.ReadPulses();
            }
            catch
            {
                count = -1;
            }

            if (count < 0)
            {
                return 0;
            }

            if (!_haveCount || count < _lastCount)
            {
                // The first read, or a counter that restarted: nothing to count this time.
                if (_haveCount)
                {
                    _context.Log.Warn("water", "flow counter restarted", "count", count);
                }

                _haveCount = true;
                _lastCount = count;
                return 0;
            }

            long delta = count - _lastCount;
            _lastCount = count;
            return delta;
        }

        // The line's rate since uptime fromMs (back to the oldest sample kept), tenths of L/min; -1 under a second of data.
        private long RateSince(long fromMs)
        {
            if (!IsMetering || _sampleCount == 0)
            {
                return -1;
            }

            int oldest = OldestSample(fromMs);
            long ms = _context.NowMs - _sampleMs[oldest];
            return ms < SampleMs ? -1 : RateOf(_totalPulses - _samplePulses[oldest], ms);
        }

        // The oldest one-second sample taken at or after fromMs (the newest when none is that old).
        private int OldestSample(long fromMs)
        {
            int oldest = _sampleHead;
            for (int k = 1; k < _sampleCount; k++)
            {
                int i = (_sampleHead - k + Samples) % Samples;
                if (_sampleMs[i] < fromMs)
                {
                    break;
                }

                oldest = i;
            }

            return oldest;
        }

        private long RateOf(long pulses, long ms)
        {
            return ms <= 0 ? 0 : pulses * 600000 / ((long)_context.Config.PulsesPerLitre * ms);
        }

        private long PulsesFor(long litres)
        {
            return (litres * _context.Config.PulsesPerLitre + 9) / 10;
        }

        // When a volume target will be reached at the present rate: the moment to tick, to stop within a pulse.
        private long NextWake(long now)
        {
            int single = SingleZone(_openMask);
            if (single < 0 || _targetPulses[single] <= 0 || _sampleCount == 0)
            {
                return long.MaxValue;
            }

            // The rate since the zone opened (at most the last 10 s): the flow this run actually has.
            int oldest = OldestSample(now - FlowEventMs > _setSinceMs ? now - FlowEventMs : _setSinceMs);
            long ms = now - _sampleMs[oldest];
            long pulses = _totalPulses - _samplePulses[oldest];
            long left = _targetPulses[single] - _runPulses[single];
            if (ms <= 0 || pulses <= 0 || left <= 0)
            {
                return long.MaxValue;
            }

            long wake = now + (left * ms + pulses - 1) / pulses;
            return wake > now ? wake : now + 1;
        }

        // The flow the open zones should give: the sum of their baselines, or 0 when one of them has none yet.
        private long Expected(int open)
        {
            long sum = 0;
            for (int z = 0; z < _running.Length; z++)
            {
                if ((open & (1 << z)) == 0)
                {
                    continue;
                }

                int baseline = Baseline(z);
                if (baseline <= 0)
                {
                    return 0;
                }

                sum += baseline;
            }

            return sum;
        }

        private bool AnyBaseline()
        {
            for (int z = 0; z < _running.Length; z++)
            {
                if (_ledger.BaselineRuns(z) > 0)
                {
                    return true;
                }
            }

            return false;
        }

        private void Alarm(FlowAlarm alarm, int open, long expected, long measured)
        {
            _context.Record(EventKind.FlowAlert, (int)alarm, SingleZone(open), ReadingSpecs.Flow.Clamp(expected), _context.ZoneNamesGeneration, ReadingSpecs.Flow.Clamp(measured), null);
        }

        private void RecordFlow(long rate, int zone)
        {
            _context.Record(EventKind.Flow, ReadingSpecs.Flow.Clamp(rate), zone, 0, _context.ZoneNamesGeneration, 0, null);
        }

        private static int SingleZone(int mask)
        {
            if (mask == 0 || (mask & (mask - 1)) != 0)
            {
                return -1;
            }

            int z = 0;
            while ((mask & (1 << z)) == 0)
            {
                z++;
            }

            return z;
        }
    }
}
