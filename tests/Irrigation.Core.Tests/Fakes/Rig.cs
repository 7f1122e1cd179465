using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Sensors;

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
    public Controller Controller;
    public long TickMs = 250;

    public Rig(ControllerConfig? config = null, int seed = 42)
    {
        Config = config ?? DefaultConfig();
        Probes = new FakeSoilProbe[Config.SoilProbes.Length];
        for (int i = 0; i < Probes.Length; i++)
        {
            Probes[i] = new FakeSoilProbe();
        }

        Valves = new FakeValve[Config.Zones.Length];
        for (int i = 0; i < Valves.Length; i++)
        {
            Valves[i] = new FakeValve { Clock = () => NowMs };
        }

        Climate.Clock = () => NowMs;
        Link.ServerUnix = () => 1764547200 + NowMs / 1000;
        Controller = Build(seed);
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

    public Controller Build(int seed) =>
        new(Config, Climate, Probes, Valves, Link, Log, Device, seed);

    public void Start() => Controller.Start(NowMs);

    /// <summary>Ticks for <paramref name="ms"/> of simulated time.</summary>
    public void Run(long ms)
    {
        long end = NowMs + ms;
        while (NowMs < end)
        {
            NowMs += TickMs;
            Step();
        }
    }

    public void Step()
    {
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
