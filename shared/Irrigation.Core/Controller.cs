using System;
using Irrigation.Core.Config;
using Irrigation.Core.Device;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Link;
using Irrigation.Core.Logging;
using Irrigation.Core.Protocol;
using Irrigation.Core.Sensors;
using Irrigation.Core.Settings;
using Irrigation.Core.Water;

namespace Irrigation.Core
{
    /// <summary>
    /// The firmware's logic, hardware-free: sensors, irrigation rules, valve leases, the server link and the
    /// offline buffer. The device (and the simulator) build one per boot, call <see cref="Start"/> once and
    /// then <see cref="Tick"/> every 100–500 ms from one thread; nothing here blocks. Every tick closes
    /// expired leases first, before anything that could fail, so a valve never outlives its lease by more
    /// than one tick whatever happens to the link, the server or the commands.
    /// The work is done by components that share one config, clock, logger and event recorder: the sensor
    /// sampler, the irrigation rules, the settings component and the uplink; this class builds them, runs them in
    /// a fixed order each tick, hands them new settings and exposes their state read-only. The water component
    /// (flow meter, master valve, volumes, flow alarms, leak lock) joins them when the board has a meter.
    /// </summary>
    public sealed class Controller
    {
        /// <summary>Sensor index of the DHT temperature in sensor events.</summary>
        public const int SensorTemperature = SensorSampler.Temperature;
        /// <summary>Sensor index of the DHT humidity.</summary>
        public const int SensorHumidity = SensorSampler.Humidity;
        /// <summary>Sensor index of soil probe 0; probe n is this plus n.</summary>
        public const int SensorSoilBase = SensorSampler.SoilBase;

        /// <summary>Frames handled per tick at most, so a burst cannot stall the tick.</summary>
        public const int MaxFramesPerTick = Uplink.MaxFramesPerTick;
        /// <summary>Warnings/errors mirrored as log events in a burst; then one per <see cref="LogRefillMs"/>.</summary>
        public const int LogBurst = LogEventMirror.Burst;
        /// <summary>Time to earn one more mirrored log event, in ms.</summary>
        public const long LogRefillMs = LogEventMirror.RefillMs;
        /// <summary>The largest local clock jump over which schedules are caught up (DST); see docs/config.md.</summary>
        public const int ScheduleCatchUpSeconds = IrrigationRules.ScheduleCatchUpSeconds;
        /// <summary>Longest command id echoed; longer ids are ignored.</summary>
        public const int MaxCommandIdChars = Uplink.MaxCommandIdChars;
        /// <summary>Text slots of the offline buffer (logs and command ids).</summary>
        public const int TextSlots = 24;
        /// <summary>Messages a settings_rejected keeps at most (the last may count the rest).</summary>
        public const int MaxRejectionMessages = SettingsApplier.MaxKeptErrors;
        /// <summary>Characters of each kept rejection message at most.</summary>
        public const int MaxRejectionMessageChars = SettingsApplier.MaxKeptErrorChars;
        /// <summary>How often the open runs' volume so far is saved to flash, in ms: a power cut loses at most this much of a run.</summary>
        public const long WaterCheckpointMs = WaterMeter.CheckpointMs;
        /// <summary>Capacity of the frame writer, in characters: the largest frame sent, and the water ledger's flash text.</summary>
        public const int WriterChars = 1536;

        private readonly ControllerContext _context;
        private readonly LogEventMirror _mirror;
        private readonly ZoneValves _valves;
        private readonly SensorSampler _sensors;
        private readonly IrrigationRules _rules;
        private readonly SettingsApplier _settings;
        private readonly WaterMeter _water;
        private readonly Uplink _uplink;
        private bool _started;

        /// <summary>
        /// Builds a controller whose settings from the server run from RAM only (the simulator): after a restart it
        /// runs <paramref name="config"/> again and reports settings_version 0, so the server sends them again.
        /// See the overload with a <see cref="SettingsStore"/>.
        /// </summary>
        public Controller(ControllerConfig config, IClimateSensor climate, ISoilProbe[] soilProbes, IValve[] valves, ILinkTransport link, ILogSink log, IDeviceInfo deviceInfo, int randomSeed)
            : this(config, climate, soilProbes, valves, link, log, deviceInfo, randomSeed, null)
        {
        }

