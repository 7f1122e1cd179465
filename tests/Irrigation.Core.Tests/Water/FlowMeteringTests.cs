using System.Text.Json;
using Irrigation.Core.Config;
using Irrigation.Core.Tests.Fakes;

namespace Irrigation.Core.Tests.Water;

/// <summary>
/// Volumes, watering by volume, baselines and flow events on the simulated clock, against a field whose zones flow
/// 20 and 12 L/min through a 450-pulse-per-litre meter (<see cref="FieldWater"/>).
/// </summary>
public class FlowMeteringTests
{
    private const long Second = 1000;
    private const long Minute = 60_000;
    private const int PulsesPerLitre = 450;

    internal static readonly double[] Flows = { 20.0, 12.0 };

    internal static Rig MeteredRig(Action<ControllerConfig>? setup = null, bool master = false, FlashModel? flash = null, double[]? flows = null)
    {
        var config = Rig.MeteredConfig();
        setup?.Invoke(config);
        return new Rig(config, flash: flash, zoneFlows: (double[])(flows ?? Flows).Clone(), master: master);
    }

    internal static string Irrigate(string id, string zone, int? duration, int? litres) =>
        "{\"event\":\"irrigate\",\"data\":{\"id\":\"" + id + "\",\"zones\":[\"" + zone + "\"]"
        + (duration is int d ? ",\"duration\":" + d : "") + (litres is int l ? ",\"litres\":" + l : "") + "}}";

    internal static JsonElement Data(JsonElement e) => e.GetProperty("data");

    /// <summary>Tenths of a litre in <paramref name="pulses"/>, rounded down (what the ledger must add up to).</summary>
    internal static long Tenths(long pulses) => pulses * 10 / PulsesPerLitre;

    internal static long StoppedLitres(Rig rig, string zone) =>
        rig.SentEvents("irrigation_stopped").Where(e => Data(e).TryGetProperty("litres", out _) && Data(e).GetProperty("zones")[0].GetString() == zone)
            .Sum(e => Data(e).GetProperty("litres").GetInt64());

    /// <summary>Three full runs of zone1, so its baseline is trusted.</summary>
    internal static void Learn(Rig rig, int zone = 0, int runs = 3)
    {
        for (int i = 0; i < runs; i++)
        {
            rig.Link.Enqueue(Irrigate("learn-" + zone + "-" + i, "zone" + (zone + 1), 120, null));
            rig.Run(3 * Minute);
        }
    }

    [Fact]
    public void Run_Metered_EachStopCarriesItsZonesLitres()
    {
        var rig = MeteredRig();
        rig.StartOnline();

        rig.Link.Enqueue(Irrigate("c-1", "zone1", 300, null));
        rig.Run(6 * Minute);
        rig.Link.Enqueue(Irrigate("c-2", "zone2", 200, null));
        rig.Run(5 * Minute);

        // 20 L/min for 300 s = 100 L, 12 L/min for 200 s = 40 L: the meter's pulses, to the tenth.
        Assert.Equal(Tenths(rig.Water!.PulsesByZone[0]), StoppedLitres(rig, "zone1"));
        Assert.Equal(Tenths(rig.Water.PulsesByZone[1]), StoppedLitres(rig, "zone2"));
        Assert.InRange(StoppedLitres(rig, "zone1"), 999, 1001);
        Assert.InRange(StoppedLitres(rig, "zone2"), 399, 401);
        var stops = rig.SentEvents("irrigation_stopped").Skip(1).ToList();
        Assert.Equal(2, stops.Count);
        Assert.All(stops, e => Assert.Single(Data(e).GetProperty("zones").EnumerateArray()));
        Assert.All(stops, e => Assert.Equal("completed", Data(e).GetProperty("reason").GetString()));
        // The boot's stop of every zone carries no volume: nothing ran.
        Assert.False(Data(rig.SentEvents("irrigation_stopped")[0]).TryGetProperty("litres", out _));
    }

