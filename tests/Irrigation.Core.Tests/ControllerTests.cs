using System.Text.Json;
using Irrigation.Core.Config;
using Irrigation.Core.Link;
using Irrigation.Core.Sensors;
using Irrigation.Core.Tests.Fakes;

namespace Irrigation.Core.Tests;

public class ControllerTests
{
    private static string Irrigate(string id, int duration, params string[] zones) =>
        "{\"event\":\"irrigate\",\"data\":{\"id\":\"" + id + "\",\"zones\":[" + string.Join(",", zones.Select(z => "\"" + z + "\"")) + "],\"duration\":" + duration + "}}";

    private static string Stop(string id, params string[] zones) =>
        "{\"event\":\"stop\",\"data\":{\"id\":\"" + id + "\",\"zones\":[" + string.Join(",", zones.Select(z => "\"" + z + "\"")) + "]}}";

    private static List<JsonElement> Events(Rig rig) =>
        rig.Link.Sent.Select(f => JsonDocument.Parse(f).RootElement).Where(e => e.GetProperty("event").GetString() != "hello").ToList();

    [Fact]
    public void Start_ValvesLeftOpen_ClosesEveryValveBeforeAnythingElse()
    {
        var rig = new Rig();
        foreach (var v in rig.Valves)
        {
            v.IsOpen = true;
        }

        rig.Start();

        Assert.All(rig.Valves, v => Assert.False(v.IsOpen));
        Assert.All(rig.Valves, v => Assert.Equal("close", v.Calls[0]));
        Assert.Equal(0, rig.Climate.Reads);
        Assert.Equal(0, rig.Link.Connects);
        Assert.Equal(1, rig.Controller.LastSeq);
    }

    [Fact]
    public void Start_ThenOnline_HelloThenBootStopAsSeq1()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Run(500);

        Assert.Equal(
            "{\"event\":\"hello\",\"data\":{\"device\":\"farm-01\",\"token\":\"tok-secret\",\"firmware\":\"1.0.0\",\"protocol\":1,\"boot\":3141592653,\"zones\":[\"zone1\",\"zone2\"],\"sensors\":[\"temperature\",\"humidity\",\"soil_moisture\"],\"settings_version\":0}}",
            rig.Link.Sent[0]);
        var first = Events(rig)[0];
        Assert.Equal("irrigation_stopped", first.GetProperty("event").GetString());
        Assert.Equal(1, first.GetProperty("seq").GetInt64());
        Assert.Equal("boot", first.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal(2, first.GetProperty("data").GetProperty("zones").GetArrayLength());
        Assert.Equal("ws://127.0.0.1:5000/", rig.Link.LastUrl);
    }

    [Fact]
    public void Welcome_AfterOfflineStart_TrustedClockAndOldEventsStampedFromUptime()
    {
        var rig = new Rig();
        rig.Link.ServerUp = false;
        rig.Start();
        rig.Run(300_000);
        Assert.False(rig.Controller.IsClockTrusted);
        Assert.Equal(0, rig.Controller.NowUnixSeconds);
        Assert.Empty(rig.Link.Sent);

        rig.Link.ServerUp = true;
        rig.Run(120_000);

        Assert.True(rig.Controller.IsClockTrusted);
        long serverNow = 1764547200 + rig.NowMs / 1000;
        Assert.InRange(rig.Controller.NowUnixSeconds, serverNow - 1, serverNow + 1);
        var boot = Events(rig)[0];
        Assert.Equal(1764547200, boot.GetProperty("data").GetProperty("time").GetInt64(), 1.0);
        var firstTemperature = Events(rig).First(e => e.GetProperty("event").GetString() == "temperature");
        Assert.InRange(firstTemperature.GetProperty("data").GetProperty("time").GetInt64(), 1764547201, 1764547203);
    }