        /// <summary>
        /// Builds a controller. <paramref name="config"/> is the board's file; when <paramref name="settingsStore"/>
        /// holds intact settings that still pass, they run over it (hello reports their version). Give every relay
        /// of the board in <paramref name="valves"/> and every soil input in <paramref name="soilProbes"/>: zones and
        /// <c>soil</c> entries use the first ones, and settings may use up to all of them. Throws
        /// <see cref="ArgumentException"/> for a config that does not validate or needs more hardware than given
        /// (misconfiguration fails fast, at boot). Touches no hardware; reads the store.
        /// </summary>
        public Controller(ControllerConfig config, IClimateSensor climate, ISoilProbe[] soilProbes, IValve[] valves, ILinkTransport link, ILogSink log, IDeviceInfo deviceInfo, int randomSeed, SettingsStore settingsStore)
            : this(config, climate, soilProbes, valves, link, log, deviceInfo, randomSeed, settingsStore, null, null, null, null)
        {
        }

        /// <summary>
        /// Builds a controller for a board whose memory allows less than the config's own limits: settings from the
        /// server (and stored settings at boot) asking for a larger <c>buffer_capacity</c> or <c>send_window</c> than
        /// <paramref name="memoryCaps"/> are rejected like settings naming more zones than there are valves; null
        /// means the config's limits. <paramref name="config"/> itself must be within them (the firmware caps the
        /// board's file first). Otherwise as the overload without caps.
        /// </summary>
        public Controller(ControllerConfig config, IClimateSensor climate, ISoilProbe[] soilProbes, IValve[] valves, ILinkTransport link, ILogSink log, IDeviceInfo deviceInfo, int randomSeed, SettingsStore settingsStore, MemoryCaps memoryCaps)
            : this(config, climate, soilProbes, valves, link, log, deviceInfo, randomSeed, settingsStore, memoryCaps, null, null, null)
        {
        }

        /// <summary>
        /// Builds a controller with water metering. <paramref name="flowMeter"/> is the main line's pulse counter
        /// (null: the board has none, and settings with <c>pulses_per_litre</c> are refused);
        /// <paramref name="masterValve"/> the master valve or pump relay (null: none); <paramref name="waterStore"/>
        /// keeps the water ledger in flash (null: RAM only, so a reboot loses unacknowledged volumes). The other
        /// arguments as in the overload without them.
        /// </summary>
        public Controller(ControllerConfig config, IClimateSensor climate, ISoilProbe[] soilProbes, IValve[] valves, ILinkTransport link, ILogSink log, IDeviceInfo deviceInfo, int randomSeed, SettingsStore settingsStore, IPulseCounter flowMeter, IValve masterValve, WaterStore waterStore)
            : this(config, climate, soilProbes, valves, link, log, deviceInfo, randomSeed, settingsStore, null, flowMeter, masterValve, waterStore)
        {
        }

        /// <summary>
        /// Builds a controller for a board with both: memory caps below the config's own limits and water metering.
        /// Every other overload comes here; the arguments mean what they mean there.
        /// </summary>
        public Controller(ControllerConfig config, IClimateSensor climate, ISoilProbe[] soilProbes, IValve[] valves, ILinkTransport link, ILogSink log, IDeviceInfo deviceInfo, int randomSeed, SettingsStore settingsStore, MemoryCaps memoryCaps, IPulseCounter flowMeter, IValve masterValve, WaterStore waterStore)
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

            bool hasMeter = flowMeter != null;
            string[] hardware = SettingsApplier.HardwareErrors(config, valves.Length, soilProbes.Length, memoryCaps, hasMeter);
            if (hardware.Length > 0)
            {
                throw new ArgumentException("the board cannot run this config: " + hardware[0]);
            }