    [Fact]
    public void Hello_Metered_ListsTheFlowSensor()
    {
        var rig = MeteredRig();
        rig.StartOnline();

        var sensors = Data(rig.SentEvents("hello").Single()).GetProperty("sensors").EnumerateArray().Select(s => s.GetString());

        Assert.Equal(new[] { "temperature", "humidity", "soil_moisture", "flow" }, sensors);
    }

    [Fact]
    public void ManyRuns_Fractions_CarriedSoTheSumIsExact()
    {
        var rig = MeteredRig(flows: new[] { 13.37, 7.01 });
        rig.StartOnline();

        for (int i = 0; i < 12; i++)
        {
            rig.Link.Enqueue(Irrigate("c-" + i, i % 2 == 0 ? "zone1" : "zone2", 17 + i, null));
            rig.Run(Minute);
        }

        // Each run alone rounds down; carried fractions make the total the total's rounding, not 12 roundings.
        Assert.Equal(Tenths(rig.Water!.PulsesByZone[0]), StoppedLitres(rig, "zone1"));
        Assert.Equal(Tenths(rig.Water.PulsesByZone[1]), StoppedLitres(rig, "zone2"));
    }

    [Theory]
    [InlineData(500, null)]
    [InlineData(37, 600)]
    [InlineData(2345, null)]
    public void Litres_Target_StopsWithinOnePulse(int litres, int? duration)
    {
        var rig = MeteredRig();
        rig.StartOnline();

        rig.Link.Enqueue(Irrigate("c-1", "zone1", duration, litres));
        rig.Run(20 * Minute);

        long target = (litres * (long)PulsesPerLitre + 9) / 10;
        Assert.InRange(rig.Water!.PulsesByZone[0], target, target + 1);
        var stop = rig.SentEvents("irrigation_stopped").Last();
        Assert.Equal("completed", Data(stop).GetProperty("reason").GetString());
        Assert.InRange(Data(stop).GetProperty("litres").GetInt64(), litres, litres + 1);
        Assert.False(rig.Valves[0].IsOpen);
    }

    [Fact]
    public void Litres_WithoutWakeTicks_StopsWithinOneTickOfFlow()
    {
        var rig = MeteredRig();
        rig.HonourWake = false;
        rig.StartOnline();

        rig.Link.Enqueue(Irrigate("c-1", "zone1", null, 500));
        rig.Run(5 * Minute);

        // A loop that ticks only on its period overshoots by at most one tick of flow (20 L/min: 37.5 pulses a tick).
        Assert.InRange(rig.Water!.PulsesByZone[0], 22500, 22500 + 38);
    }

    [Fact]
    public void Litres_LeaseShorter_TheLeaseEndsTheRun()
    {
        var rig = MeteredRig();
        rig.StartOnline();

        rig.Link.Enqueue(Irrigate("c-1", "zone1", 60, 5000));
        rig.Run(3 * Minute);

        Assert.False(rig.Valves[0].IsOpen);
        Assert.InRange(StoppedLitres(rig, "zone1"), 199, 201);
        Assert.Equal(60_000, rig.Valves[0].Timeline[1].Ms - rig.Valves[0].Timeline[0].Ms);
    }

    [Fact]
    public void Litres_NoDuration_LeaseIsTheZoneMaximum()
    {
        var rig = MeteredRig(c => { c.Zones[0].MaxDurationSeconds = 90; c.Zones[0].RunSeconds = 90; });
        rig.StartOnline();

        rig.Link.Enqueue(Irrigate("c-1", "zone1", null, 100000));
        rig.Run(3 * Minute);

        Assert.Equal(90, Data(rig.SentEvents("irrigation_started").Single()).GetProperty("duration").GetInt32());
        Assert.Equal(90_000, rig.Valves[0].Timeline[1].Ms - rig.Valves[0].Timeline[0].Ms);
    }

