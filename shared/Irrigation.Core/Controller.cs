using System;
using Irrigation.Core.Config;
using Irrigation.Core.Device;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Link;
using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;

namespace Irrigation.Core
{
    /// <summary>
    /// The firmware's logic, hardware-free: sensors, irrigation rules, valve leases, the server link and the
    /// offline buffer. The device (and the simulator) build one per boot, call <see cref="Start"/> once and
    /// then <see cref="Tick"/> every 100–500 ms from one thread; nothing here blocks. Every tick closes
    /// expired leases first, before anything that could fail, so a valve never outlives its lease by more
    /// than one tick whatever happens to the link, the server or the commands.
    /// </summary>
    public sealed class Controller
    {
        /// <summary>Sensor index of the DHT temperature in sensor events.</summary>
        public const int SensorTemperature = 0;
        /// <summary>Sensor index of the DHT humidity.</summary>
        public const int SensorHumidity = 1;
        /// <summary>Sensor index of soil probe 0; probe n is this plus n.</summary>
        public const int SensorSoilBase = 2;

        /// <summary>Frames handled per tick at most, so a burst cannot stall the tick.</summary>
        public const int MaxFramesPerTick = 8;
        /// <summary>Warnings/errors mirrored as log events in a burst; then one per <see cref="LogRefillMs"/>.</summary>
        public const int LogBurst = 5;
        /// <summary>Time to earn one more mirrored log event, in ms.</summary>
        public const long LogRefillMs = 60000;
        /// <summary>Schedules fire only within this many seconds after their time (no late catch-up after a boot).</summary>
        public const int ScheduleWindowSeconds = 120;
        /// <summary>Longest command id echoed; longer ids are ignored.</summary>
        public const int MaxCommandIdChars = 64;
        /// <summary>Text slots of the offline buffer (logs and command ids).</summary>
        public const int TextSlots = 24;

        private const int ErrUnknownZone = 1;
        private const int ErrDurationAboveMax = 2;
        private const int ErrTooManyZones = 3;

        private readonly ControllerConfig _config;
        private readonly IClimateSensor _climate;
        private readonly ISoilProbe[] _probes;
        private readonly ILinkTransport _transport;
        private readonly IDeviceInfo _deviceInfo;
        private readonly Logger _log;
        private readonly ZoneValves _valves;
        private readonly LinkSupervisor _link;
        private readonly EventBuffer _buffer;
        private readonly JsonWriter _writer = new JsonWriter(1536);
        private readonly ServerMessageParser _parser = new ServerMessageParser();
        private readonly ServerMessage _message = new ServerMessage();
        private readonly string[] _zoneNames;
        private readonly string[] _helloSensors;
        private readonly string[] _sensorNames;
        private readonly SensorHealth[] _health;
        private readonly int[] _soilRaw;
        private readonly int[] _probeZone;
        private readonly SoilSampler _sampler;
        private readonly bool[] _hasWatered;
        private readonly long[] _lastWateredEndMs;
        private readonly int[] _pendingScheduleSeconds;
        private readonly long[] _scheduleLastDay;

        private bool _started;
        private long _nowMs;
        private int _seq;
        private bool _clockTrusted;
        private long _unixOffset;
        private long _lastScheduleCheckUnix;
        private long _nextDhtMs;
        private long _nextSoilMs;
        private long _nextStatusMs;
        private int _logTokens = LogBurst;
        private long _logRefillAtMs;
        private long _ackedSeq;
        private long _suppressedLogs;

