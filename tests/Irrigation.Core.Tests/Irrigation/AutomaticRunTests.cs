using System.Text.Json;
using Irrigation.Core.Config;
using Irrigation.Core.Sensors;
using Irrigation.Core.Tests.Fakes;

namespace Irrigation.Core.Tests.Irrigation;

/// <summary>
/// Schedules and the soil rule on the simulated clock: cycle and soak, seasonal %, local time with days and DST,
/// rain delay and freeze skip, and the irrigation_skipped answer to "why did it not water?".
/// The rig's server clock starts at 1764547200 = Monday 2025-12-01 00:00 UTC.
/// </summary>
public class AutomaticRunTests
{
    private const long Monday = 1764547200;
    private const long Minute = 60_000;
    private const long Hour = 3600_000;

    private static JsonElement Data(JsonElement e) => e.GetProperty("data");

    private static string Reason(JsonElement e) => Data(e).GetProperty("reason").GetString()!;

    private static string[] Zones(JsonElement e) => Data(e).GetProperty("zones").EnumerateArray().Select(z => z.GetString()!).ToArray();

    private static long Time(JsonElement e) => Data(e).GetProperty("time").GetInt64();

    private static Rig ScheduleRig(Action<ControllerConfig> setup, long serverStart = Monday, int? utcOffset = null)
    {
        var config = Rig.DefaultConfig();
        setup(config);
        var rig = new Rig(config);
        rig.Link.ServerUnix = () => serverStart + rig.NowMs / 1000;
        rig.Link.UtcOffset = () => utcOffset;
        return rig;
    }

    private static string Irrigate(string zone, int duration) =>
        "{\"event\":\"irrigate\",\"data\":{\"id\":\"c-9\",\"zones\":[\"" + zone + "\"],\"duration\":" + duration + "}}";

    /// <summary>Acceptance: a run longer than cycle is split into cycles with at least soak seconds between them.</summary>
    [Fact]
    public void Schedule_LongerThanCycle_SplitIntoCyclesWithSoakBetween()
    {
        var rig = ScheduleRig(c =>
        {
            c.Zones[1].CycleSeconds = 300;
            c.Zones[1].SoakSeconds = 600;
            c.Schedules = new[] { new ScheduleConfig(1, 10, 800) };
        });
        rig.StartOnline();

        rig.Run(2 * Hour);

        // 300 + 300 + 200 s of water, 600 s closed between: opens at 00:10, 00:25, 00:40.
        var timeline = rig.Valves[1].Timeline.Select(t => (t.Ms / 1000 - rig.Valves[1].Timeline[0].Ms / 1000, t.Open)).ToArray();
        Assert.Equal(new[] { (0L, true), (300L, false), (900L, true), (1200L, false), (1800L, true), (2000L, false) }, timeline);
        Assert.Equal(new[] { 300, 300, 200 }, rig.SentEvents("irrigation_started").Select(e => Data(e).GetProperty("duration").GetInt32()));
        Assert.All(rig.SentEvents("irrigation_started"), e => Assert.Equal("schedule", Reason(e)));
        Assert.All(rig.SentEvents("irrigation_stopped").Skip(1), e => Assert.Equal("completed", Reason(e)));
    }

    [Fact]
    public void Schedule_Soaking_AnotherZoneUsesTheSlotMeanwhile()
    {
        var rig = ScheduleRig(c =>
        {
            c.Zones[0].CycleSeconds = 300;
            c.Zones[0].SoakSeconds = 900;
            c.Schedules = new[] { new ScheduleConfig(0, 10, 600), new ScheduleConfig(1, 10, 400) };
        });
        rig.StartOnline();

        rig.Run(Hour);

        // Sequential (max_open_zones 1): zone1 300 s, zone2 400 s during zone1's soak, then zone1's second cycle.
        long t0 = rig.Valves[0].Timeline[0].Ms;
        Assert.Equal(new[] { (0L, true), (300L, false), (1200L, true), (1500L, false) }, rig.Valves[0].Timeline.Select(t => ((t.Ms - t0) / 1000, t.Open)));
        Assert.Equal(new[] { (300L, true), (700L, false) }, rig.Valves[1].Timeline.Select(t => ((t.Ms - t0) / 1000, t.Open)));
    }

