using Irrigation.Core.Config;
using Irrigation.Core.Sensors;

namespace Irrigation.Core.Tests.Config;

/// <summary>The server's settings read on top of the board's file: overlay per top-level key, every error listed.</summary>
public class SettingsReaderTests
{
    // A board's file with values that differ from the defaults, so an overlay that forgot one shows.
    private const string BoardFile = """
    {
      "device": "farm-01", "token": "tok-secret", "server": "ws://10.0.0.2:5000/",
      "zones": [
        { "name": "beds", "soil_probe": 0, "dry": 280, "wet": 420, "run": 400, "max_duration": 1200 },
        { "name": "lawn", "max_duration": 900 }
      ],
      "soil": [ { "dry_raw": 3100, "wet_raw": 1250 } ],
      "schedules": [ { "zone": "lawn", "at": "05:30", "duration": 600 } ],
      "dht_interval": 10
    }
    """;

    private static ControllerConfig Board()
    {
        var read = ControllerConfigReader.Read(BoardFile);
        Assert.True(read.IsValid, string.Join("; ", read.Errors));
        return read.Config!;
    }

    private static ConfigReadResult Read(string settings, bool strict = false) =>
        ControllerConfigReader.ReadSettings(settings, Board(), strict);

    [Fact]
    public void ReadSettings_EmptyObject_IsTheBoardsFile()
    {
        var result = Read("{}");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var c = result.Config!;
        Assert.Equal(new[] { "beds", "lawn" }, c.ZoneNames());
        Assert.Equal(10, c.DhtIntervalSeconds);
        Assert.Equal(3100, c.SoilProbes[0].DryRaw);
        Assert.Equal("farm-01", c.DeviceId);
        Assert.Equal("tok-secret", c.Token);
    }

    [Fact]
    public void ReadSettings_OnlyRainDelay_EverythingElseKeptFromTheBoard()
    {
        var result = Read("""{"rain_delay_until":1764720000}""");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var c = result.Config!;
        Assert.Equal(1764720000, c.RainDelayUntil);
        Assert.Equal(280, c.Zones[0].DryDeciPercent);
        Assert.Equal(1250, c.SoilProbes[0].WetRaw);
        Assert.Equal(1, Assert.Single(c.Schedules).ZoneIndex);
    }

    [Fact]
    public void ReadSettings_FullSettings_EveryKeyRead()
    {
        var result = Read("""
        {
          "zones": [
            { "name": "beds", "max_duration": 1200, "soil_probe": 0, "dry": 300, "wet": 450, "run": 2400, "min_interval": 7200, "cycle": 600, "soak": 1200 },
            { "name": "lawn", "max_duration": 900 },
            { "name": "hedge", "max_duration": 300 }
          ],
          "soil": [ { "dry_raw": 3300, "wet_raw": 1300 } ],
          "max_open_zones": 2,
          "schedules": [ { "zone": "hedge", "at": "06:15", "days": ["mon", "Thu"], "duration": 120 } ],
          "seasonal_percent": 80,
          "rain_delay_until": 0,
          "freeze_skip_below": 20,
          "dht_interval": 20, "soil_interval": 30, "soil_samples": 5, "status_interval": 120,
          "keepalive": 20, "watchdog": 300, "buffer_capacity": 128, "send_window": 4, "backoff_cap": 120, "stable_after": 90
        }
        """);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var c = result.Config!;
        Assert.Equal(new[] { "beds", "lawn", "hedge" }, c.ZoneNames());
        Assert.Equal(600, c.Zones[0].CycleSeconds);
        Assert.Equal(1200, c.Zones[0].SoakSeconds);
        Assert.Equal(2400, c.Zones[0].RunSeconds);
        Assert.Equal(0, c.Zones[1].CycleSeconds);
        Assert.Equal(ZoneConfig.DefaultSoakSeconds, c.Zones[1].SoakSeconds);
        var s = Assert.Single(c.Schedules);
        Assert.Equal(2, s.ZoneIndex);
        Assert.Equal(6 * 60 + 15, s.MinuteOfDay);
        Assert.Equal((1 << 1) | (1 << 4), s.Days);
        Assert.True(s.RunsOn(1));
        Assert.False(s.RunsOn(0));
        Assert.Equal(80, c.SeasonalPercent);
        Assert.Equal(20, c.FreezeSkipBelowDeciCelsius);
        Assert.Equal(2, c.MaxOpenZones);
        Assert.Equal((20, 30, 5, 120), (c.DhtIntervalSeconds, c.SoilIntervalSeconds, c.SoilSamples, c.StatusIntervalSeconds));
        Assert.Equal((20, 300, 128, 4, 120, 90), (c.KeepaliveSeconds, c.WatchdogSeconds, c.BufferCapacity, c.SendWindow, c.BackoffCapSeconds, c.StableConnectionSeconds));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void ReadSettings_FreezeNull_TurnsFreezeSkipOff()
    {
        var on = ControllerConfigReader.ReadSettings("""{"freeze_skip_below":15}""", Board(), false).Config!;

        var off = ControllerConfigReader.ReadSettings("""{"freeze_skip_below":null}""", on, false).Config!;

        Assert.Equal(15, on.FreezeSkipBelowDeciCelsius);
        Assert.Equal(ControllerConfig.FreezeSkipOff, off.FreezeSkipBelowDeciCelsius);
    }

    [Fact]
    public void ReadSettings_BaseIsNotChanged()
    {
        var board = Board();

        var result = ControllerConfigReader.ReadSettings("""{"zones":[{"name":"lawn"},{"name":"beds"}],"dht_interval":60}""", board, false);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new[] { "beds", "lawn" }, board.ZoneNames());
        Assert.Equal(1, board.Schedules[0].ZoneIndex);
        Assert.Equal(10, board.DhtIntervalSeconds);
        Assert.Equal(0, result.Config!.Schedules[0].ZoneIndex);
    }