        /// <summary>
        /// Builds a controller. Throws <see cref="ArgumentException"/> for a config that does not validate or
        /// hardware that does not match it (misconfiguration fails fast, at boot). Touches no hardware.
        /// </summary>
        public Controller(ControllerConfig config, IClimateSensor climate, ISoilProbe[] soilProbes, IValve[] valves, ILinkTransport link, ILogSink log, IDeviceInfo deviceInfo, int randomSeed)
        {
            if (config == null || climate == null || soilProbes == null || valves == null || link == null || log == null || deviceInfo == null)
            {
                throw new ArgumentNullException("config");
            }

            string[] errors = config.Validate();
            if (errors.Length > 0)
            {
                throw new ArgumentException("invalid config: " + errors[0]);
            }

            if (valves.Length != config.Zones.Length)
            {
                throw new ArgumentException("one valve per zone is needed");
            }

            if (soilProbes.Length != config.SoilProbes.Length)
            {
                throw new ArgumentException("one soil probe per soil calibration is needed");
            }

            _config = config;
            _climate = climate;
            _probes = soilProbes;
            _transport = link;
            _deviceInfo = deviceInfo;
            _log = new Logger(log);
            _log.Mirror = new Mirror(this);
            _valves = new ZoneValves(valves, config.MaxOpenZones);
            _link = new LinkSupervisor(link, config.ServerUrl, new Backoff(1000, (long)config.BackoffCapSeconds * 1000, randomSeed), (long)config.WatchdogSeconds * 1000, (long)config.StableConnectionSeconds * 1000, _log);
            _buffer = new EventBuffer(config.BufferCapacity, TextSlots);
            _zoneNames = config.ZoneNames();
            _sampler = new SoilSampler(config.SoilSamples);

            int probes = soilProbes.Length;
            _helloSensors = probes > 0
                ? new string[] { EventNames.Temperature, EventNames.Humidity, EventNames.SoilMoisture }
                : new string[] { EventNames.Temperature, EventNames.Humidity };
            _sensorNames = new string[SensorSoilBase + probes];
            _health = new SensorHealth[SensorSoilBase + probes];
            _sensorNames[SensorTemperature] = EventNames.Temperature;
            _sensorNames[SensorHumidity] = EventNames.Humidity;
            for (int i = 0; i < _health.Length; i++)
            {
                _health[i] = new SensorHealth();
                if (i >= SensorSoilBase)
                {
                    int n = i - SensorSoilBase;
                    _sensorNames[i] = n == 0 ? EventNames.SoilMoisture : EventNames.SoilMoisture + "_" + (n + 1).ToString();
                }
            }

            _soilRaw = new int[probes];
            _probeZone = new int[probes];
            for (int p = 0; p < probes; p++)
            {
                _probeZone[p] = -1;
                for (int z = config.Zones.Length - 1; z >= 0; z--)
                {
                    if (config.Zones[z].SoilProbe == p)
                    {
                        _probeZone[p] = z;
                    }
                }
            }

            int zones = config.Zones.Length;
            _hasWatered = new bool[zones];
            _lastWateredEndMs = new long[zones];
            _pendingScheduleSeconds = new int[zones];
            _scheduleLastDay = new long[config.Schedules.Length];
            for (int i = 0; i < _scheduleLastDay.Length; i++)
            {
                _scheduleLastDay[i] = -1;
            }
        }

        /// <summary>The serial logger (adapters may log through it so every line has one format).</summary>
        public Logger Log
        {
            get { return _log; }
        }

        /// <summary>The config this controller runs.</summary>
        public ControllerConfig Config
        {
            get { return _config; }
        }

        /// <summary>True once <see cref="Start"/> ran.</summary>
        public bool IsStarted
        {
            get { return _started; }
        }

        /// <summary>Zones open right now.</summary>
        public int OpenZoneCount
        {
            get { return _valves.OpenCount; }
        }

        /// <summary>Events waiting in the offline buffer for an ack.</summary>
        public int BufferedCount
        {
            get { return _buffer.Count; }
        }

        /// <summary>The offline buffer's capacity, in events.</summary>
        public int BufferCapacity
        {
            get { return _buffer.Capacity; }
        }

        /// <summary>Events sent and not yet acknowledged on the current connection.</summary>
        public int InFlightCount
        {
            get { return _buffer.SentCount; }
        }

        /// <summary>Events dropped because the buffer was full (status.dropped).</summary>
        public long DroppedCount
        {
            get { return _buffer.DroppedCount; }
        }

        /// <summary>Warnings/errors not mirrored as log events because of the rate limit.</summary>
        public long SuppressedLogCount
        {
            get { return _suppressedLogs; }
        }