    [Fact]
    public void Welcome_ResumeSaysStored_ReplaySkipsThoseInOrder()
    {
        var rig = new Rig();
        rig.Link.ServerUp = false;
        rig.Start();
        rig.Run(200_000);
        int recorded = rig.Controller.LastSeq;
        Assert.True(recorded > 10);
        rig.Link.Stored[3141592653] = new SortedSet<long>(Enumerable.Range(1, 5).Select(i => (long)i));

        rig.Link.ServerUp = true;
        rig.Run(30_000);

        var seqs = Events(rig).Select(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(6, seqs[0]);
        Assert.Equal(seqs.OrderBy(s => s), seqs);
        Assert.Equal(seqs.Distinct().Count(), seqs.Count);
        Assert.Contains((long)recorded, seqs);
        Assert.Equal(0, rig.Controller.BufferedCount);
    }

    [Fact]
    public void Replay_WithoutAcks_AtMostTheWindowInFlight()
    {
        var rig = new Rig();
        rig.Link.ServerUp = false;
        rig.Start();
        rig.Run(600_000);
        Assert.True(rig.Controller.BufferedCount > 30);
        rig.Link.AutoAck = false;

        rig.Link.ServerUp = true;
        RunUntilReady(rig);
        rig.Run(5_000);
        Assert.Equal(8, Events(rig).Count);
        Assert.Equal(8, rig.Controller.InFlightCount);

        rig.Link.Ack(4);
        rig.Run(500);
        var seqs = Events(rig).Select(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), seqs);
    }

    private static void RunUntilReady(Rig rig)
    {
        for (int i = 0; i < 1000 && rig.Controller.LinkPhase != LinkPhase.Ready; i++)
        {
            rig.Run(rig.TickMs);
        }

        Assert.Equal(LinkPhase.Ready, rig.Controller.LinkPhase);
    }

    [Fact]
    public void Reconnect_UnackedInFlight_SentAgain()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.AutoAck = false;
        rig.Run(60_000);
        var before = Events(rig).Select(e => e.GetProperty("seq").GetInt64()).ToList();
        long firstUnacked = rig.Controller.AckedSeq + 1;
        Assert.True(before.Count > 5);

        // The server lost them too (resume = 0): everything unacked goes out again, in order.
        rig.Link.Drop();
        rig.Link.Stored.Clear();
        rig.Link.AutoAck = true;
        rig.Run(30_000);

        var after = Events(rig).Skip(before.Count).Select(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(firstUnacked, after[0]);
        Assert.Equal(before.Where(q => q >= firstUnacked), after.Take(before.Count(q => q >= firstUnacked)));
        Assert.Equal(0, rig.Controller.BufferedCount);
    }

    [Fact]
    public void Irrigate_Valid_CommandResultThenStartedThenCompletedAtLeaseEnd()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-17", 600, "zone1"));
        rig.Run(250);
        long openedAt = rig.NowMs;

        Assert.True(rig.Valves[0].IsOpen);
        Assert.True(rig.Controller.IsZoneOpen(0));
        var ev = Events(rig).Where(e => e.GetProperty("event").GetString() is "command_result" or "irrigation_started").ToList();
        Assert.Equal("command_result", ev[0].GetProperty("event").GetString());
        Assert.True(ev[0].GetProperty("data").GetProperty("ok").GetBoolean());
        Assert.Equal("c-17", ev[0].GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("irrigation_started", ev[1].GetProperty("event").GetString());
        Assert.Equal("manual", ev[1].GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal(600, ev[1].GetProperty("data").GetProperty("duration").GetInt64());

        rig.Run(600_000 - 250);
        Assert.True(rig.Valves[0].IsOpen);
        rig.Run(250);
        Assert.False(rig.Valves[0].IsOpen);
        Assert.Equal(openedAt + 600_000, rig.NowMs);
        var stopped = Events(rig).Last(e => e.GetProperty("event").GetString() == "irrigation_stopped");
        Assert.Equal("completed", stopped.GetProperty("data").GetProperty("reason").GetString());
    }

    [Fact]
    public void Irrigate_AboveZoneMaximum_RefusedNothingOpens()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-18", 1801, "zone1"));
        rig.Run(500);

        Assert.False(rig.Valves[0].IsOpen);
        var result = Events(rig).Single(e => e.GetProperty("event").GetString() == "command_result");
        Assert.False(result.GetProperty("data").GetProperty("ok").GetBoolean());
        Assert.Equal("duration above the zone maximum (1800 s)", result.GetProperty("data").GetProperty("error").GetString());
        Assert.DoesNotContain(Events(rig), e => e.GetProperty("event").GetString() == "irrigation_started");
    }

    [Fact]
    public void Irrigate_UnknownZone_Refused()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-19", 60, "zone9"));
        rig.Run(500);