    [Fact]
    public void Litres_NoMeter_RefusedWithAReason()
    {
        var rig = new Rig();
        rig.StartOnline();

        rig.Link.Enqueue(Irrigate("c-1", "zone1", 60, 100));
        rig.Run(Second);

        var result = Data(rig.SentEvents("command_result").Single());
        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal("litres needs a flow meter (settings pulses_per_litre)", result.GetProperty("error").GetString());
        Assert.False(rig.Valves[0].IsOpen);
    }

    [Fact]
    public void Baseline_ThreeRuns_LearnedPerZone()
    {
        var rig = MeteredRig();
        rig.StartOnline();

        Learn(rig, 0, 2);
        Assert.Equal(-1, rig.Controller.FlowBaseline(0));
        Learn(rig, 0, 1);
        Learn(rig, 1, 3);

        Assert.InRange(rig.Controller.FlowBaseline(0), 198, 201);
        Assert.InRange(rig.Controller.FlowBaseline(1), 118, 121);
    }

    [Fact]
    public void FlowEvents_DuringARun_EveryTenSecondsWithTheZone()
    {
        var rig = MeteredRig();
        rig.StartOnline();

        rig.Link.Enqueue(Irrigate("c-1", "zone1", 120, null));
        rig.Run(4 * Minute);

        var flows = rig.SentEvents("flow");
        Assert.InRange(flows.Count, 11, 12);
        Assert.All(flows, f => Assert.Equal("zone1", Data(f).GetProperty("zone").GetString()));
        Assert.All(flows.Skip(1), f => Assert.InRange(Data(f).GetProperty("rate").GetInt32(), 195, 201));
        var times = flows.Select(f => Data(f).GetProperty("time").GetInt64()).ToList();
        Assert.All(times.Zip(times.Skip(1)), p => Assert.True(p.Second - p.First >= 10));
        // No flow, no valve open: no flow events.
        Assert.Equal(0, rig.Controller.FlowRate);
    }

    [Fact]
    public void MasterValve_OpensLeadBeforeTheZone_ClosesLagAfter()
    {
        var rig = MeteredRig(c => { c.MasterLeadSeconds = 3; c.MasterLagSeconds = 5; }, master: true);
        rig.StartOnline();
        long t0 = rig.NowMs;

        rig.Link.Enqueue(Irrigate("c-1", "zone1", 60, null));
        rig.Run(2 * Minute);

        long opened = rig.Master!.Timeline[0].Ms;
        Assert.Equal(new[] { true, false }, rig.Master.Timeline.Select(t => t.Open));
        Assert.Equal(new[] { (3000L, true), (63_000L, false) }, rig.Valves[0].Timeline.Select(t => (t.Ms - opened, t.Open)));
        Assert.Equal(68_000, rig.Master.Timeline[1].Ms - opened);
        Assert.True(opened > t0);
        // The zone got its full minute of water once its own valve opened.
        Assert.InRange(StoppedLitres(rig, "zone1"), 199, 201);
    }

    [Fact]
    public void MasterValve_SecondZoneWhileOpen_NoLeadAndNoFlap()
    {
        var rig = MeteredRig(c => { c.MasterLeadSeconds = 3; c.MasterLagSeconds = 5; c.MaxOpenZones = 2; }, master: true);
        rig.StartOnline();

        rig.Link.Enqueue(Irrigate("c-1", "zone1", 60, null));
        rig.Run(30 * Second);
        long asked = rig.NowMs;
        rig.Link.Enqueue(Irrigate("c-2", "zone2", 60, null));
        rig.Run(2 * Minute);

        // The main line was open already: zone2's valve opens with the command, and the master stays open through.
        Assert.InRange(rig.Valves[1].Timeline[0].Ms - asked, 1, rig.TickMs);
        Assert.Equal(new[] { true, false }, rig.Master!.Timeline.Select(t => t.Open));
        Assert.Equal(rig.Valves[1].Timeline[1].Ms + 5000, rig.Master.Timeline[1].Ms);
    }
}