        /// <summary>The seq of the last event recorded this boot (0 before any).</summary>
        public int LastSeq
        {
            get { return _seq; }
        }

        /// <summary>The highest seq the server acknowledged this boot.</summary>
        public long AckedSeq
        {
            get { return _ackedSeq; }
        }

        /// <summary>True once a welcome set the clock.</summary>
        public bool IsClockTrusted
        {
            get { return _clockTrusted; }
        }

        /// <summary>Unix seconds now (UTC) by the trusted clock, or 0 while untrusted.</summary>
        public long NowUnixSeconds
        {
            get { return _clockTrusted ? _unixOffset + _nowMs / 1000 : 0; }
        }

        /// <summary>The link's phase.</summary>
        public LinkPhase LinkPhase
        {
            get { return _link.Phase; }
        }

        /// <summary>Connection attempts this boot.</summary>
        public int ConnectAttempts
        {
            get { return _link.Attempts; }
        }

        /// <summary>The last reconnect delay chosen, in ms.</summary>
        public long LastBackoffDelayMs
        {
            get { return _link.LastDelayMs; }
        }

        /// <summary>True when zone <paramref name="zone"/> is open.</summary>
        public bool IsZoneOpen(int zone)
        {
            return _valves.IsOpen(zone);
        }

        /// <summary>Uptime in ms at which an open zone's lease ends, or -1 when closed.</summary>
        public long ZoneLeaseEndMs(int zone)
        {
            return _valves.IsOpen(zone) ? _valves.LeaseEndMs(zone) : -1;
        }

        /// <summary>Zone names in valve order.</summary>
        public string ZoneName(int zone)
        {
            return _zoneNames[zone];
        }

        /// <summary>Debounced health of sensor <paramref name="sensor"/> (see the Sensor* constants).</summary>
        public bool IsSensorConnected(int sensor)
        {
            return _health[sensor].IsConnected;
        }

        /// <summary>The last good value of a sensor (tenths), or int.MinValue when there is none usable.</summary>
        public int SensorValue(int sensor)
        {
            return _health[sensor].HasValue ? _health[sensor].LastGood : int.MinValue;
        }

        /// <summary>
        /// Boot: closes every valve FIRST (the pins floated until now and a reboot must never resume an open
        /// valve), then records irrigation_stopped reason boot for all zones and starts the link.
        /// </summary>
        public void Start(long uptimeMs)
        {
            _valves.CloseAll();
            if (_started)
            {
                return;
            }

            _started = true;
            _nowMs = uptimeMs;
            _log.SetUptime(uptimeMs);
            _log.Info("core", "boot", "zones", _zoneNames.Length, "probes", _probes.Length);
            Record(EventKind.IrrigationStopped, _valves.AllMask, (int)IrrigationReason.Boot, 0, 0, 0, null);
            // A boot counts as a watering for the soil rule: a board that reboots in a loop (a brownout when
            // the valve opens, say) must not turn into a valve that is open most of the time.
            MarkWatered(_valves.AllMask);
            // The DHT22 needs about 2 s after power-up before its first read.
            _nextDhtMs = uptimeMs + 2000;
            _nextSoilMs = uptimeMs + 1000;
            _nextStatusMs = uptimeMs + (long)_config.StatusIntervalSeconds * 1000;
            _logRefillAtMs = uptimeMs + LogRefillMs;
        }

        /// <summary>One step of everything; call every 100–500 ms with the uptime in ms. Never blocks, never throws.</summary>
        public void Tick(long uptimeMs)
        {
            if (!_started)
            {
                Start(uptimeMs);
            }

            _nowMs = uptimeMs;
            _log.SetUptime(uptimeMs);

            // Safety first and outside every try: nothing below can keep a lease from ending.
            EnforceLeases();

            try
            {
                StepLink();
            }
            catch (Exception e)
            {
                _log.Error("core", "link step failed: " + e.Message);
            }

            try
            {
                StepSensors();
                StepRules();
            }
            catch (Exception e)
            {
                _log.Error("core", "sensor/rule step failed: " + e.Message);
            }

            try
            {
                StepStatus();
                StepSend();
            }
            catch (Exception e)
            {
                _log.Error("core", "send step failed: " + e.Message);
            }
        }