        var result = Events(rig).Single(e => e.GetProperty("event").GetString() == "command_result");
        Assert.Equal("unknown zone", result.GetProperty("data").GetProperty("error").GetString());
        Assert.All(rig.Valves, v => Assert.False(v.IsOpen));
    }

    [Fact]
    public void Irrigate_SecondZoneWhileSequential_FirstStoppedSecondStarted()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-1", 600, "zone1"));
        rig.Run(500);
        rig.Link.Enqueue(Irrigate("c-2", 300, "zone2"));
        rig.Run(500);

        Assert.False(rig.Valves[0].IsOpen);
        Assert.True(rig.Valves[1].IsOpen);
        Assert.Equal(1, rig.Controller.OpenZoneCount);
        var names = Events(rig).Select(e => e.GetProperty("event").GetString()).Where(n => n is "command_result" or "irrigation_started" or "irrigation_stopped").Skip(1).ToList();
        Assert.Equal(new[] { "command_result", "irrigation_started", "command_result", "irrigation_stopped", "irrigation_started" }, names);
    }

    [Fact]
    public void Irrigate_TwoZonesWhileSequential_Refused()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-3", 60, "zone1", "zone2"));
        rig.Run(500);

        var result = Events(rig).Single(e => e.GetProperty("event").GetString() == "command_result");
        Assert.Equal("more zones than max_open_zones (1)", result.GetProperty("data").GetProperty("error").GetString());
    }

    [Fact]
    public void Stop_AllZones_ClosesAndReportsManual()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-1", 600, "zone2"));
        rig.Run(500);
        rig.Link.Enqueue(Stop("c-2"));
        rig.Run(500);

        Assert.All(rig.Valves, v => Assert.False(v.IsOpen));
        var last = Events(rig).Where(e => e.GetProperty("event").GetString() is "command_result" or "irrigation_stopped").TakeLast(2).ToList();
        Assert.Equal("c-2", last[0].GetProperty("data").GetProperty("id").GetString());
        Assert.Equal("manual", last[1].GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal("zone2", last[1].GetProperty("data").GetProperty("zones")[0].GetString());
    }

    [Fact]
    public void Commands_WhileOffline_NoEffectOnLease()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-1", 120, "zone1"));
        rig.Run(250);
        rig.Link.ServerUp = false;
        rig.Link.Drop();
        rig.Run(119_750);
        Assert.True(rig.Valves[0].IsOpen);
        rig.Run(250);

        Assert.False(rig.Valves[0].IsOpen);
        Assert.NotEqual(LinkPhase.Ready, rig.Controller.LinkPhase);
    }

    private static Rig SoilRig(int minIntervalSeconds = 0) => new(Rig.SoilRuleConfig(minIntervalSeconds));

    [Fact]
    public void Soil_BelowDry_StartsSoilRunAboveWetStops()
    {
        var rig = SoilRig();
        rig.Probes[0].Raw = 3300; // 5 %
        rig.StartOnline();
        rig.Run(2_000);
        Assert.True(rig.Valves[0].IsOpen);
        Assert.Equal("soil_dry", rig.SentEvents("irrigation_started").Single().GetProperty("data").GetProperty("reason").GetString());

        rig.Probes[0].Raw = 2400; // 50 %: still inside the hysteresis band would be 30-45 %, this is above wet
        rig.Run(11_000);

        Assert.False(rig.Valves[0].IsOpen);
        Assert.Equal("soil_wet", rig.SentEvents("irrigation_stopped").Last().GetProperty("data").GetProperty("reason").GetString());
    }

    [Fact]
    public void Soil_BetweenDryAndWet_RunContinuesUntilLease()
    {
        var rig = SoilRig();
        rig.Probes[0].Raw = 3300;
        rig.StartOnline();
        rig.Run(2_000);
        rig.Probes[0].Raw = 2600; // 40 %: above dry, below wet
        rig.Run(300_000);
        Assert.True(rig.Valves[0].IsOpen);

        rig.Run(300_000);
        Assert.False(rig.Valves[0].IsOpen);
        Assert.Equal("completed", rig.SentEvents("irrigation_stopped").Last().GetProperty("data").GetProperty("reason").GetString());
    }

    [Fact]
    public void Soil_StaysDry_MinimumIntervalBetweenRuns()
    {
        var rig = SoilRig(3600);
        rig.Probes[0].Raw = 3300;
        rig.StartOnline();
        rig.Run(4 * 3600_000L);

        // Boot counts as a watering: first run after min_interval, then one per run + min_interval.
        var starts = rig.SentEvents("irrigation_started").Select(e => e.GetProperty("data").GetProperty("time").GetInt64()).ToList();
        Assert.Equal(3, starts.Count);
        Assert.True(starts[0] - 1764547200 >= 3600);
        for (int i = 1; i < starts.Count; i++)
        {
            Assert.True(starts[i] - starts[i - 1] >= 600 + 3600, $"runs {starts[i - 1]} and {starts[i]} too close");
        }
    }

    [Fact]
    public void Soil_ProbeUnpluggedDuringSoilRun_FailsafeStop()
    {
        var rig = SoilRig();
        rig.Probes[0].Raw = 3300;
        rig.StartOnline();
        rig.Run(2_000);
        Assert.True(rig.Valves[0].IsOpen);

        rig.Probes[0].Raw = 0;
        rig.Run(40_000);

        Assert.False(rig.Valves[0].IsOpen);
        Assert.Equal("failsafe", rig.SentEvents("irrigation_stopped").Last().GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal("soil_moisture", rig.SentEvents("sensor_disconnected").Single().GetProperty("data").GetProperty("sensor").GetString());
    }

    [Fact]
    public void Soil_ProbeUnplugged_NeverStartsARun()
    {
        var rig = SoilRig();
        rig.Probes[0].Raw = 4095;
        rig.StartOnline();
        rig.Run(3600_000);

        Assert.Equal(0, rig.Valves[0].Opens);
        Assert.Empty(rig.SentEvents("soil_moisture"));
    }

    [Fact]
    public void Soil_Reading_ReportsCalibratedValueRawAndZone()
    {
        var rig = SoilRig();
        rig.Probes[0].Raw = 2710;
        rig.StartOnline();
        rig.Run(2_000);

        var data = rig.SentEvents("soil_moisture").First().GetProperty("data");
        Assert.Equal(345, data.GetProperty("record").GetInt32());
        Assert.Equal(2710, data.GetProperty("raw").GetInt32());
        Assert.Equal("zone1", data.GetProperty("zone").GetString());
    }

    private static Rig ScheduleRig(int minute)
    {
        var config = Rig.DefaultConfig();
        config.Schedules = new[] { new ScheduleConfig(1, minute, 300) };
        return new Rig(config);
    }

    [Fact]
    public void Schedule_TrustedClock_FiresOnceAtItsTime()
    {
        // Server time starts at 1764547200 = 00:00 UTC; schedule at 00:10.
        var rig = ScheduleRig(10);
        rig.StartOnline();
        rig.Run(9 * 60_000);
        Assert.False(rig.Valves[1].IsOpen);
        rig.Run(61_000);
        Assert.True(rig.Valves[1].IsOpen);
        var started = rig.SentEvents("irrigation_started").Single();
        Assert.Equal("schedule", started.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal(300, started.GetProperty("data").GetProperty("duration").GetInt32());

        rig.Run(3600_000);
        Assert.Single(rig.SentEvents("irrigation_started"));
        Assert.Equal(1, rig.Valves[1].Opens);
    }

    [Fact]
    public void Schedule_ClockNotTrusted_DoesNotFire()
    {
        var rig = ScheduleRig(10);
        rig.Link.ServerUp = false;
        rig.Start();
        rig.Run(30 * 60_000);

        Assert.Equal(0, rig.Valves[1].Opens);
    }

    [Fact]
    public void Schedule_TwoAtSameTimeSequential_SecondQueuedUntilFirstEnds()
    {
        var config = Rig.DefaultConfig();
        config.Schedules = new[] { new ScheduleConfig(0, 10, 300), new ScheduleConfig(1, 10, 200) };
        var rig = new Rig(config);
        rig.StartOnline();
        rig.Run(10 * 60_000 + 1_000);
        Assert.True(rig.Valves[0].IsOpen);
        Assert.False(rig.Valves[1].IsOpen);

        rig.Run(300_000);
        Assert.False(rig.Valves[0].IsOpen);
        Assert.True(rig.Valves[1].IsOpen);
        rig.Run(200_000);
        Assert.False(rig.Valves[1].IsOpen);
    }

    [Fact]
    public void Dht_FailingForAnHour_OneDisconnectOneReconnectAndFewLogEvents()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Run(120_000);
        rig.Climate.Next = ClimateSample.Failed;
        rig.Run(3600_000);
        rig.Climate.Next = new ClimateSample(true, 215, 500);
        rig.Run(600_000);

        Assert.Equal(new[] { "temperature", "humidity" }, rig.SentEvents("sensor_disconnected").Select(e => e.GetProperty("data").GetProperty("sensor").GetString()).OrderByDescending(s => s));
        Assert.Equal(2, rig.SentEvents("sensor_reconnected").Count);
        var logs = rig.SentEvents("log");
        Assert.InRange(logs.Count, 3, Controller.LogBurst + 2);
        Assert.Equal("W", logs[0].GetProperty("data").GetProperty("level").GetString());
        Assert.Equal("sensor: dht read failed misses=1", logs[0].GetProperty("data").GetProperty("message").GetString());
        Assert.Contains(rig.Log.Lines, l => l.EndsWith(" W sensor: dht read failed misses=3", StringComparison.Ordinal));
    }

    [Fact]
    public void Dht_GarbageReadings_NotReportedAsValues()
    {
        var rig = new Rig();
        // Never three bad reads in a row: each is rejected, none disconnects the sensor.
        rig.Climate.Queued.Enqueue(new ClimateSample(true, 10, 10));
        rig.Climate.Queued.Enqueue(new ClimateSample(true, 223, 455));
        rig.Climate.Queued.Enqueue(new ClimateSample(true, 223, 1200));
        rig.Climate.Queued.Enqueue(new ClimateSample(true, 223, 455));
        rig.Climate.Queued.Enqueue(new ClimateSample(true, 900, 500));
        rig.Climate.Queued.Enqueue(new ClimateSample(true, 0, 0));
        rig.Climate.Next = new ClimateSample(true, 223, 455);
        rig.StartOnline();
        rig.Run(200_000);

        Assert.All(rig.SentEvents("temperature"), e => Assert.Equal(223, e.GetProperty("data").GetProperty("record").GetInt32()));
        Assert.All(rig.SentEvents("humidity"), e => Assert.Equal(455, e.GetProperty("data").GetProperty("record").GetInt32()));
        Assert.Empty(rig.SentEvents("sensor_disconnected"));
    }

    [Fact]
    public void Dht_ShortestInterval_NeverReadFasterThanTwoSeconds()
    {
        var config = Rig.DefaultConfig();
        config.DhtIntervalSeconds = 2;
        var rig = new Rig(config) { TickMs = 100 };
        rig.StartOnline();
        rig.Run(60_000);

        Assert.True(rig.Climate.Reads >= 25);
        Assert.True(rig.Climate.MinGapMs >= 2000, $"gap {rig.Climate.MinGapMs} ms");
    }

    [Fact]
    public void Status_EverySixtySeconds_ContractFields()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Run(185_000);

        var statuses = rig.SentEvents("status");
        Assert.Equal(3, statuses.Count);
        var d = statuses[0].GetProperty("data");
        Assert.Equal(60, d.GetProperty("uptime").GetInt64());
        Assert.Equal(61234, d.GetProperty("free_heap").GetInt32());
        Assert.Equal(-67, d.GetProperty("rssi").GetInt32());
        Assert.Equal(0, d.GetProperty("open_zones").GetArrayLength());
        Assert.Equal(0, d.GetProperty("dropped").GetInt64());
        Assert.True(d.TryGetProperty("buffered", out _));
    }

    [Fact]
    public void Watchdog_ServerSilentAfterWelcome_Reconnects()
    {
        var rig = new Rig();
        rig.StartOnline();
        int connects = rig.Link.Connects;
        rig.Link.Silent = true;
        rig.Run(149_000);
        Assert.Equal(connects, rig.Link.Connects);

        rig.Run(10_000);
        Assert.True(rig.Link.Disconnects >= 1);
        Assert.Contains(rig.Log.Lines, l => l.Contains(" W link: watchdog: server silent retry_ms=", StringComparison.Ordinal));
        rig.Link.Silent = false;
        rig.Run(40_000);
        Assert.True(rig.Link.Connects > connects);
        Assert.Equal(LinkPhase.Ready, rig.Controller.LinkPhase);
    }

    [Fact]
    public void Link_ServerDown_BackoffGrowsCappedThenResetsAfterStableConnection()
    {
        var rig = new Rig(seed: 9);
        rig.Link.ServerUp = false;
        rig.Start();
        var delays = new List<long>();
        int attempts = 0;
        for (int i = 0; i < 40_000 && delays.Count < 12; i++)
        {
            rig.NowMs += rig.TickMs;
            rig.Step();
            if (rig.Controller.ConnectAttempts != attempts)
            {
                attempts = rig.Controller.ConnectAttempts;
            }

            if (rig.Controller.LinkPhase == LinkPhase.Waiting && (delays.Count == 0 || delays.Count < attempts))
            {
                delays.Add(rig.Controller.LastBackoffDelayMs);
            }
        }

        Assert.Equal(12, delays.Count);
        for (int i = 1; i < delays.Count; i++)
        {
            Assert.True(delays[i] >= delays[i - 1] || delays[i] >= 30_000, string.Join(",", delays));
        }

        Assert.All(delays, d => Assert.InRange(d, 500, 60_000));
        Assert.True(delays[^1] >= 30_000);

        rig.Link.ServerUp = true;
        rig.Run(130_000);
        Assert.Equal(LinkPhase.Ready, rig.Controller.LinkPhase);
        rig.Link.Drop();
        rig.Run(250);
        Assert.InRange(rig.Controller.LastBackoffDelayMs, 500, 1000);
    }

    [Fact]
    public void ServerError_ThenAck_NothingResent()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Run(5_000);
        int sent = rig.Link.Sent.Count;
        rig.Link.Enqueue("{\"event\":\"error\",\"data\":{\"code\":\"bad_field\",\"message\":\"nope\"}}");
        rig.Run(1_000);

        Assert.Contains(rig.Log.Lines, l => l.Contains("W link: server rejected a frame: nope code=bad_field", StringComparison.Ordinal));
        var seqs = Events(rig).Select(e => e.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(seqs.Distinct().Count(), seqs.Count);
        Assert.True(rig.Link.Sent.Count >= sent);
    }

    [Fact]
    public void BadFrameFromServer_LoggedAndIgnored()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Enqueue("{not json");
        rig.Link.Enqueue("{\"event\":\"party\",\"data\":{}}");
        rig.Run(500);

        Assert.Contains(rig.Log.Lines, l => l.Contains("W link: bad frame from server", StringComparison.Ordinal) && l.EndsWith("code=bad_json", StringComparison.Ordinal));
        Assert.Contains(rig.Log.Lines, l => l.EndsWith("code=unknown_event", StringComparison.Ordinal));
        Assert.Equal(LinkPhase.Ready, rig.Controller.LinkPhase);
    }

    [Fact]
    public void Reboot_DuringIrrigation_NewControllerClosesValveAndNeverResumes()
    {
        var config = Rig.DefaultConfig();
        config.Schedules = new[] { new ScheduleConfig(1, 10, 600) };
        var rig = new Rig(config);
        rig.StartOnline();
        rig.Run(10 * 60_000 + 30_000);
        Assert.True(rig.Valves[1].IsOpen);

        // Reboot: the relay pin may still be driven until the new controller starts.
        config.BootId = 99;
        rig.Controller = rig.Build(7);
        rig.Start();
        Assert.False(rig.Valves[1].IsOpen);
        rig.Run(30 * 60_000);

        Assert.Equal(1, rig.Valves[1].Opens);
    }

    [Fact]
    public void Ctor_InvalidConfig_Throws()
    {
        var config = Rig.DefaultConfig();
        config.DhtIntervalSeconds = 1;
        Assert.Throws<ArgumentException>(() => new Rig(config));
    }

    [Fact]
    public void Ctor_ValveCountMismatch_Throws()
    {
        var rig = new Rig();
        Assert.Throws<ArgumentException>(() => new Controller(rig.Config, rig.Climate, rig.Probes, new[] { rig.Valves[0] }, rig.Link, rig.Log, rig.Device, 1));
    }
}
