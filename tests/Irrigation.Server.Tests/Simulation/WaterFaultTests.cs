using System.Text.Json;

namespace Irrigation.Server.Tests.Simulation;

/// <summary>
/// Issue 19's simulator: a simulated controller with a flow meter and a master valve, its field's water faults, and
/// the alarm each one draws from the real core (docs/protocol.md, "Water"). Minutes of fake time per test.
/// </summary>
public class WaterFaultTests
{
    [Fact]
    public void Runs_HealthyField_EachStopCarriesTheLitresThatFlowed()
    {
        var rig = new WaterFieldRig();
        rig.Run(5);

        rig.Water("zone1", 40);
        rig.Water("zone2", 30);
        rig.Water("zone1", 20);

        var stops = rig.Link.Data("irrigation_stopped").Where(s => s.TryGetProperty("litres", out _)).ToList();
        Assert.Equal(3, stops.Count);
        Assert.All(stops, s => Assert.Equal("completed", s.GetProperty("reason").GetString()));
        var water = rig.Controller.Water;
        // The ledger is the meter's: per zone, what went through its valve, within a pulse (the fraction is carried on).
        Assert.InRange(Litres(stops, "zone1") - (water.ZoneLitres[0] * 10), -1, 1);
        Assert.InRange(Litres(stops, "zone2") - (water.ZoneLitres[1] * 10), -1, 1);
        Assert.InRange(water.ZoneLitres[1] / 0.5, water.UsualLitresPerMinute(1) * 0.9, water.UsualLitresPerMinute(1) * 1.1);
        Assert.Equal(0, water.IdleLitres);
        Assert.Empty(rig.Link.Data("flow_alert"));
        Assert.Contains(rig.Link.Data("flow"), f => f.GetProperty("zone").GetString() == "zone1" && f.GetProperty("rate").GetInt32() > 0);
        Assert.Contains(rig.ConsoleLines, l => l.StartsWith("sim-01   zone2 closed (soil", StringComparison.Ordinal) && l.EndsWith(" L)", StringComparison.Ordinal));
    }

    [Fact]
    public void BurstPipe_Configured_BurstsOnceTheZoneFlowIsLearned_HighAlarmAndFailsafeStop()
    {
        var rig = new WaterFieldRig("sim-01/zone1=burst_pipe");
        rig.Run(5);

        // Three runs teach the controller zone1's usual flow (30 s of settled flow each): until then, nothing to compare.
        for (int run = 0; run < 3; run++)
        {
            Assert.Equal(-1, rig.Controller.Water.BurstZone);
            rig.Water("zone1", 50);
        }

        Assert.True(rig.Controller.Controller.FlowBaseline(0) > 0);
        Assert.Equal(0, rig.Controller.Water.BurstZone);
        Assert.Contains("sim-01   burst pipe in zone1 (simulated, configured)", rig.ConsoleLines);
        Assert.Empty(rig.Link.Data("flow_alert"));

        rig.Water("zone1", 120);

        var alert = Assert.Single(rig.Link.Data("flow_alert"));
        Assert.Equal(("high", "zone1"), (alert.GetProperty("kind").GetString(), alert.GetProperty("zone").GetString()));
        Assert.InRange(alert.GetProperty("measured").GetInt32(), alert.GetProperty("expected").GetInt32() * 2, alert.GetProperty("expected").GetInt32() * 4);
        var stop = rig.Link.Data("irrigation_stopped").Last();
        Assert.Equal("failsafe", stop.GetProperty("reason").GetString());
        Assert.Equal("zone1", stop.GetProperty("zones")[0].GetString());
        Assert.True(stop.GetProperty("litres").GetInt32() > 0);
        Assert.False(rig.Controller.Controller.IsLeakLocked);
    }