        // ---------------------------------------------------------------- irrigation

        private void EnforceLeases()
        {
            int expired = _valves.CloseExpired(_nowMs);
            if (expired == 0)
            {
                return;
            }

            MarkWatered(expired);
            Record(EventKind.IrrigationStopped, expired, (int)IrrigationReason.Completed, 0, 0, 0, null);
            _log.Info("irrigation", "lease ended", "zones", expired);
        }

        private void StepRules()
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

                SensorHealth h = _health[SensorSoilBase + probe];
                if (!h.IsConnected)
                {
                    Close(1 << z, IrrigationReason.Failsafe);
                    _log.Warn("irrigation", "soil probe lost during soil run, closed", "zone", z);
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

                SensorHealth h = _health[SensorSoilBase + zone.SoilProbe];
                if (!h.HasValue || h.LastGood >= zone.DryDeciPercent)
                {
                    continue;
                }

                if (_hasWatered[z] && _nowMs - _lastWateredEndMs[z] < (long)zone.MinIntervalSeconds * 1000)
                {
                    continue;
                }

                int run = zone.RunSeconds < zone.MaxDurationSeconds ? zone.RunSeconds : zone.MaxDurationSeconds;
                OpenZones(1 << z, run, IrrigationReason.SoilDry);
            }
        }