            Logger logger = new Logger(log);
            int version;
            ControllerConfig running = SettingsApplier.LoadAtBoot(config, settingsStore, valves.Length, soilProbes.Length, memoryCaps, hasMeter, logger, out version);
            _context = new ControllerContext(running, logger, new EventBuffer(running.BufferCapacity, TextSlots));
            _mirror = new LogEventMirror(_context);
            logger.Mirror = _mirror;
            // One writer for every frame and for the water ledger's flash text: both are made on the tick thread, one
            // at a time, and the memory budget counts it once.
            JsonWriter writer = new JsonWriter(WriterChars);
            _valves = new ZoneValves(valves, masterValve, running.MaxOpenZones);
            _valves.SetMasterTiming(running.MasterLeadSeconds, running.MasterLagSeconds);
            WaterLedger ledger = new WaterLedger(waterStore, writer, logger, valves.Length);
            ledger.Load(_context.ZoneNames);
            _water = new WaterMeter(_context, _valves, flowMeter, ledger);
            _sensors = new SensorSampler(_context, climate, soilProbes);
            _rules = new IrrigationRules(_context, _valves, _sensors, _water);
            _settings = new SettingsApplier(_context, config, settingsStore, version, valves.Length, soilProbes.Length, memoryCaps, hasMeter, SettingsApplied);
            _uplink = new Uplink(_context, link, deviceInfo, _valves, _sensors, _rules, _settings, _water, ledger, writer, randomSeed);
        }

        /// <summary>The serial logger (adapters may log through it so every line has one format).</summary>
        public Logger Log
        {
            get { return _context.Log; }
        }

        /// <summary>The config this controller runs now: the board's file, or the server's settings over it.</summary>
        public ControllerConfig Config
        {
            get { return _context.Config; }
        }

        /// <summary>The version of the server's settings running now (hello's settings_version); 0 = the board's file only.</summary>
        public int SettingsVersion
        {
            get { return _settings.AppliedVersion; }
        }

        /// <summary>The time zone offset the server sent last, seconds east of UTC (0 until it sends one).</summary>
        public int UtcOffsetSeconds
        {
            get { return _context.UtcOffsetSeconds; }
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
            get { return _context.Buffer.Count; }
        }

        /// <summary>The offline buffer's capacity, in events.</summary>
        public int BufferCapacity
        {
            get { return _context.Buffer.Capacity; }
        }

        /// <summary>Events sent and not yet acknowledged on the current connection.</summary>
        public int InFlightCount
        {
            get { return _context.Buffer.SentCount; }
        }

        /// <summary>Events dropped because the buffer was full (status.dropped).</summary>
        public long DroppedCount
        {
            get { return _context.Buffer.DroppedCount; }
        }

        /// <summary>Warnings/errors not mirrored as log events because of the rate limit.</summary>
        public long SuppressedLogCount
        {
            get { return _mirror.SuppressedCount; }
        }

        /// <summary>The seq of the last event recorded this boot (0 before any).</summary>
        public int LastSeq
        {
            get { return _context.Seq; }
        }

        /// <summary>The highest seq the server acknowledged this boot.</summary>
        public long AckedSeq
        {
            get { return _uplink.AckedSeq; }
        }

        /// <summary>True once a welcome set the clock.</summary>
        public bool IsClockTrusted
        {
            get { return _context.IsClockTrusted; }
        }

        /// <summary>Unix seconds now (UTC) by the trusted clock, or 0 while untrusted.</summary>
        public long NowUnixSeconds
        {
            get { return _context.NowUnixSeconds; }
        }

        /// <summary>The link's phase.</summary>
        public LinkPhase LinkPhase
        {
            get { return _uplink.Phase; }
        }

        /// <summary>Connection attempts this boot.</summary>
        public int ConnectAttempts
        {
            get { return _uplink.Attempts; }
        }

        /// <summary>The last reconnect delay chosen, in ms.</summary>
        public long LastBackoffDelayMs
        {
            get { return _uplink.LastDelayMs; }
        }

        /// <summary>True when zone <paramref name="zone"/> is open.</summary>
        public bool IsZoneOpen(int zone)
        {
            return _valves.IsOpen(zone);
        }

        /// <summary>True while the master valve (or pump relay) is open.</summary>
        public bool IsMasterOpen
        {
            get { return _valves.IsMasterOpen; }
        }

        /// <summary>True when the board has a flow meter and the settings calibrate it (<c>pulses_per_litre</c>).</summary>
        public bool IsMetering
        {
            get { return _water.IsMetering; }
        }

        /// <summary>False once the flow meter was found silent (reported as sensor <c>flow</c> disconnected) until it pulses again.</summary>
        public bool IsFlowMeterConnected
        {
            get { return _water.IsMeterConnected; }
        }

        /// <summary>True while a leak lock holds: the master valve stays closed and nothing waters until <c>clear_leak</c>.</summary>
        public bool IsLeakLocked
        {
            get { return _water.IsLeakLocked; }
        }