    [Fact]
    public void SoilRun_LongerThanCycle_SoakThenWetSoilEndsTheRun()
    {
        var config = Rig.SoilRuleConfig();
        config.Zones[0].RunSeconds = 1500;
        config.Zones[0].CycleSeconds = 600;
        config.Zones[0].SoakSeconds = 1200;
        var rig = new Rig(config);
        rig.Probes[0].Raw = 3300;
        rig.StartOnline();
        rig.Run(2_000);
        Assert.True(rig.Valves[0].IsOpen);

        rig.Run(600_000);
        Assert.False(rig.Valves[0].IsOpen);
        rig.Probes[0].Raw = 2400; // 50 %: above wet while soaking
        rig.Run(2 * Hour);

        Assert.Equal(1, rig.Valves[0].Opens);
        Assert.Single(rig.SentEvents("irrigation_started"));
        Assert.Contains(rig.Log.Lines, l => l.Contains(" I irrigation: soil wet while soaking, run ended zone=0", StringComparison.Ordinal));
    }

    /// <summary>Acceptance: the seasonal adjustment scales schedule durations (and never a lease past max_duration).</summary>
    [Theory]
    [InlineData(100, 600)]
    [InlineData(50, 300)]
    [InlineData(150, 900)]
    [InlineData(250, 1500)]
    [InlineData(1, 6)]
    public void Schedule_SeasonalPercent_ScalesTheLease(int percent, int expected)
    {
        var rig = ScheduleRig(c =>
        {
            c.SeasonalPercent = percent;
            c.Zones[1].MaxDurationSeconds = 1500;
            c.Schedules = new[] { new ScheduleConfig(1, 10, 600) };
        });
        rig.StartOnline();

        rig.Run(Hour);

        var started = rig.SentEvents("irrigation_started").Single();
        Assert.Equal(expected, Data(started).GetProperty("duration").GetInt32());
        Assert.Equal(expected * 1000L, rig.Valves[1].Timeline[1].Ms - rig.Valves[1].Timeline[0].Ms);
    }

    [Fact]
    public void Schedule_SeasonalZero_NothingWateredNothingSkipped()
    {
        var rig = ScheduleRig(c =>
        {
            c.SeasonalPercent = 0;
            c.Schedules = new[] { new ScheduleConfig(1, 10, 600) };
        });
        rig.StartOnline();

        rig.Run(Hour);

        Assert.Equal(0, rig.Valves[1].Opens);
        Assert.Empty(rig.SentEvents("irrigation_skipped"));
        Assert.Contains(rig.Log.Lines, l => l.Contains("schedule waters nothing at this seasonal_percent", StringComparison.Ordinal));
    }

    [Fact]
    public void Schedule_SeasonalChangedBySettings_NextRunUsesIt()
    {
        var rig = ScheduleRig(c => c.Schedules = new[] { new ScheduleConfig(1, 10, 600) });
        rig.StartOnline();
        rig.Link.Settings(1, """{"seasonal_percent":80}""");

        rig.Run(Hour);

        Assert.Equal(480, Data(rig.SentEvents("irrigation_started").Single()).GetProperty("duration").GetInt32());
    }

    [Fact]
    public void Schedule_LocalTime_FiresAtTheLocalMinute()
    {
        // 06:30 local in UTC−5 is 11:30 UTC.
        var rig = ScheduleRig(c => c.Schedules = new[] { new ScheduleConfig(1, 6 * 60 + 30, 300) }, utcOffset: -5 * 3600);
        rig.StartOnline();

        rig.Run(24 * Hour);

        var started = rig.SentEvents("irrigation_started").Single();
        Assert.Equal(Monday + 11 * 3600 + 30 * 60, Time(started));
    }

    [Fact]
    public void Schedule_Days_OnlyOnTheLocalDaysListed()
    {
        // Monday 2025-12-01 00:00 UTC is Monday 09:00 in UTC+9: 10:00 local is 01:00 UTC.
        var rig = ScheduleRig(c =>
        {
            c.Schedules = new[]
            {
                new ScheduleConfig(0, 10 * 60, 60) { Days = 1 << 2 },
                new ScheduleConfig(1, 10 * 60, 60) { Days = 1 << 1 },
            };
        }, utcOffset: 9 * 3600);
        rig.TickMs = 1000;
        rig.StartOnline();

        rig.Run(8 * 24 * Hour + 2 * Hour);

        var tuesdays = rig.SentEvents("irrigation_started").Where(e => Zones(e)[0] == "zone1").Select(Time).ToArray();
        var mondays = rig.SentEvents("irrigation_started").Where(e => Zones(e)[0] == "zone2").Select(Time).ToArray();
        Assert.Equal(new[] { Monday + 86400 + 3600, Monday + 8 * 86400 + 3600 }, tuesdays);
        Assert.Equal(new[] { Monday + 3600, Monday + 7 * 86400 + 3600 }, mondays);
    }