    [Fact]
    public void ReadSettings_ZonesWithoutAScheduledZone_SaysTheKeptScheduleNeedsIt()
    {
        var result = Read("""{"zones":[{"name":"beds"}]}""");

        Assert.False(result.IsValid);
        Assert.Contains("schedules[0].zone: no zone named 'lawn' (these schedules come from the board's file; send schedules with the zones)", result.Errors);
    }

    [Theory]
    [InlineData("device")]
    [InlineData("token")]
    [InlineData("server")]
    [InlineData("wifi")]
    public void ReadSettings_ConnectionKey_Refused(string key)
    {
        var result = Read("{\"" + key + "\":\"x\"}");

        Assert.Equal(key + ": not a setting; it stays in the board's file", Assert.Single(result.Errors));
    }

    [Fact]
    public void ReadSettings_UnknownKey_WarningOnTheDeviceErrorOnTheServer()
    {
        const string settings = """{"dht_interval":20,"flow_meter":{"pin":4},"zones":[{"name":"beds","colour":"red"},{"name":"lawn"}]}""";

        var device = Read(settings);
        var server = Read(settings, strict: true);

        Assert.True(device.IsValid);
        Assert.Equal(new[] { "flow_meter: unknown key, ignored", "zones[0].colour: unknown key, ignored" }, device.Warnings);
        Assert.Equal(new[] { "flow_meter: unknown key", "zones[0].colour: unknown key" }, server.Errors);
    }

    [Fact]
    public void ReadSettings_SeveralWrongFields_EveryOneWithItsPath()
    {
        var result = Read("""
        {
          "zones": [ { "name": "beds", "dry": 2000, "wet": 400, "cycle": -3 }, { "name": "bad name" } ],
          "schedules": [ { "zone": "beds", "at": "25:00", "days": ["mon", "xyz"], "duration": 60 } ],
          "seasonal_percent": -1,
          "soil_interval": "often"
        }
        """, strict: true);

        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        Assert.Contains("zones[0].dry: must be 0 to 1000 (is 2000)", result.Errors);
        Assert.Contains("zones[0].cycle: must be 1 to 1800 (is -3)", result.Errors);
        Assert.Contains("zones[0].wet: must be above dry (2000) so the soil rule has hysteresis", result.Errors);
        Assert.Contains("zones[1].name: must be 1 to 32 letters, digits, '-' or '_'", result.Errors);
        Assert.Contains("schedules[0].at: must be \"HH:MM\" (local time, 00:00 to 23:59)", result.Errors);
        Assert.Contains("schedules[0].days: must list day names (sun, mon, tue, wed, thu, fri, sat), each once", result.Errors);
        Assert.Contains("soil_interval: must be a whole number", result.Errors);
    }

    [Fact]
    public void ReadSettings_TypeErrorsAndRangeErrors_BothListedNothingAboutFallbacks()
    {
        // zones[0].dry is unreadable, so its fallback (300) must not produce "wet must be above dry (300)".
        var result = Read("""{"seasonal_percent":-1,"dht_interval":"x","zones":[{"name":"beds","dry":"x","wet":200},{"name":"lawn","wet":2000}]}""");

        Assert.Equal(new[] { "dht_interval: must be a whole number", "zones[0].dry: must be a whole number", "zones[1].wet: must be 0 to 1000 (is 2000)", "seasonal_percent: must be 0 to 250 (is -1)" }, result.Errors);
    }

