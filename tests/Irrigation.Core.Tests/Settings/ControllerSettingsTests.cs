using System.Text.Json;
using Irrigation.Core.Config;
using Irrigation.Core.Tests.Fakes;

namespace Irrigation.Core.Tests.Settings;

/// <summary>Settings delivered to a running controller: validated, stored, applied without a reboot, answered.</summary>
public class ControllerSettingsTests
{
    private const string ValidSettings = """{"zones":[{"name":"zone1","soil_probe":0,"dry":250,"wet":400},{"name":"zone2","max_duration":1200}],"dht_interval":20}""";

    private static string Irrigate(string id, int duration, string zone) =>
        "{\"event\":\"irrigate\",\"data\":{\"id\":\"" + id + "\",\"zones\":[\"" + zone + "\"],\"duration\":" + duration + "}}";

    private static JsonElement Data(JsonElement e) => e.GetProperty("data");

    // Event names in order, without the answers to settings frames (the rejection's answer and its log line).
    private static string[] Kinds(Rig rig) =>
        rig.Link.Sent.Select(f => JsonDocument.Parse(f).RootElement)
            .Where(e => e.GetProperty("event").GetString() is not ("settings_rejected" or "settings_applied")
                && !(e.GetProperty("event").GetString() == "log" && Data(e).GetProperty("message").GetString()!.StartsWith("settings:", StringComparison.Ordinal)))
            .Select(e => e.GetProperty("event").GetString()!).ToArray();

    [Fact]
    public void Settings_Valid_AppliedWithoutRebootAndAnswered()
    {
        var rig = new Rig();
        rig.StartOnline();
        int connects = rig.Link.Connects;
        long bootSeq = rig.Controller.LastSeq;

        rig.Link.Settings(4, ValidSettings, 3600);
        rig.Run(500);

        var applied = Data(rig.SentEvents("settings_applied").Single());
        Assert.Equal(4, applied.GetProperty("version").GetInt32());
        Assert.True(applied.GetProperty("time").GetInt64() >= 1764547200);
        Assert.Equal(4, rig.Controller.SettingsVersion);
        Assert.Equal(3600, rig.Controller.UtcOffsetSeconds);
        Assert.Equal(250, rig.Controller.Config.Zones[0].DryDeciPercent);
        Assert.Equal(20, rig.Controller.Config.DhtIntervalSeconds);
        Assert.Equal("farm-01", rig.Controller.Config.DeviceId);
        Assert.Equal(connects, rig.Link.Connects);
        Assert.True(rig.Controller.LastSeq > bootSeq);
        Assert.Contains(rig.Log.Lines, l => l.EndsWith(" I settings: applied version=4", StringComparison.Ordinal));
    }

    [Fact]
    public void Settings_Applied_TakesEffectForTheRulesAtOnce()
    {
        // The soil reads 37.5 %: wet enough for the board's dry threshold (30 %), too dry for the new one (40 %).
        var rig = new Rig(Rig.SoilRuleConfig());
        rig.Probes[0].Raw = 2650;
        rig.StartOnline();
        rig.Run(30_000);
        Assert.Equal(0, rig.Valves[0].Opens);

        rig.Link.Settings(1, """{"zones":[{"name":"zone1","soil_probe":0,"dry":400,"wet":600,"min_interval":0},{"name":"zone2"}]}""");
        rig.Run(11_000);

        Assert.True(rig.Valves[0].IsOpen);
        Assert.Equal("soil_dry", Data(rig.SentEvents("irrigation_started").Single()).GetProperty("reason").GetString());
    }