    /// <summary>Acceptance: spring forward (Europe/Paris 2026-03-29): 02:30 does not exist; it runs once, at the jump.</summary>
    [Fact]
    public void Schedule_SpringForward_NoMissedRunNoDoubleRun()
    {
        const long start = 1774742400; // 2026-03-29 00:00 UTC = 01:00 CET
        const long jump = 1774746000;  // 01:00 UTC: 02:00 CET becomes 03:00 CEST
        var rig = ScheduleRig(c =>
        {
            c.MaxOpenZones = 2;
            c.Schedules = new[]
            {
                new ScheduleConfig(0, 2 * 60 + 30, 60), // 02:30: skipped by the clocks, runs at the jump
                new ScheduleConfig(1, 3 * 60 + 30, 60), // 03:30 CEST = 01:30 UTC
            };
        }, serverStart: start, utcOffset: 3600);
        rig.TickMs = 1000;
        rig.StartOnline();
        rig.Link.Settings(1, "{}", 3600);

        // The server re-sends the settings with the new offset when it changes (here 5 s late).
        rig.Run((jump - start + 5) * 1000);
        rig.Link.Settings(1, "{}", 7200);
        rig.Run(2 * 86400_000L);

        var zone1 = rig.SentEvents("irrigation_started").Where(e => Zones(e)[0] == "zone1").Select(Time).ToArray();
        var zone2 = rig.SentEvents("irrigation_started").Where(e => Zones(e)[0] == "zone2").Select(Time).ToArray();
        Assert.Equal(3, zone1.Length);
        Assert.InRange(zone1[0], jump + 5, jump + 10);
        // Then 02:30 CEST (00:30 UTC) on the next days.
        Assert.Equal(new[] { jump - 30 * 60 + 86400, jump - 30 * 60 + 2 * 86400 }, zone1[1..]);
        Assert.Equal(new[] { jump + 30 * 60, jump + 30 * 60 + 86400 }, zone2);
        Assert.Equal(7200, rig.Controller.UtcOffsetSeconds);
    }

    /// <summary>Acceptance: fall back (Europe/Paris 2026-10-25): 02:30 happens twice; it runs once.</summary>
    [Fact]
    public void Schedule_FallBack_RepeatedHourRunsOnce()
    {
        const long start = 1792886400; // 2026-10-25 00:00 UTC = 02:00 CEST
        const long back = 1792890000;  // 01:00 UTC: 03:00 CEST becomes 02:00 CET
        var rig = ScheduleRig(c =>
        {
            c.Schedules = new[] { new ScheduleConfig(0, 2 * 60 + 30, 60) };
        }, serverStart: start, utcOffset: 7200);
        rig.TickMs = 1000;
        rig.StartOnline();
        rig.Link.Settings(3, "{}", 7200);

        rig.Run((back - start + 2) * 1000);
        rig.Link.Settings(3, "{}", 3600);
        rig.Run(2 * 86400_000L + Hour);

        var runs = rig.SentEvents("irrigation_started").Select(Time).ToArray();
        // 02:30 CEST (00:30 UTC) today, not again at 02:30 CET; then 02:30 CET (01:30 UTC) on the next days.
        Assert.Equal(new[] { start + 1800, back + 1800 + 86400, back + 1800 + 2 * 86400 }, runs);
        Assert.Equal(2, rig.SentEvents("settings_applied").Count);
    }

    [Fact]
    public void Schedule_OffsetFromAnOlderServerMissing_UtcAsBefore()
    {
        var rig = ScheduleRig(c => c.Schedules = new[] { new ScheduleConfig(1, 10, 300) });
        rig.StartOnline();

        rig.Run(Hour);

        Assert.Equal(Monday + 600, Time(rig.SentEvents("irrigation_started").Single()));
        Assert.Equal(0, rig.Controller.UtcOffsetSeconds);
    }

