using System.Diagnostics;
using Irrigation.Core;
using Irrigation.Core.Config;
using Irrigation.Core.Irrigation;
using Irrigation.Core.Link;
using Irrigation.Core.Sensors;

namespace Irrigation.Server.Simulation;

/// <summary>
/// One simulated controller: the real shared core (<see cref="Controller"/>: sampling, health, irrigation rules,
/// leases, buffer and link) wired to simulated hardware and a real WebSocket. It prints a short console line when
/// it connects, irrigates, loses or regains a sensor, or loses its link.
/// </summary>
public sealed class SimulatedController : IDisposable
{
    private readonly SimulationOptions _options;
    private readonly Random _random;
    private readonly Action<string> _console;
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private readonly bool[] _zoneWasOpen;
    private readonly bool[] _sensorWasConnected;
    private bool _wasReady;
    private bool _everReady;
    private int _settingsVersion;

    public SimulatedController(SimulatedDevice device, string serverUrl, SimulationOptions options, int seed, Action<string> console)
    {
        _options = options;
        _random = new Random(seed);
        _console = console;
        DeviceId = device.DeviceId;

        int zones = device.Zones.Length;
        var initialSoil = new double[zones];
        for (int i = 0; i < zones; i++)
        {
            // Some zones start just above the dry threshold so the demo shows a soil-triggered run within minutes.
            initialSoil[i] = i == 0 ? 30.3 + _random.NextDouble() * 0.5 : 34 + _random.NextDouble() * 20;
        }

        Field = new FieldModel(zones, _random, 6 * 3600 + _random.Next(0, 3600), initialSoil);
        ClimateFaults = new SensorFaults(_random, options.SensorDropoutChance);
        SoilFaults = new SensorFaults[zones];
        var probes = new ISoilProbe[zones];
        var valves = new IValve[zones];
        for (int i = 0; i < zones; i++)
        {
            SoilFaults[i] = new SensorFaults(_random, options.SensorDropoutChance);
            probes[i] = new SimulatedSoilProbe(Field, i, SoilFaults[i], _random);
            valves[i] = new SimulatedValve(Field, i);
        }

        Config = CreateConfig(device, serverUrl, options, _random);
        Link = new WebSocketLinkTransport(TimeSpan.FromSeconds(Config.KeepaliveSeconds));
        SerialLog = new SimulatedSerialLog(DeviceId, options.VerboseSerialLog, console);
        Controller = new Controller(Config, new SimulatedClimateSensor(Field, ClimateFaults), probes, valves, Link, SerialLog, new SimulatedDeviceInfo(_random), seed);
        _zoneWasOpen = new bool[zones];
        _sensorWasConnected = new bool[Controller.SensorSoilBase + zones];
        Array.Fill(_sensorWasConnected, true);
    }

    public string DeviceId { get; }

    public Controller Controller { get; }

    public ControllerConfig Config { get; }

    public FieldModel Field { get; }

    public WebSocketLinkTransport Link { get; }

    public SimulatedSerialLog SerialLog { get; }

    public SensorFaults ClimateFaults { get; }

    public SensorFaults[] SoilFaults { get; }

    /// <summary>Real milliseconds since this controller booted.</summary>
    public long UptimeMs => _uptime.ElapsedMilliseconds;

    public void Start() => Controller.Start(UptimeMs);

    /// <summary>Advances the world by <paramref name="realSeconds"/> (times the scale) and runs one core tick.</summary>
    public void Tick(double realSeconds)
    {
        Field.Advance(realSeconds * _options.TimeScale);
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
        Link.Drop();
    }

    public void Dispose() => Link.Dispose();

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
                _console(open
                    ? $"{DeviceId,-8} {name} open ({soil}, lease ends in {(Controller.ZoneLeaseEndMs(zone) - UptimeMs) / 1000} s)"
                    : $"{DeviceId,-8} {name} closed ({soil})");
                _zoneWasOpen[zone] = open;
            }
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