    [Fact]
    public void ClosedSupply_Configured_ShutAfterTheFirstRun_NextRunNoneAlarmAndFailsafeStop()
    {
        var rig = new WaterFieldRig("sim-01=closed_supply");
        rig.Run(5);
        rig.Water("zone1", 30);
        Assert.True(rig.Controller.Water.SupplyClosed);

        rig.Water("zone2", 120);

        var alert = Assert.Single(rig.Link.Data("flow_alert"));
        Assert.Equal(("none", "zone2", 0), (alert.GetProperty("kind").GetString(), alert.GetProperty("zone").GetString(), alert.GetProperty("measured").GetInt32()));
        var stop = rig.Link.Data("irrigation_stopped").Last();
        Assert.Equal(("failsafe", "zone2"), (stop.GetProperty("reason").GetString(), stop.GetProperty("zones")[0].GetString()));
        // Stopped after flow_settle (10 s) and flow_none_delay (20 s), not at the end of its 120 s.
        Assert.InRange(stop.GetProperty("time").GetInt64() - Started(rig).GetProperty("time").GetInt64(), 30, 35);
        Assert.Equal(0, stop.GetProperty("litres").GetInt32());
        Assert.Empty(rig.Link.Data("sensor_disconnected"));
    }

    [Theory]
    [InlineData("sim-01/zone2=stuck_valve", 120, 250)]
    [InlineData("sim-01=slow_leak", 15, 25)]
    public void Leak_StuckValveOrSlowLeak_LeakAlarmAfterTheRun_MasterLockedUntilCleared(string fault, int measuredAtLeast, int measuredAtMost)
    {
        var rig = new WaterFieldRig(fault);
        rig.Run(5);

        rig.Water("zone1", 30);

        // The master valve stays open a minute after the run: water through it with every zone closed is a leak.
        var alert = Assert.Single(rig.Alerts("leak"));
        Assert.False(alert.TryGetProperty("zone", out _));
        Assert.InRange(alert.GetProperty("measured").GetInt32(), measuredAtLeast, measuredAtMost);
        Assert.True(rig.Controller.Controller.IsLeakLocked);
        Assert.False(rig.Controller.Water.MasterOpen);
        Assert.Contains(rig.ConsoleLines, l => l.StartsWith("sim-01   leak lock on", StringComparison.Ordinal));
        double leaked = rig.Controller.Water.IdleLitres;

        var refused = rig.Link.Irrigate("zone1", 30);
        rig.Run(60);
        Assert.False(rig.Link.Result(refused).GetProperty("ok").GetBoolean());
        Assert.Equal("leak lock: fix the leak, then clear the lock (clear_leak)", rig.Link.Result(refused).GetProperty("error").GetString());
        Assert.Equal(leaked, rig.Controller.Water.IdleLitres); // the shut master valve stopped the leak

        var clear = rig.Link.ClearLeak();
        rig.Run(2);
        Assert.True(rig.Link.Result(clear).GetProperty("ok").GetBoolean());
        Assert.False(rig.Controller.Controller.IsLeakLocked);
        Assert.Contains("sim-01   leak lock cleared", rig.ConsoleLines);
    }

    [Fact]
    public void ChanceFault_CertainWithinTheFirstSecond_StartsThenIsRepairedWithinFifteenMinutes()
    {
        var rig = new WaterFieldRig(faultChancePerHour: 3600 * 100);

        rig.Run(1);

        // Nothing ran yet: a burst pipe (no learned flow) and a closed supply (no water counted) could not be told.
        var started = Assert.Single(rig.ConsoleLines, l => l.Contains("(simulated, by chance, repaired in", StringComparison.Ordinal));
        Assert.True(rig.Controller.Water.StuckZone >= 0 || rig.Controller.Water.LeakLitresPerMinute > 0, started);
        rig.Run(15 * 60);
        Assert.Contains(rig.ConsoleLines, l => l.EndsWith("repaired (simulated)", StringComparison.Ordinal));
    }

    private static long Litres(List<JsonElement> stops, string zone) =>
        stops.Where(s => s.GetProperty("zones")[0].GetString() == zone).Sum(s => s.GetProperty("litres").GetInt64());

    private static JsonElement Started(WaterFieldRig rig) => rig.Link.Data("irrigation_started").Last();
}
