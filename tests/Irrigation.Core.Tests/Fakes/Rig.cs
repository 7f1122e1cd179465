using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Sensors;
using Irrigation.Core.Settings;
using Irrigation.Core.Water;

namespace Irrigation.Core.Tests.Fakes;

/// <summary>A controller with fresh fakes and a fake clock; <see cref="Run"/> ticks it like the device loop.</summary>
public sealed class Rig
{
    public long NowMs;
    public readonly FakeClimate Climate = new();
    public readonly FakeSoilProbe[] Probes;
    public readonly FakeValve[] Valves;
    public readonly FakeLink Link = new();
    public readonly ListLogSink Log = new();
    public readonly FakeDeviceInfo Device = new();
    public readonly ControllerConfig Config;
    public readonly FlashModel Flash;
    public SettingsStore? Store;
    public Controller Controller;
    public long TickMs = 250;
    /// <summary>The master valve (null: none).</summary>
    public readonly FakeValve? Master;
    /// <summary>The water and the flow meter (null: the board has no meter).</summary>
    public readonly FieldWater? Water;
    /// <summary>The water ledger's flash (with <see cref="Water"/>; null: RAM only).</summary>
    public WaterStore? WaterStore;
    /// <summary>When true, <see cref="Run"/> ticks at the controller's <see cref="Controller.WakeAtMs"/> when it is earlier.</summary>
    public bool HonourWake = true;

    /// <param name="config">The board's file (default: two zones, one soil probe).</param>
    /// <param name="seed">The controller's random seed.</param>
    /// <param name="valves">Relays on the board (default: one per zone).</param>
    /// <param name="flash">A flash to keep settings (and the water ledger) in (null: RAM only).</param>
    /// <param name="zoneFlows">Each zone's flow in L/min: the board gets a flow meter on a field with these zones (null: no meter).</param>
    /// <param name="master">True for a master valve on the main line.</param>
    public Rig(ControllerConfig? config = null, int seed = 42, int? valves = null, FlashModel? flash = null, double[]? zoneFlows = null, bool master = false)
    {
        Config = config ?? DefaultConfig();
        Flash = flash ?? new FlashModel();
        Store = flash == null ? null : new SettingsStore(flash, @"I:\settings-a.json", @"I:\settings-b.json");
        Probes = new FakeSoilProbe[Config.SoilProbes.Length];
        for (int i = 0; i < Probes.Length; i++)
        {
            Probes[i] = new FakeSoilProbe();
        }

        Valves = new FakeValve[valves ?? Config.Zones.Length];
        for (int i = 0; i < Valves.Length; i++)
        {
            Valves[i] = new FakeValve { Clock = () => NowMs };
        }

        Climate.Clock = () => NowMs;
        Link.ServerUnix = () => 1764547200 + NowMs / 1000;
        Master = master ? new FakeValve { Clock = () => NowMs } : null;
        if (zoneFlows is not null)
        {
            Water = new FieldWater(Valves, Master, zoneFlows);
            WaterStore = flash == null ? null : NewWaterStore();
        }

        Controller = Build(seed);
    }

    /// <summary>The default config with a flow meter calibrated for <see cref="FieldWater"/> and short alarm delays.</summary>
    public static ControllerConfig MeteredConfig()
    {
        var c = DefaultConfig();
        c.PulsesPerLitre = 450;
        c.FlowSettleSeconds = 20;
        c.FlowHighDelaySeconds = 10;
        c.FlowLowDelaySeconds = 30;
        c.FlowNoneDelaySeconds = 20;
        c.LeakDelaySeconds = 60;
        return c;
    }

    public static ControllerConfig DefaultConfig()
    {
        var c = new ControllerConfig
        {
            DeviceId = "farm-01",
            Token = "tok-secret",
            ServerUrl = "ws://127.0.0.1:5000/",
            BootId = 3141592653,
            Zones = new[] { new ZoneConfig("zone1"), new ZoneConfig("zone2") },
            SoilProbes = new[] { new SoilCalibration(3400, 1400) },
        };
        return c;
    }

    /// <summary>The default config with a soil rule on zone1 (probe 0, dry 30 %, wet 45 %, run 600 s) read every 10 s.</summary>
    public static ControllerConfig SoilRuleConfig(int minIntervalSeconds = 0)
    {
        var config = DefaultConfig();
        config.Zones[0].SoilProbe = 0;
        config.Zones[0].DryDeciPercent = 300;
        config.Zones[0].WetDeciPercent = 450;
        config.Zones[0].RunSeconds = 600;
        config.Zones[0].MinIntervalSeconds = minIntervalSeconds;
        config.SoilIntervalSeconds = 10;
        return config;
    }

    public Controller Build(int seed) =>
        Water is null && Master is null
            ? new(Config, Climate, Probes, Valves, Link, Log, Device, seed, Store)
            : new(Config, Climate, Probes, Valves, Link, Log, Device, seed, Store, Water, Master, WaterStore);

    private WaterStore NewWaterStore() => new(Flash, @"I:\water-a.json", @"I:\water-b.json");

    /// <summary>A reboot: a new controller (new boot id) over the same hardware, link and flash.</summary>
    public void Reboot(int seed = 7)
    {
        Config.BootId++;
        Store = Store == null ? null : new SettingsStore(Flash, @"I:\settings-a.json", @"I:\settings-b.json");
        WaterStore = WaterStore == null ? null : NewWaterStore();
        Controller = Build(seed);
        Start();
    }

    public void Start() => Controller.Start(NowMs);

    /// <summary>Ticks for <paramref name="ms"/> of simulated time.</summary>
    public void Run(long ms)
    {
        long end = NowMs + ms;
        while (NowMs < end)
        {
            long wake = HonourWake ? Controller.WakeAtMs : long.MaxValue;
            NowMs = Math.Min(NowMs + TickMs, wake > NowMs ? wake : long.MaxValue);
            Step();
        }
    }

    public void Step()
    {
        Water?.Advance(NowMs);
        Link.Advance();
        Controller.Tick(NowMs);
    }

    /// <summary>Starts and ticks until the link is ready (welcome handled).</summary>
    public void StartOnline()
    {
        Start();
        for (int i = 0; i < 20 && Controller.LinkPhase != LinkPhase.Ready; i++)
        {
            NowMs += TickMs;
            Step();
        }

        Assert.Equal(LinkPhase.Ready, Controller.LinkPhase);
    }

    /// <summary>Sent frames of one event name, parsed.</summary>
    public List<System.Text.Json.JsonElement> SentEvents(string name) =>
        Link.Sent.Select(f => System.Text.Json.JsonDocument.Parse(f).RootElement)
            .Where(e => e.GetProperty("event").GetString() == name).ToList();
}