        /// <summary>The main line's flow over the last 10 s, tenths of a litre per minute.</summary>
        public int FlowRate
        {
            get { return _water.Rate; }
        }

        /// <summary>Zone <paramref name="zone"/>'s learned flow, tenths of L/min, or -1 while it has too few runs to trust.</summary>
        public int FlowBaseline(int zone)
        {
            return _water.Baseline(zone);
        }

        /// <summary>Pulses given to zone <paramref name="zone"/>'s open run so far (0 when closed).</summary>
        public long ZoneRunPulses(int zone)
        {
            return _water.RunPulses(zone);
        }

        /// <summary>Pulses of zone <paramref name="zone"/>'s open run saved in flash so far: what a power cut now would not lose.</summary>
        public long ZoneSavedRunPulses(int zone)
        {
            return _water.SavedRunPulses(zone);
        }

        /// <summary>
        /// Uptime in ms at which the controller wants its next tick, earlier than the loop's period (a volume target
        /// about to be reached), or <c>long.MaxValue</c>. The tick loop sleeps until the earlier of the two.
        /// </summary>
        public long WakeAtMs
        {
            get { return _water.WakeAtMs; }
        }

        /// <summary>Uptime in ms at which an open zone's lease ends, or -1 when closed.</summary>
        public long ZoneLeaseEndMs(int zone)
        {
            return _valves.IsOpen(zone) ? _valves.LeaseEndMs(zone) : -1;
        }

        /// <summary>Zones in the running config (at most the valves given).</summary>
        public int ZoneCount
        {
            get { return _context.ZoneNames.Length; }
        }

        /// <summary>The name of zone <paramref name="zone"/> in the running config.</summary>
        public string ZoneName(int zone)
        {
            return _context.ZoneNames[zone];
        }

        /// <summary>Debounced health of sensor <paramref name="sensor"/> (see the Sensor* constants).</summary>
        public bool IsSensorConnected(int sensor)
        {
            return _sensors.Health(sensor).IsConnected;
        }

        /// <summary>The last good value of a sensor (tenths), or int.MinValue when there is none usable.</summary>
        public int SensorValue(int sensor)
        {
            SensorHealth h = _sensors.Health(sensor);
            return h.HasValue ? h.LastGood : int.MinValue;
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
            _context.SetNow(uptimeMs);
            _context.Log.Info("core", "boot", "zones", _context.ZoneNames.Length, "probes", _sensors.ProbeCount);
            _water.Start();
            _rules.Boot();
            _sensors.Start(uptimeMs);
            _uplink.Start(uptimeMs);
            _mirror.Start(uptimeMs);
        }

        /// <summary>One step of everything; call every 100–500 ms with the uptime in ms. Never blocks, never throws.</summary>
        public void Tick(long uptimeMs)
        {
            if (!_started)
            {
                Start(uptimeMs);
            }

            _context.SetNow(uptimeMs);

            // The meter first, so a zone whose lease ends now still gets the pulses it was given; a failure there is
            // logged and stands in the way of no lease.
            try
            {
                _water.Measure();
            }
            catch (Exception e)
            {
                _context.Log.Error("core", "flow measure failed: " + e.Message);
            }

            // Safety first and outside every try: nothing below can keep a lease from ending.
            _rules.EnforceLeases();

            try
            {
                _uplink.StepLink();
            }
            catch (Exception e)
            {
                _context.Log.Error("core", "link step failed: " + e.Message);
            }

            try
            {
                _sensors.Step();
                _water.Step();
                _rules.Step();
            }
            catch (Exception e)
            {
                _context.Log.Error("core", "sensor/rule step failed: " + e.Message);
            }

            try
            {
                _uplink.StepStatus();
                _uplink.StepSend();
            }
            catch (Exception e)
            {
                _context.Log.Error("core", "send step failed: " + e.Message);
            }
        }

        // New settings: zones they drop close while their events can still name them, then every component
        // adjusts what it built from the old ones.
        private void SettingsApplied(ControllerConfig next)
        {
            _rules.CloseZonesFrom(next.Zones.Length);
            _context.UseConfig(next);
            _rules.SettingsApplied();
            _valves.SetMasterTiming(next.MasterLeadSeconds, next.MasterLagSeconds);
            _water.SettingsApplied();
            _sensors.SettingsApplied();
            _uplink.SettingsApplied();
        }
    }
}