    [Fact]
    public void Schedule_ClockJumpsAFewHours_NothingCaughtUp()
    {
        // A new time zone (+5 h) must not pour the skipped hours' programs out at once.
        var rig = ScheduleRig(c => c.Schedules = new[] { new ScheduleConfig(1, 3 * 60, 300) }, utcOffset: 0);
        rig.StartOnline();
        rig.Run(Hour);

        rig.Link.Settings(1, "{}", 5 * 3600);
        rig.Run(Hour);

        Assert.Empty(rig.SentEvents("irrigation_started"));
        Assert.Contains(rig.Log.Lines, l => l.Contains("local clock jumped, schedules in between not caught up seconds=18000", StringComparison.Ordinal));
    }

    /// <summary>Acceptance: rain delay: no automatic run until the time; each one that does not start says so, once.</summary>
    [Fact]
    public void RainDelay_SchedulesAndSoilHeldOnceEachCommandsStillWork()
    {
        var config = Rig.SoilRuleConfig(0);
        config.Schedules = new[] { new ScheduleConfig(1, 10, 300) };
        var rig = new Rig(config);
        rig.Probes[0].Raw = 3300; // dry
        rig.StartOnline();
        long until = Monday + 2 * 86400;
        rig.Link.Settings(1, "{\"rain_delay_until\":" + until + "}");
        rig.Run(250);
        Assert.False(rig.Valves[0].IsOpen);

        rig.Run(86400_000L);

        // The soil rule's dry spell is reported once, the schedule once per day it fired.
        var skipped = rig.SentEvents("irrigation_skipped");
        Assert.Equal(new[] { (new[] { "zone1" }, "rain_delay"), (new[] { "zone2" }, "rain_delay") }, skipped.Select(e => (Zones(e), Reason(e))));
        Assert.Equal(Monday + 600, Time(skipped[1]));
        Assert.All(rig.Valves, v => Assert.Equal(0, v.Opens));

        rig.Link.Enqueue(Irrigate("zone2", 120));
        rig.Run(1_000);
        Assert.True(rig.Valves[1].IsOpen);

        rig.Run((until - Monday) * 1000 - rig.NowMs + 15_000);
        Assert.Equal(3, rig.SentEvents("irrigation_skipped").Count);
        Assert.True(rig.Valves[0].IsOpen);
        Assert.InRange(Time(rig.SentEvents("irrigation_started").Last()), until, until + 11);
    }

    [Fact]
    public void RainDelay_SetWhileARunIsQueuedOrSoaking_RestDroppedOnceOpenLeaseKept()
    {
        var rig = ScheduleRig(c =>
        {
            c.Zones[0].CycleSeconds = 300;
            c.Zones[0].SoakSeconds = 600;
            c.Schedules = new[] { new ScheduleConfig(0, 10, 900), new ScheduleConfig(1, 10, 300) };
        });
        rig.StartOnline();
        rig.Run(10 * Minute + 1_000);
        Assert.True(rig.Valves[0].IsOpen);
        long leaseEnd = rig.Controller.ZoneLeaseEndMs(0);

        rig.Link.Settings(1, "{\"rain_delay_until\":" + (Monday + 86400) + "}");
        rig.Run(Hour);

        Assert.Equal((leaseEnd, false), rig.Valves[0].Timeline[^1]);
        Assert.Equal(1, rig.Valves[0].Opens);
        Assert.Equal(0, rig.Valves[1].Opens);
        // zone2's queued run and zone1's next cycle, each reported once when they would have started.
        var skipped = rig.SentEvents("irrigation_skipped");
        Assert.Equal(new[] { "zone2", "zone1" }, skipped.SelectMany(Zones));
        Assert.All(skipped, e => Assert.Equal("rain_delay", Reason(e)));
    }

    [Fact]
    public void RainDelay_ClearedBySettings_SoilRuleResumes()
    {
        var config = Rig.SoilRuleConfig(0);
        config.RainDelayUntil = Monday + 86400;
        var rig = new Rig(config);
        rig.Probes[0].Raw = 3300;
        rig.StartOnline();
        rig.Run(Hour);
        Assert.False(rig.Valves[0].IsOpen);

        rig.Link.Settings(2, """{"rain_delay_until":0}""");
        rig.Run(1_000);

        Assert.True(rig.Valves[0].IsOpen);
    }

