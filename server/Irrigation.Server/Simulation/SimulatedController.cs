using Irrigation.Core;
using Irrigation.Core.Config;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Link;
using Irrigation.Core.Sensors;

namespace Irrigation.Server.Simulation;

/// <summary>
/// One simulated controller: the real shared core (<see cref="Controller"/>: sampling, health, irrigation rules,
/// leases, water metering, flow alarms, buffer and link) wired to simulated hardware (climate sensor, soil probes,
/// zone valves, a master valve and a flow meter on the main line) and a real WebSocket. It prints a short console line
/// when it connects, irrigates, loses or regains a sensor, gets a water fault or a leak lock, or loses its link.
/// </summary>
public sealed class SimulatedController : IDisposable
{
    private readonly SimulationOptions _options;
    private readonly Random _random;
    private readonly Action<string> _console;
    private readonly TimeProvider _clock;
    private readonly long _bootTimestamp;
    private readonly bool[] _zoneWasOpen;
    private readonly double[] _zoneLitresAtOpen;
    private readonly bool[] _sensorWasConnected;
    private bool _wasReady;
    private bool _everReady;
    private bool _wasLeakLocked;
    private bool _meterWasConnected = true;
    private int _settingsVersion;

    /// <param name="device">The controller's id, token and zones.</param>
    /// <param name="serverUrl">The server's controller socket, ws://HOST:PORT/.</param>
    /// <param name="options">The simulation's settings (its water faults must have passed <see cref="WaterFaultList.Parse"/>).</param>
    /// <param name="seed">Seed of this controller's weather, soil, water and failures.</param>
    /// <param name="console">Where its console lines go.</param>
    /// <param name="clock">The controller's uptime clock (default: the real one; the core's clock must run in real time
    /// against a real server, whose welcome sets it).</param>
    /// <param name="link">The transport under the core's link (default: a real WebSocket).</param>
    public SimulatedController(SimulatedDevice device, string serverUrl, SimulationOptions options, int seed, Action<string> console,
        TimeProvider? clock = null, ILinkTransport? link = null)
    {
        _options = options;
        _random = new Random(seed);
        _console = console;
        _clock = clock ?? TimeProvider.System;
        _bootTimestamp = _clock.GetTimestamp();
        DeviceId = device.DeviceId;

        int zones = device.Zones.Length;
        var initialSoil = new double[zones];
        var usualFlow = new double[zones];
        for (int i = 0; i < zones; i++)
        {
            // Some zones start just above the dry threshold so the demo shows a soil-triggered run within minutes.
            initialSoil[i] = i == 0 ? 30.3 + _random.NextDouble() * 0.5 : 34 + _random.NextDouble() * 20;
            usualFlow[i] = Math.Round(12 + _random.NextDouble() * 13, 1);
        }

        Field = new FieldModel(zones, _random, 6 * 3600 + _random.Next(0, 3600), initialSoil);
        Water = new WaterModel(usualFlow, _random);
        ClimateFaults = new SensorFaults(_random, options.SensorDropoutChance);
        SoilFaults = new SensorFaults[zones];
        var probes = new ISoilProbe[zones];
        var valves = new IValve[zones];
        for (int i = 0; i < zones; i++)
        {
            SoilFaults[i] = new SensorFaults(_random, options.SensorDropoutChance);
            probes[i] = new SimulatedSoilProbe(Field, i, SoilFaults[i], _random);
            valves[i] = new SimulatedValve(Water, i);
        }

        Config = CreateConfig(device, serverUrl, options, _random);
        Link = link ?? new WebSocketLinkTransport(TimeSpan.FromSeconds(Config.KeepaliveSeconds));
        SerialLog = new SimulatedSerialLog(DeviceId, options.VerboseSerialLog, console);
        // The water ledger lives in RAM (no WaterStore): a simulated reboot is a new process anyway.
        Controller = new Controller(Config, new SimulatedClimateSensor(Field, ClimateFaults), probes, valves, Link, SerialLog, new SimulatedDeviceInfo(_random), seed,
            null, Water, new SimulatedMasterValve(Water), null);
        var faults = WaterFaultList.Parse(options.WaterFaults, out var faultError)
            ?? throw new ArgumentException(faultError, nameof(options));
        WaterFaults = new WaterFaultDriver(DeviceId, Water, Controller, device.Zones, faults.Where(f => f.Device == DeviceId),
            options.WaterFaultChancePerHour, _random, console);
        _zoneWasOpen = new bool[zones];
        _zoneLitresAtOpen = new double[zones];
        _sensorWasConnected = new bool[Controller.SensorSoilBase + zones];
        Array.Fill(_sensorWasConnected, true);
    }