    /// <summary>Acceptance: settings applied mid-run never extend an open lease (a lower max_duration cuts it).</summary>
    [Fact]
    public void Settings_MidRun_NeverExtendAnOpenLease()
    {
        var config = Rig.DefaultConfig();
        config.MaxOpenZones = 2;
        var rig = new Rig(config);
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-1", 600, "zone1"));
        rig.Link.Enqueue(Irrigate("c-2", 300, "zone2"));
        rig.Run(250);
        long zone1Opened = rig.Valves[0].OpenedAtMs;
        long zone1End = rig.Controller.ZoneLeaseEndMs(0);
        long zone2End = rig.Controller.ZoneLeaseEndMs(1);
        Assert.Equal(zone1Opened + 600_000, zone1End);

        // Longer maximums, a longer run, cycles, a schedule now: none of it may lengthen what is open.
        rig.Run(100_000);
        rig.Link.Settings(1, """{"max_open_zones":2,"zones":[{"name":"zone1","max_duration":86400,"run":7200,"cycle":900},{"name":"zone2","max_duration":86400}],"seasonal_percent":250}""");
        rig.Run(250);
        Assert.Equal(1, rig.Controller.SettingsVersion);
        Assert.Equal(zone1End, rig.Controller.ZoneLeaseEndMs(0));
        Assert.Equal(zone2End, rig.Controller.ZoneLeaseEndMs(1));

        // A lower maximum cuts zone1's lease to 120 s after it opened; zone2 keeps its own.
        rig.Link.Settings(2, """{"max_open_zones":2,"zones":[{"name":"zone1","max_duration":120},{"name":"zone2","max_duration":86400}]}""");
        rig.Run(250);
        Assert.Equal(zone1Opened + 120_000, rig.Controller.ZoneLeaseEndMs(0));
        Assert.Equal(zone2End, rig.Controller.ZoneLeaseEndMs(1));

        rig.Run(zone2End - rig.NowMs);
        Assert.Equal((zone1Opened + 120_000, false), rig.Valves[0].Timeline[^1]);
        Assert.Equal((zone2End, false), rig.Valves[1].Timeline[^1]);
        Assert.Equal(new[] { "completed", "completed" }, rig.SentEvents("irrigation_stopped").Skip(1).Select(e => Data(e).GetProperty("reason").GetString()));
    }

    [Fact]
    public void Settings_LowerMaxDuration_LeaseEndsAtTheNewCap()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Enqueue(Irrigate("c-1", 1200, "zone1"));
        rig.Run(250);
        long opened = rig.Valves[0].OpenedAtMs;

        rig.Run(60_000);
        rig.Link.Settings(1, """{"zones":[{"name":"zone1","max_duration":300},{"name":"zone2"}]}""");
        rig.Run(250);