        private void StepSchedules()
        {
            if (!_clockTrusted || _config.Schedules.Length == 0)
            {
                return;
            }

            long now = NowUnixSeconds;
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
                long fire = day * 86400 + (long)s.MinuteOfDayUtc * 60;
                if (_lastScheduleCheckUnix < fire && fire <= now && now - fire < ScheduleWindowSeconds && _scheduleLastDay[i] != day)
                {
                    _scheduleLastDay[i] = day;
                    if (_valves.IsOpen(s.ZoneIndex))
                    {
                        _log.Info("irrigation", "schedule skipped, zone already open", "zone", s.ZoneIndex);
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
            for (int z = 0; z < _zoneNames.Length; z++)
            {
                if ((mask & (1 << z)) == 0)
                {
                    continue;
                }

                int max = _config.Zones[z].MaxDurationSeconds;
                // The zone maximum caps every lease, whoever asked.
                if (_valves.Open(z, _nowMs, durationSeconds < max ? durationSeconds : max, reason))
                {
                    opened |= 1 << z;
                }
            }

            if (opened != 0)
            {
                Record(EventKind.IrrigationStarted, opened, (int)reason, durationSeconds, 0, 0, null);
                _log.Info("irrigation", ZoneValves.ReasonToWire(reason) + " start", "zones", opened, "duration", durationSeconds);
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
            Record(EventKind.IrrigationStopped, closed, (int)reason, 0, 0, 0, null);
            _log.Info("irrigation", ZoneValves.ReasonToWire(reason) + " stop", "zones", closed);
        }

        private void MarkWatered(int mask)
        {
            for (int z = 0; z < _zoneNames.Length; z++)
            {
                if ((mask & (1 << z)) != 0)
                {
                    // Any watering starts the soil rule's minimum interval, so the soil can soak in first.
                    _hasWatered[z] = true;
                    _lastWateredEndMs[z] = _nowMs;
                }
            }
        }

        private void HandleIrrigate(ServerMessage m)
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
            for (int z = 0; z < _zoneNames.Length; z++)
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
            for (int z = 0; z < _zoneNames.Length; z++)
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
                for (int z = 0; z < _zoneNames.Length; z++)
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

        private void HandleStop(ServerMessage m)
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
            for (int z = 0; z < _zoneNames.Length; z++)
            {
                if ((mask & (1 << z)) != 0)
                {
                    _pendingScheduleSeconds[z] = 0;
                }
            }

            Close(mask, IrrigationReason.Manual);
        }

        private void CommandResult(string id, int error, int argument)
        {
            Record(EventKind.CommandResult, error == 0 ? 1 : 0, error, argument, 0, 0, id);
            if (error != 0)
            {
                _log.Info("command", "refused: " + CommandError(error, argument));
            }
        }

        private static string CommandError(int error, int argument)
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

        // ---------------------------------------------------------------- sensors

        private void StepSensors()
        {
            if (_nowMs >= _nextDhtMs)
            {
                long interval = (long)_config.DhtIntervalSeconds * 1000;
                // The DHT22 needs 2 s between reads, whatever the config says.
                _nextDhtMs = _nowMs + (interval < 2000 ? 2000 : interval);
                ReadClimate();
            }

            if (_nowMs >= _nextSoilMs)
            {
                _nextSoilMs = _nowMs + (long)_config.SoilIntervalSeconds * 1000;
                for (int p = 0; p < _probes.Length; p++)
                {
                    ReadSoil(p);
                }
            }
        }

        private void ReadClimate()
        {
            ClimateSample sample = _climate.Read();
            int check = ClimateCheck.Check(sample);
            bool temperatureOk = check == ClimateCheck.Ok || check == ClimateCheck.HumidityOutOfRange;
            bool humidityOk = check == ClimateCheck.Ok;
            if (temperatureOk)
            {
                Report(SensorTemperature, _health[SensorTemperature].Good(sample.TemperatureDeciCelsius));
                Record(EventKind.Temperature, sample.TemperatureDeciCelsius, 0, 0, 0, 0, null);
            }
            else
            {
                Report(SensorTemperature, _health[SensorTemperature].Miss());
            }

            if (humidityOk)
            {
                Report(SensorHumidity, _health[SensorHumidity].Good(sample.HumidityDeciPercent));
                Record(EventKind.Humidity, sample.HumidityDeciPercent, 0, 0, 0, 0, null);
            }
            else
            {
                Report(SensorHumidity, _health[SensorHumidity].Miss());
            }

            if (check != ClimateCheck.Ok)
            {
                int misses = _health[SensorHumidity].Misses;
                // Warn on the first misses; once disconnected the event says it all and the log stays quiet.
                if (misses <= SensorHealth.DefaultMissesToDisconnect)
                {
                    _log.Warn("sensor", "dht " + ClimateCheck.Describe(check), "misses", misses);
                }
            }
        }

        private void ReadSoil(int p)
        {
            int raw = _sampler.Sample(_probes[p]);
            SensorHealth h = _health[SensorSoilBase + p];
            if (raw >= 0)
            {
                int value = _config.SoilProbes[p].ToDeciPercent(raw);
                _soilRaw[p] = raw;
                Report(SensorSoilBase + p, h.Good(value));
                Record(EventKind.SoilMoisture, value, raw, _probeZone[p], 0, 0, null);
                return;
            }

            Report(SensorSoilBase + p, h.Miss());
            if (h.Misses <= SensorHealth.DefaultMissesToDisconnect)
            {
                _log.Warn("soil", raw == SoilSampler.Disconnected ? "probe at scale end (unplugged?)" : "probe read failed", "probe", p, "misses", h.Misses);
            }
        }

        private void Report(int sensor, SensorHealthChange change)
        {
            if (change == SensorHealthChange.Disconnected)
            {
                Record(EventKind.SensorDisconnected, sensor, 0, 0, 0, 0, null);
                _log.Write(LogLevel.Warning, "sensor", "disconnected", "sensor", _sensorNames[sensor]);
            }
            else if (change == SensorHealthChange.Reconnected)
            {
                Record(EventKind.SensorReconnected, sensor, 0, 0, 0, 0, null);
                _log.Write(LogLevel.Info, "sensor", "reconnected", "sensor", _sensorNames[sensor]);
            }
        }

        // ---------------------------------------------------------------- link

        private void StepLink()
        {
            LinkTransition t = _link.Tick(_nowMs);
            if (t == LinkTransition.Opened)
            {
                _buffer.ResetSent();
                string hello = ControllerFrames.Hello(_writer, _config.DeviceId, _config.Token, _config.FirmwareVersion, _config.BootId, _zoneNames, _helloSensors);
                if (hello == null || !_transport.Send(hello))
                {
                    _link.Fail(_nowMs, "hello not sent");
                    return;
                }
            }
            else if (t == LinkTransition.Closed)
            {
                _buffer.ResetSent();
            }

            for (int i = 0; i < MaxFramesPerTick; i++)
            {
                if (_link.Phase != LinkPhase.Handshake && _link.Phase != LinkPhase.Ready)
                {
                    return;
                }

                string frame = _transport.Receive();
                if (frame == null)
                {
                    return;
                }

                _link.OnFrameReceived(_nowMs);
                HandleFrame(frame);
            }
        }

        private void HandleFrame(string frame)
        {
            ServerMessage m = _message;
            if (!_parser.Parse(frame, m))
            {
                _log.Write(LogLevel.Warning, "link", "bad frame from server: " + m.RejectReason, "code", m.RejectCode);
                return;
            }

            switch (m.Event)
            {
                case EventNames.Welcome:
                    OnWelcome(m);
                    break;
                case EventNames.Ack:
                    if (m.AckSeq > _ackedSeq)
                    {
                        _ackedSeq = m.AckSeq;
                    }

                    _buffer.AckThrough(m.AckSeq);
                    break;
                case EventNames.Irrigate:
                case EventNames.Stop:
                    if (m.CommandId.Length > MaxCommandIdChars)
                    {
                        _log.Warn("command", "id too long, ignored", "length", m.CommandId.Length);
                        return;
                    }

                    if (m.Event == EventNames.Irrigate)
                    {
                        HandleIrrigate(m);
                    }
                    else
                    {
                        HandleStop(m);
                    }

                    break;
                case EventNames.Error:
                    // The server acks a rejected frame too (never resent); this is only worth a line.
                    _log.Write(LogLevel.Warning, "link", "server rejected a frame: " + (m.ErrorMessage == null ? string.Empty : m.ErrorMessage), "code", m.ErrorCode);
                    break;
            }
        }

        private void OnWelcome(ServerMessage m)
        {
            // Unix time = welcome.time + uptime elapsed since; also re-syncs on every reconnect.
            _unixOffset = m.TimeUnixSeconds - _nowMs / 1000;
            if (!_clockTrusted)
            {
                _clockTrusted = true;
                _log.Info("link", "clock set", "time", m.TimeUnixSeconds);
            }

            if (_link.Phase != LinkPhase.Handshake)
            {
                return;
            }

            if (m.ResumeSeq > _seq)
            {
                // The server stored more of this boot than we ever sent: a reused boot id. Continue above it
                // so new events are not taken for duplicates.
                _log.Warn("link", "resume above our last seq", "resume", m.ResumeSeq, "seq", _seq);
                _seq = m.ResumeSeq > int.MaxValue - 1 ? int.MaxValue - 1 : (int)m.ResumeSeq;
            }

            if (m.ResumeSeq > _ackedSeq)
            {
                _ackedSeq = m.ResumeSeq;
            }

            _buffer.AckThrough(m.ResumeSeq);
            _buffer.ResetSent();
            _link.OnWelcome(_nowMs);
        }

        private void StepStatus()
        {
            if (_nowMs < _nextStatusMs)
            {
                return;
            }

            _nextStatusMs = _nowMs + (long)_config.StatusIntervalSeconds * 1000;
            long dropped = _buffer.DroppedCount;
            Record(EventKind.Status, _deviceInfo.FreeHeapBytes, _deviceInfo.Rssi, _valves.OpenMask, _buffer.Count, dropped > int.MaxValue ? int.MaxValue : (int)dropped, null);
        }

        private void StepSend()
        {
            if (_link.Phase != LinkPhase.Ready)
            {
                return;
            }

            // The window bounds frames in flight, so a long replay after a reconnect trickles out as acks
            // come back instead of flooding the socket's unbounded send queue.
            while (_buffer.SentCount < _config.SendWindow && _buffer.SentCount < _buffer.Count)
            {
                string frame = Encode(_buffer.SentCount);
                if (frame == null)
                {
                    _log.Error("link", "event too large to encode, skipped", "seq", _buffer.SeqAt(_buffer.SentCount));
                    _buffer.MarkSent();
                    continue;
                }

                if (!_transport.Send(frame))
                {
                    _link.Fail(_nowMs, "send failed");
                    _buffer.ResetSent();
                    return;
                }

                _buffer.MarkSent();
            }
        }

        private string Encode(int i)
        {
            EventBuffer b = _buffer;
            long seq = b.SeqAt(i);
            long time = _unixOffset + b.UptimeSecondsAt(i);
            int a = b.ValueAt(i, 0);
            switch (b.KindAt(i))
            {
                case EventKind.Temperature:
                    return ControllerFrames.Temperature(_writer, seq, time, a);
                case EventKind.Humidity:
                    return ControllerFrames.Humidity(_writer, seq, time, a);
                case EventKind.SoilMoisture:
                    int zone = b.ValueAt(i, 2);
                    return ControllerFrames.SoilMoisture(_writer, seq, time, a, b.ValueAt(i, 1), zone >= 0 ? _zoneNames[zone] : null);
                case EventKind.IrrigationStarted:
                    return ControllerFrames.IrrigationStarted(_writer, seq, time, _zoneNames, a, ZoneValves.ReasonToWire((IrrigationReason)b.ValueAt(i, 1)), b.ValueAt(i, 2));
                case EventKind.IrrigationStopped:
                    return ControllerFrames.IrrigationStopped(_writer, seq, time, _zoneNames, a, ZoneValves.ReasonToWire((IrrigationReason)b.ValueAt(i, 1)));
                case EventKind.SensorDisconnected:
                    return ControllerFrames.SensorDisconnected(_writer, seq, time, _sensorNames[a]);
                case EventKind.SensorReconnected:
                    return ControllerFrames.SensorReconnected(_writer, seq, time, _sensorNames[a]);
                case EventKind.Status:
                    return ControllerFrames.Status(_writer, seq, time, b.UptimeSecondsAt(i), a, b.ValueAt(i, 1), _zoneNames, b.ValueAt(i, 2), b.ValueAt(i, 3), b.ValueAt(i, 4));
                case EventKind.CommandResult:
                    return ControllerFrames.CommandResult(_writer, seq, time, b.TextAt(i), a == 1, CommandError(b.ValueAt(i, 1), b.ValueAt(i, 2)));
                default:
                    return ControllerFrames.Log(_writer, seq, time, LevelName((LogLevel)a), b.TextAt(i));
            }
        }

        private static string LevelName(LogLevel level)
        {
            switch (level)
            {
                case LogLevel.Debug: return "D";
                case LogLevel.Info: return "I";
                case LogLevel.Warning: return "W";
                default: return "E";
            }
        }

        private void Record(EventKind kind, int a, int b, int c, int d, int e, string text)
        {
            if (_seq == int.MaxValue)
            {
                return;
            }

            _seq++;
            _buffer.Add(kind, _seq, (int)(_nowMs / 1000), a, b, c, d, e, text);
        }

        private void OnMirrored(LogLevel level, string message)
        {
            // A token bucket: a burst of LogBurst, then one per LogRefillMs, so a failing sensor cannot fill
            // the buffer with its own complaints.
            while (_logTokens < LogBurst && _nowMs >= _logRefillAtMs)
            {
                _logTokens++;
                _logRefillAtMs += LogRefillMs;
            }

            if (_logTokens >= LogBurst)
            {
                _logRefillAtMs = _nowMs + LogRefillMs;
            }

            if (_logTokens == 0)
            {
                _suppressedLogs++;
                return;
            }

            _logTokens--;
            Record(EventKind.Log, (int)level, 0, 0, 0, 0, message);
        }

        // Keeps OnMirroredLine off the Controller's public surface.
        private sealed class Mirror : ILogMirror
        {
            private readonly Controller _owner;

            public Mirror(Controller owner)
            {
                _owner = owner;
            }

            public void OnMirroredLine(LogLevel level, string message)
            {
                _owner.OnMirrored(level, message);
            }
        }
    }
}