    public string DeviceId { get; }

    public Controller Controller { get; }

    public ControllerConfig Config { get; }

    public FieldModel Field { get; }

    /// <summary>The water side of the field and the flow meter.</summary>
    public WaterModel Water { get; }

    /// <summary>What starts and ends this controller's water faults.</summary>
    public WaterFaultDriver WaterFaults { get; }

    public ILinkTransport Link { get; }

    public SimulatedSerialLog SerialLog { get; }

    public SensorFaults ClimateFaults { get; }

    public SensorFaults[] SoilFaults { get; }

    /// <summary>Real milliseconds since this controller booted.</summary>
    public long UptimeMs => (long)_clock.GetElapsedTime(_bootTimestamp).TotalMilliseconds;

    public void Start() => Controller.Start(UptimeMs);

    /// <summary>
    /// Advances the world by <paramref name="realSeconds"/> (the water in real time, weather and soil times the scale)
    /// and runs one core tick.
    /// </summary>
    public void Tick(double realSeconds)
    {
        // The valves stood as the last tick left them for all of this interval: the water first, then the soil it wets.
        Water.Advance(realSeconds);
        for (int zone = 0; zone < Water.ZoneCount; zone++)
        {
            Field.SetWatering(zone, Water.Watering(zone));
        }

        Field.Advance(realSeconds * _options.TimeScale);
        WaterFaults.Step(realSeconds);
        if (_options.LinkDropChancePerMinute > 0 && Link.State == LinkState.Open && _random.NextDouble() < _options.LinkDropChancePerMinute * realSeconds / 60)
        {
            DropLink();
        }

        Controller.Tick(UptimeMs);
        Report();
    }

    /// <summary>Cuts the link without a close frame, as a Wi-Fi dropout would.</summary>
    public void DropLink()
    {
        _console($"{DeviceId,-8} link dropped (simulated)");
        if (Link is WebSocketLinkTransport socket)
        {
            socket.Drop();
        }
        else
        {
            Link.Disconnect();
        }
    }

    public void Dispose() => (Link as IDisposable)?.Dispose();