        Assert.Equal(opened + 300_000, rig.Controller.ZoneLeaseEndMs(0));
        rig.Run(opened + 300_000 - rig.NowMs);
        Assert.False(rig.Valves[0].IsOpen);
        Assert.Equal(opened + 300_000, rig.Valves[0].Timeline[^1].Ms);
    }

    /// <summary>Acceptance: a rejected settings frame leaves behaviour unchanged (valves, events, config, version).</summary>
    [Fact]
    public void Settings_Rejected_BehaviourUnchanged()
    {
        Rig World(bool sendBadSettings)
        {
            var config = Rig.SoilRuleConfig(600);
            config.Schedules = new[] { new ScheduleConfig(1, 20, 300) };
            var rig = new Rig(config);
            rig.Probes[0].Raw = 3300;
            rig.StartOnline();
            rig.Run(60_000);
            if (sendBadSettings)
            {
                rig.Link.Settings(5, """{"zones":[{"name":"zone1","soil_probe":0,"dry":2000},{"name":"zone 2"}],"schedules":[],"dht_interval":1,"rain_delay_until":4102444799}""");
            }

            rig.Run(3 * 3600_000L);
            return rig;
        }

        var baseline = World(false);
        var rejected = World(true);

        Assert.Equal(baseline.Valves[0].Timeline, rejected.Valves[0].Timeline);
        Assert.Equal(baseline.Valves[1].Timeline, rejected.Valves[1].Timeline);
        Assert.NotEmpty(baseline.Valves[1].Timeline);
        Assert.Equal(0, rejected.Controller.SettingsVersion);
        Assert.Equal(300, rejected.Controller.Config.Zones[0].DryDeciPercent);
        Assert.Same(rejected.Config, rejected.Controller.Config);
        var errors = Data(rejected.SentEvents("settings_rejected").Single());
        Assert.Equal(5, errors.GetProperty("version").GetInt32());
        Assert.Equal(new[]
        {
            "zones[0].dry: must be 0 to 1000 (is 2000)",
            "zones[0].wet: must be above dry (2000) so the soil rule has hysteresis",
            "zones[1].name: must be 1 to 32 letters, digits, '-' or '_'",
            "dht_interval: must be 2 to 3600 (is 1)",
        }, errors.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        // The same events otherwise (the rejection's own warning is mirrored as a log event).
        Assert.Equal(Kinds(baseline), Kinds(rejected));
        Assert.Equal("settings: rejected: zones[0].dry: must be 0 to 1000 (is 2000) version=5 errors=4", Data(rejected.SentEvents("log").Single()).GetProperty("message").GetString());
        Assert.Empty(rejected.SentEvents("settings_applied"));
    }

    /// <summary>Acceptance: nothing applied twice: the same version again is acknowledged, not stored or applied again.</summary>
    [Fact]
    public void Settings_SameVersionRedelivered_AckedAgainNotAppliedTwice()
    {
        var flash = new FlashModel();
        var rig = new Rig(valves: 3, flash: flash);
        rig.StartOnline();
        rig.Link.Settings(3, """{"zones":[{"name":"zone1"},{"name":"zone2"},{"name":"zone3"}],"max_open_zones":2}""");
        rig.Run(250);
        rig.Link.Enqueue(Irrigate("c-1", 600, "zone3"));
        rig.Run(250);
        rig.Link.Settings(4, "{}");
        rig.Run(250);
        int stepsAfterFirst = flash.StepsDone;
        int stopsAfterFirst = rig.SentEvents("irrigation_stopped").Count;
        long seqBefore = rig.Controller.LastSeq;

        rig.Link.Settings(4, "{}");
        rig.Run(250);

        Assert.Equal(new[] { 3, 4, 4 }, rig.SentEvents("settings_applied").Select(e => Data(e).GetProperty("version").GetInt32()));
        Assert.Equal(stepsAfterFirst, flash.StepsDone);
        Assert.Equal(stopsAfterFirst, rig.SentEvents("irrigation_stopped").Count);
        Assert.Equal(seqBefore + 1, rig.Controller.LastSeq);
        Assert.Equal(4, rig.Controller.SettingsVersion);
    }

    [Fact]
    public void Settings_RemoveAnOpenZone_ClosedAsManualAndGoneFromHello()
    {
        var rig = new Rig(valves: 3);
        rig.StartOnline();
        rig.Link.Settings(1, """{"zones":[{"name":"zone1"},{"name":"zone2"},{"name":"hedge"}]}""");
        rig.Run(250);
        rig.Link.Enqueue(Irrigate("c-1", 600, "hedge"));
        rig.Run(250);
        Assert.True(rig.Valves[2].IsOpen);

        rig.Link.Settings(2, "{}");
        rig.Run(250);
        rig.Link.Drop();
        rig.Run(5_000);

        Assert.False(rig.Valves[2].IsOpen);
        var stop = Data(rig.SentEvents("irrigation_stopped").Last());
        Assert.Equal("manual", stop.GetProperty("reason").GetString());
        Assert.Equal("hedge", stop.GetProperty("zones")[0].GetString());
        var hellos = rig.SentEvents("hello");
        Assert.Equal(2, hellos.Count);
        Assert.Equal(new[] { "zone1", "zone2" }, Data(hellos[1]).GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        Assert.Equal(2, Data(hellos[1]).GetProperty("settings_version").GetInt32());
    }

    [Fact]
    public void Settings_MoreZonesThanRelays_RejectedWithTheHardware()
    {
        var rig = new Rig();
        rig.StartOnline();

        rig.Link.Settings(2, """{"zones":[{"name":"a"},{"name":"b"},{"name":"c"}],"soil":[{"dry_raw":3400,"wet_raw":1400},{"dry_raw":3400,"wet_raw":1400}]}""");
        rig.Run(250);

        var errors = Data(rig.SentEvents("settings_rejected").Single()).GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToArray();
        Assert.Equal(new[] { "zones: this controller has 2 valves (the settings name 3 zones)", "soil: this controller has 1 soil inputs (the settings calibrate 2 probes)" }, errors);
        Assert.Equal(2, rig.Controller.ZoneCount);
    }

    [Fact]
    public void Settings_UnknownKey_AppliedWithAWarningInTheLog()
    {
        var rig = new Rig();
        rig.StartOnline();

        rig.Link.Settings(1, """{"flow_meter":{"pin":4},"dht_interval":40}""");
        rig.Run(250);

        Assert.Equal(1, rig.Controller.SettingsVersion);
        Assert.Contains(rig.Log.Lines, l => l.EndsWith(" W settings: flow_meter: unknown key, ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void Settings_WithoutAStore_RunFromRamAndTheBoardFileAfterReboot()
    {
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Settings(6, """{"dht_interval":40}""");
        rig.Run(250);
        Assert.Equal(6, rig.Controller.SettingsVersion);

        rig.Reboot();
        rig.Run(3_000);

        Assert.Equal(0, rig.Controller.SettingsVersion);
        Assert.Equal(30, rig.Controller.Config.DhtIntervalSeconds);
        Assert.Equal(0, Data(rig.SentEvents("hello").Last()).GetProperty("settings_version").GetInt32());
    }

    [Fact]
    public void Boot_StoredSettings_RunAndHelloReportsTheirVersion()
    {
        var flash = new FlashModel();
        var rig = new Rig(flash: flash);
        rig.StartOnline();
        rig.Link.Settings(5, """{"dht_interval":40,"zones":[{"name":"beds"},{"name":"lawn"}]}""");
        rig.Run(250);

        rig.Reboot();
        rig.Run(3_000);

        Assert.Equal(5, rig.Controller.SettingsVersion);
        Assert.Equal(40, rig.Controller.Config.DhtIntervalSeconds);
        var hello = Data(rig.SentEvents("hello").Last());
        Assert.Equal(5, hello.GetProperty("settings_version").GetInt32());
        Assert.Equal(new[] { "beds", "lawn" }, hello.GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        Assert.Contains(rig.Log.Lines, l => l.EndsWith(" I settings: running stored settings version=5", StringComparison.Ordinal));
    }

    [Fact]
    public void Boot_StoredSettingsNoLongerFit_BoardFileRunsVersionZero()
    {
        // Stored on a board with 3 relays; the firmware now gives the core only 2.
        var flash = new FlashModel();
        var before = new Rig(valves: 3, flash: flash);
        before.StartOnline();
        before.Link.Settings(5, """{"zones":[{"name":"a"},{"name":"b"},{"name":"c"}]}""");
        before.Run(250);
        Assert.Equal(5, before.Controller.SettingsVersion);

        var after = new Rig(flash: flash);
        after.StartOnline();

        Assert.Equal(0, after.Controller.SettingsVersion);
        Assert.Equal(new[] { "zone1", "zone2" }, after.Controller.Config.ZoneNames());
        Assert.Contains(after.Log.Lines, l => l.Contains(" E settings: stored version 5 cannot run, running the board's file: zones: this controller has 2 valves", StringComparison.Ordinal));
    }

    /// <summary>Acceptance: a power cut at every step of the settings write; the board boots with the old or the new, and says which.</summary>
    [Fact]
    public void Settings_PowerCutAtEveryStepOfTheWrite_RebootRunsOldOrNewAndSaysWhich()
    {
        string next = """{"dht_interval":40,"zones":[{"name":"zone1","run":900},{"name":"zone2","cycle":300}],"schedules":[{"zone":"zone2","at":"06:00","days":["mon","tue","wed","thu","fri"],"duration":1200}],"seasonal_percent":90}""";
        int steps = FlashModel.StepsToWrite("{\"generation\":2,\"version\":2,\"crc32\":\"00000000\",\"settings\":" + next + "}");
        for (int cut = 0; cut <= steps; cut++)
        {
            var flash = new FlashModel();
            var rig = new Rig(flash: flash);
            rig.StartOnline();
            rig.Link.Settings(1, """{"dht_interval":20}""");
            rig.Run(250);
            Assert.Equal(1, rig.Controller.SettingsVersion);

            flash.CutBeforeStep = cut;
            rig.Link.Settings(2, next);
            rig.Step();
            // On the board nothing runs after the cut: power comes back and the board boots.
            flash.CutBeforeStep = -1;
            rig.Reboot();
            rig.Run(3_000);

            int version = rig.Controller.SettingsVersion;
            Assert.True(version is 1 or 2, $"cut {cut}: version {version}");
            Assert.Equal(cut == steps ? 2 : 1, version);
            Assert.Equal(version == 2 ? 40 : 20, rig.Controller.Config.DhtIntervalSeconds);
            Assert.Equal(version, Data(rig.SentEvents("hello").Last()).GetProperty("settings_version").GetInt32());
        }
    }

    [Fact]
    public void Settings_FlashWriteFails_RejectedAndTheOldSettingsKeepRunning()
    {
        var flash = new FlashModel();
        var rig = new Rig(flash: flash);
        rig.StartOnline();
        rig.Link.Settings(1, """{"dht_interval":20}""");
        rig.Run(250);
        flash.FailWrites = "no space left on device";

        rig.Link.Settings(2, """{"dht_interval":40}""");
        rig.Run(250);

        Assert.Equal(1, rig.Controller.SettingsVersion);
        Assert.Equal(20, rig.Controller.Config.DhtIntervalSeconds);
        var rejected = Data(rig.SentEvents("settings_rejected").Single());
        Assert.Equal(@"storage: could not write I:\settings-b.json: no space left on device", rejected.GetProperty("errors")[0].GetString());
    }

    [Fact]
    public void Settings_TwoRejectionsBeforeSending_OlderOneSaysItsDetailsWereReplaced()
    {
        // Both frames are handled in one tick, before either answer is encoded for sending.
        var rig = new Rig();
        rig.StartOnline();
        rig.Link.Settings(7, """{"dht_interval":1}""");
        rig.Link.Settings(8, """{"dht_interval":0}""");
        rig.Run(250);

        var rejections = rig.SentEvents("settings_rejected").Select(Data).ToList();
        Assert.Equal(new[] { 7, 8 }, rejections.Select(r => r.GetProperty("version").GetInt32()));
        Assert.Equal("the details were replaced by a later rejection", rejections[0].GetProperty("errors")[0].GetString());
        Assert.Equal("dht_interval: must be 2 to 3600 (is 0)", rejections[1].GetProperty("errors")[0].GetString());
    }

    [Fact]
    public void Ctor_MoreRelaysThanZones_ExtraRelaysClosedAtBootAndNeverDriven()
    {
        var rig = new Rig(valves: 4);
        rig.Valves[3].IsOpen = true;

        rig.StartOnline();
        rig.Link.Enqueue("{\"event\":\"stop\",\"data\":{\"id\":\"c-1\",\"zones\":[]}}");
        rig.Run(60_000);

        Assert.False(rig.Valves[3].IsOpen);
        Assert.Equal(new[] { "close" }, rig.Valves[3].Calls.Distinct());
        Assert.Equal(new[] { "zone1", "zone2" }, Data(rig.SentEvents("irrigation_stopped")[0]).GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
    }
}