    /// <summary>Acceptance: freeze skip on the last good air temperature; commands still work.</summary>
    [Fact]
    public void FreezeSkip_ColdLastGoodReading_SkippedUntilItWarms()
    {
        var rig = ScheduleRig(c =>
        {
            c.FreezeSkipBelowDeciCelsius = 20;
            c.Schedules = new[] { new ScheduleConfig(1, 10, 300) };
        });
        rig.Climate.Next = new ClimateSample(true, 15, 800);
        rig.StartOnline();
        rig.Run(5 * Minute);
        // The DHT fails from now on: the last good reading (1.5 °C) still counts.
        rig.Climate.Next = ClimateSample.Failed;

        rig.Run(Hour);
        Assert.Equal(0, rig.Valves[1].Opens);
        var skipped = rig.SentEvents("irrigation_skipped").Single();
        Assert.Equal("freeze", Reason(skipped));
        Assert.Equal(new[] { "zone2" }, Zones(skipped));
        Assert.Single(rig.SentEvents("sensor_disconnected"), e => Data(e).GetProperty("sensor").GetString() == "temperature");

        rig.Link.Enqueue(Irrigate("zone2", 60));
        rig.Run(1_000);
        Assert.True(rig.Valves[1].IsOpen);

        rig.Climate.Next = new ClimateSample(true, 35, 800);
        rig.Run(24 * Hour);
        Assert.Equal(2, rig.Valves[1].Opens);
        Assert.Single(rig.SentEvents("irrigation_skipped"));
    }

    [Fact]
    public void FreezeSkip_NoReadingSinceBoot_NothingSkipped()
    {
        var rig = ScheduleRig(c =>
        {
            c.FreezeSkipBelowDeciCelsius = 20;
            c.Schedules = new[] { new ScheduleConfig(1, 10, 300) };
        });
        rig.Climate.Next = ClimateSample.Failed;
        rig.StartOnline();

        rig.Run(Hour);

        Assert.Equal(1, rig.Valves[1].Opens);
        Assert.Empty(rig.SentEvents("irrigation_skipped"));
    }

    [Fact]
    public void MinInterval_DrySoil_ReportedOncePerDrySpellThenRuns()
    {
        var config = Rig.SoilRuleConfig(3600);
        var rig = new Rig(config);
        rig.Probes[0].Raw = 3300;
        rig.StartOnline();

        rig.Run(Hour + Minute);

        var skipped = rig.SentEvents("irrigation_skipped").Single();
        Assert.Equal("min_interval", Reason(skipped));
        Assert.Equal(new[] { "zone1" }, Zones(skipped));
        Assert.Equal(1, rig.Valves[0].Opens);
    }

    [Fact]
    public void Skipped_ReasonChangesDuringOneDrySpell_EachReasonOnce()
    {
        // Waiting for min_interval, then a rain delay: "why did it not water?" gets the current answer.
        var config = Rig.SoilRuleConfig(3600);
        var rig = new Rig(config);
        rig.Probes[0].Raw = 3300;
        rig.StartOnline();
        rig.Run(10 * Minute);

        rig.Link.Settings(1, "{\"rain_delay_until\":" + (Monday + 86400) + "}");
        rig.Run(3 * Hour);

        Assert.Equal(new[] { "min_interval", "rain_delay" }, rig.SentEvents("irrigation_skipped").Select(Reason));
    }

    [Fact]
    public void Skipped_TwoZonesSameScheduleMinute_OneEventNamingBoth()
    {
        var rig = ScheduleRig(c =>
        {
            c.RainDelayUntil = Monday + 86400;
            c.Schedules = new[] { new ScheduleConfig(0, 10, 300), new ScheduleConfig(1, 10, 300) };
        });
        rig.StartOnline();

        rig.Run(Hour);

        var skipped = rig.SentEvents("irrigation_skipped").Single();
        Assert.Equal(new[] { "zone1", "zone2" }, Zones(skipped));
    }

    [Fact]
    public void ZoneRenamedBySettings_EventsWaitingToBeSentKeepTheOldName()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.AutoAck = false;
        rig.Run(2 * Minute);
        Assert.Equal(8, rig.Controller.InFlightCount);
        rig.Link.Enqueue(Irrigate("zone1", 60));
        rig.Link.Settings(1, """{"zones":[{"name":"beds"},{"name":"zone2"}]}""");
        rig.Run(61_000);

        // The server acks what it holds; the rest (the irrigation events among them) goes out now, after the rename.
        rig.Link.AutoAck = true;
        rig.Link.Ack(rig.Link.Stored[rig.Link.CurrentBoot].Max);
        rig.Run(5_000);

        Assert.Equal(new[] { "zone1" }, Zones(rig.SentEvents("irrigation_started").Single()));
        Assert.Equal(new[] { "beds" }, Zones(rig.SentEvents("irrigation_stopped").Last()));
    }
}