    private void Report()
    {
        bool ready = Controller.LinkPhase == LinkPhase.Ready;
        if (ready != _wasReady)
        {
            if (ready)
            {
                _console($"{DeviceId,-8} {(_everReady ? "reconnected" : "connected")} (buffered {Controller.BufferedCount}, dropped {Controller.DroppedCount})");
                _everReady = true;
            }
            else
            {
                _console($"{DeviceId,-8} offline, retrying");
            }

            _wasReady = ready;
        }

        if (Controller.SettingsVersion != _settingsVersion)
        {
            _settingsVersion = Controller.SettingsVersion;
            _console($"{DeviceId,-8} settings v{_settingsVersion} applied");
        }

        // Settings may remove zones: those beyond the controller's count are closed.
        for (int zone = 0; zone < _zoneWasOpen.Length; zone++)
        {
            bool open = zone < Controller.ZoneCount && Controller.IsZoneOpen(zone);
            if (open != _zoneWasOpen[zone])
            {
                string soil = $"soil {Field.SoilPercent(zone):F1} %";
                string name = zone < Controller.ZoneCount ? Controller.ZoneName(zone) : "zone " + (zone + 1);
                // The litres through its valve are the field's truth; the controller's measurement arrives as the stop's litres.
                _console(open
                    ? $"{DeviceId,-8} {name} open ({soil}, lease ends in {(Controller.ZoneLeaseEndMs(zone) - UptimeMs) / 1000} s)"
                    : $"{DeviceId,-8} {name} closed ({soil}, {Water.ZoneLitres[zone] - _zoneLitresAtOpen[zone]:F1} L)");
                _zoneWasOpen[zone] = open;
                _zoneLitresAtOpen[zone] = Water.ZoneLitres[zone];
            }
        }

        if (Controller.IsLeakLocked != _wasLeakLocked)
        {
            _wasLeakLocked = Controller.IsLeakLocked;
            _console(_wasLeakLocked
                ? $"{DeviceId,-8} leak lock on: master valve shut, nothing waters until someone clears the lock (dashboard: Clear leak lock)"
                : $"{DeviceId,-8} leak lock cleared");
        }

        if (Controller.IsFlowMeterConnected != _meterWasConnected)
        {
            _meterWasConnected = Controller.IsFlowMeterConnected;
            _console($"{DeviceId,-8} flow meter {(_meterWasConnected ? "counts again" : "silent: volumes unknown, runs go by time")}");
        }

        for (int sensor = 0; sensor < _sensorWasConnected.Length; sensor++)
        {
            bool connected = Controller.IsSensorConnected(sensor);
            if (connected != _sensorWasConnected[sensor])
            {
                _console($"{DeviceId,-8} {SensorName(sensor)} sensor {(connected ? "back" : "lost")}");
                _sensorWasConnected[sensor] = connected;
            }
        }
    }

    private static string SensorName(int sensor) => sensor switch
    {
        Controller.SensorTemperature => "temperature",
        Controller.SensorHumidity => "humidity",
        Controller.SensorSoilBase => "soil",
        _ => "soil " + (sensor - Controller.SensorSoilBase + 1),
    };

    private static ControllerConfig CreateConfig(SimulatedDevice device, string serverUrl, SimulationOptions options, Random random)
    {
        var config = new ControllerConfig
        {
            DeviceId = device.DeviceId,
            Token = device.Token,
            ServerUrl = serverUrl,
            FirmwareVersion = "sim-1.0",
            BootId = random.NextInt64(1, uint.MaxValue),
            MaxOpenZones = 1,
            DhtIntervalSeconds = options.ClimateIntervalSeconds,
            SoilIntervalSeconds = options.ClimateIntervalSeconds,
            SoilSamples = 5,
            // The flow meter and the master valve. The master stays open a minute after the last zone: with the line
            // under pressure that long, a leak behind it (or a valve that did not close) is seen after flow_settle
            // (10 s) and leak_delay (30 s) and locks it; with the master shut, nothing could flow to be seen.
            PulsesPerLitre = WaterModel.PulsesPerLitre,
            MasterLeadSeconds = 1,
            MasterLagSeconds = 60,
            FlowSettleSeconds = 10,
            FlowNoneDelaySeconds = 20,
            LeakDelaySeconds = 30,
        };

        var zones = new ZoneConfig[device.Zones.Length];
        var probes = new SoilCalibration[device.Zones.Length];
        for (int i = 0; i < zones.Length; i++)
        {
            zones[i] = new ZoneConfig(device.Zones[i])
            {
                SoilProbe = i,
                DryDeciPercent = 300,
                WetDeciPercent = 450,
                RunSeconds = 900,
                MaxDurationSeconds = 1800,
                MinIntervalSeconds = options.SoilRuleMinIntervalSeconds,
            };
            probes[i] = new SoilCalibration(SimulatedSoilProbe.DryRaw, SimulatedSoilProbe.WetRaw);
        }

        config.Zones = zones;
        config.SoilProbes = probes;
        return config;
    }
}