    [Fact]
    public void ReadSettings_CycledZone_ScheduleAndRunMayExceedTheLeaseCap()
    {
        var result = Read("""
        {"zones":[{"name":"beds","max_duration":900,"cycle":600,"run":3000},{"name":"lawn","max_duration":900}],
         "schedules":[{"zone":"beds","at":"05:00","duration":3600},{"zone":"lawn","at":"05:00","duration":1200}]}
        """);

        Assert.Equal(new[] { "schedules[1].duration: must be 1 to 900 (is 1200)" }, result.Errors);
    }

    [Fact]
    public void ReadSettings_HugeLists_BoundedMessagesAndEntries()
    {
        string zones = string.Join(",", Enumerable.Range(0, 100).Select(i => "{\"name\":\"z" + i + "\"}"));
        string junk = string.Join(",", Enumerable.Range(0, 300).Select(i => "\"k" + i + "\":1"));

        var result = Read("{\"zones\":[" + zones + "]," + junk + "}");

        Assert.Contains("zones: at most 16 zones", result.Errors);
        Assert.Equal(ControllerConfigReader.MaxMessages, result.Warnings.Length);
        Assert.Equal("... and 269 more warnings", result.Warnings[^1]);
    }

    [Fact]
    public void ReadSettings_ManyErrors_CappedWithACount()
    {
        string zones = string.Join(",", Enumerable.Range(0, 16).Select(i => "{\"name\":\"z" + i + "\",\"dry\":\"a\",\"wet\":\"b\",\"run\":\"c\"}"));

        var result = ControllerConfigReader.ReadSettings("{\"zones\":[" + zones + "]}", null, false);

        Assert.Equal(ControllerConfigReader.MaxMessages, result.Errors.Length);
        Assert.Equal("... and 17 more errors", result.Errors[^1]);
    }

    [Theory]
    [InlineData("", "settings: empty")]
    [InlineData("[]", "settings: must be one JSON object")]
    [InlineData("{\"zones\":", "not valid JSON: unexpected end of text at 9")]
    public void ReadSettings_NotAnObject_OneClearError(string text, string expected)
    {
        var result = Read(text);

        Assert.Equal(expected, Assert.Single(result.Errors));
    }

    [Fact]
    public void ReadSettings_NullBase_OverlaysTheDefaults()
    {
        var result = ControllerConfigReader.ReadSettings("""{"zones":[{"name":"north"},{"name":"south"}],"max_open_zones":2}""", null, true);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Config!.MaxOpenZones);
        Assert.Equal(SoilCalibration.DefaultDryRaw, result.Config.SoilProbes[0].DryRaw);
    }

    [Fact]
    public void CheckSettings_DeviceZones_SchedulesMayNameThemUnknownKeysRefused()
    {
        var ok = ControllerConfigReader.CheckSettings("""{"schedules":[{"zone":"lawn","at":"06:00","duration":60}]}""", new[] { "beds", "lawn" });
        var typo = ControllerConfigReader.CheckSettings("""{"seasonal_percnt":80}""", new[] { "beds", "lawn" });
        var unknownZone = ControllerConfigReader.CheckSettings("""{"schedules":[{"zone":"lawn","at":"06:00","duration":60}]}""", Array.Empty<string>());

        Assert.True(ok.IsValid, string.Join("; ", ok.Errors));
        Assert.Equal(new[] { "seasonal_percnt: unknown key" }, typo.Errors);
        Assert.Equal(new[] { "schedules[0].zone: no zone named 'lawn'" }, unknownZone.Errors);
    }

    [Fact]
    public void Copy_ChangingTheCopy_LeavesTheOriginal()
    {
        var board = Board();

        var copy = board.Copy();
        copy.Zones[0].Name = "x";
        copy.Schedules[0].DurationSeconds = 1;
        copy.SoilProbes[0] = new SoilCalibration(1, 2000);

        Assert.Equal("beds", board.Zones[0].Name);
        Assert.Equal(600, board.Schedules[0].DurationSeconds);
        Assert.Equal(3100, board.SoilProbes[0].DryRaw);
    }

    [Theory]
    [InlineData("zone1", true)]
    [InlineData("Front_Lawn-2", true)]
    [InlineData("front lawn", false)]
    [InlineData("", false)]
    [InlineData("z\u00e9", false)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false)]
    public void IsZoneName_ServerRule(string name, bool valid)
    {
        Assert.Equal(valid, ControllerConfig.IsZoneName(name));
    }
}
