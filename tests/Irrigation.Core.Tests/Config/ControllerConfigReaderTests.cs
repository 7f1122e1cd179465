using Irrigation.Core.Config;

namespace Irrigation.Core.Tests.Config;

public class ControllerConfigReaderTests
{
    public const string FullExample = """
    {
      "device": "farm-01",
      "token": "tok-secret",
      "server": "wss://irrigation.example.org/",
      "wifi": { "ssid": "farm", "password": "correct horse" },
      "zones": [
        { "name": "beds", "max_duration": 1800, "soil_probe": 0, "dry": 300, "wet": 450, "run": 600, "min_interval": 3600 },
        { "name": "lawn", "max_duration": 900 }
      ],
      "soil": [ { "dry_raw": 3400, "wet_raw": 1400 } ],
      "max_open_zones": 1,
      "schedules": [ { "zone": "lawn", "at": "05:30", "duration": 600 } ],
      "dht_interval": 30,
      "soil_interval": 60,
      "status_interval": 60
    }
    """;

    [Fact]
    public void Read_FullExample_AllFieldsSet()
    {
        var result = ControllerConfigReader.Read(FullExample, "1.2.3", 77);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var c = result.Config!;
        Assert.Equal("farm-01", c.DeviceId);
        Assert.Equal("tok-secret", c.Token);
        Assert.Equal("wss://irrigation.example.org/", c.ServerUrl);
        Assert.Equal("farm", c.WifiSsid);
        Assert.Equal("correct horse", c.WifiPassword);
        Assert.Equal("1.2.3", c.FirmwareVersion);
        Assert.Equal(77, c.BootId);
        Assert.Equal(new[] { "beds", "lawn" }, c.ZoneNames());
        Assert.Equal(0, c.Zones[0].SoilProbe);
        Assert.Equal(300, c.Zones[0].DryDeciPercent);
        Assert.Equal(450, c.Zones[0].WetDeciPercent);
        Assert.Equal(600, c.Zones[0].RunSeconds);
        Assert.Equal(3600, c.Zones[0].MinIntervalSeconds);
        Assert.Equal(900, c.Zones[1].MaxDurationSeconds);
        Assert.Equal(600, c.Zones[1].RunSeconds);
        Assert.Equal(-1, c.Zones[1].SoilProbe);
        Assert.Equal(3400, c.SoilProbes[0].DryRaw);
        Assert.Equal(1400, c.SoilProbes[0].WetRaw);
        var s = Assert.Single(c.Schedules);
        Assert.Equal(1, s.ZoneIndex);
        Assert.Equal(5 * 60 + 30, s.MinuteOfDay);
        Assert.Equal(ScheduleConfig.EveryDay, s.Days);
        Assert.Equal(600, s.DurationSeconds);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Read_DocsExample_IsValid()
    {
        // docs/config.md shows the full example; it must stay a file the reader accepts.
        string md = File.ReadAllText(global::Irrigation.Tests.Support.RepoPaths.Combine("docs", "config.md"));
        int start = md.IndexOf("```json", StringComparison.Ordinal) + 7;
        int end = md.IndexOf("```", start, StringComparison.Ordinal);

        var result = ControllerConfigReader.Read(md[start..end]);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Read_Minimal_DefaultsApply()
    {
        var result = ControllerConfigReader.Read("""{"device":"d1","token":"t","server":"ws://10.0.0.2:5000/"}""");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var c = result.Config!;
        Assert.Equal("zone1", Assert.Single(c.Zones).Name);
        Assert.Equal(1800, c.Zones[0].MaxDurationSeconds);
        Assert.Single(c.SoilProbes);
        Assert.Equal(1, c.MaxOpenZones);
        Assert.Equal(30, c.DhtIntervalSeconds);
        Assert.Equal(60, c.StatusIntervalSeconds);
        Assert.Empty(c.Schedules);
    }

    [Fact]
    public void Read_WaterKeys_ReadWithSafeDefaults()
    {
        var defaults = ControllerConfigReader.Read("""{"device":"d1","token":"t","server":"ws://10.0.0.2:5000/"}""").Config!;
        var result = ControllerConfigReader.Read("""{"device":"d1","token":"t","server":"ws://10.0.0.2:5000/","pulses_per_litre":450,"master_lead":3,"master_lag":5,"flow_settle":40,"flow_high":200,"flow_high_delay":12,"flow_low":0,"flow_low_delay":90,"flow_none_delay":45,"leak_rate":8,"leak_delay":300}""");

        // No meter unless one is calibrated: every water feature is off by default.
        Assert.False(defaults.HasFlowMeter);
        Assert.Equal((0, 0, 0, 30, 150, 15, 50, 60, 30, 5, 120), (defaults.PulsesPerLitre, defaults.MasterLeadSeconds, defaults.MasterLagSeconds, defaults.FlowSettleSeconds,
            defaults.FlowHighPercent, defaults.FlowHighDelaySeconds, defaults.FlowLowPercent, defaults.FlowLowDelaySeconds, defaults.FlowNoneDelaySeconds,
            defaults.LeakRateDeciLitresPerMinute, defaults.LeakDelaySeconds));
        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var c = result.Config!;
        Assert.True(c.HasFlowMeter);
        Assert.Equal((450, 3, 5, 40, 200, 12, 0, 90, 45, 8, 300), (c.PulsesPerLitre, c.MasterLeadSeconds, c.MasterLagSeconds, c.FlowSettleSeconds,
            c.FlowHighPercent, c.FlowHighDelaySeconds, c.FlowLowPercent, c.FlowLowDelaySeconds, c.FlowNoneDelaySeconds,
            c.LeakRateDeciLitresPerMinute, c.LeakDelaySeconds));
    }

    [Theory]
    [InlineData("""{"token":"t","server":"ws://h/"}""", "device: missing")]
    [InlineData("""{"device":"d","server":"ws://h/"}""", "token: missing")]
    [InlineData("""{"device":"d","token":"t","server":"http://h/"}""", "server: must start with ws:// or wss://")]
    [InlineData("""{"device":"d","token":"t","server":"ws:///"}""", "server: host is missing")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","dht_interval":1}""", "dht_interval: must be 2 to 3600 (is 1)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","dht_interval":"30"}""", "dht_interval: must be a whole number")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","zones":[]}""", "zones: need 1 to 16 zones")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","zones":[{"name":"a","max_duration":0}]}""", "zones[0].max_duration: must be 1 to 86400 (is 0)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","zones":[{"name":"a"},{"name":"a"}]}""", "zones[1].name: 'a' is used twice")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","zones":[{"name":"a","soil_probe":3}]}""", "zones[0].soil_probe: must be -1 (none) or 0 to 0")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","zones":[{"name":"a","dry":500,"wet":400}]}""", "zones[0].wet: must be above dry (500) so the soil rule has hysteresis")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","zones":[{"name":"a","max_duration":300,"run":600}]}""", "zones[0].run: must be 1 to 300 (is 600)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","soil":[{"dry_raw":2000,"wet_raw":1950}]}""", "soil[0]: dry_raw and wet_raw must be at least 100 apart (is 2000 / 1950)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","max_open_zones":2}""", "max_open_zones: must be 1 to the number of zones (1)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","schedules":[{"zone":"nope","at":"06:00","duration":60}]}""", "schedules[0].zone: no zone named 'nope'")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","schedules":[{"zone":"zone1","at":"24:00","duration":60}]}""", "schedules[0].at: must be \"HH:MM\" (local time, 00:00 to 23:59)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","zones":[{"name":"front lawn"}]}""", "zones[0].name: must be 1 to 32 letters, digits, '-' or '_'")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","zones":[{"name":"a","max_duration":600,"cycle":900}]}""", "zones[0].cycle: must be 1 to 600 (is 900)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","zones":[{"name":"a","soak":10}]}""", "zones[0].soak: must be 60 to 86400 (is 10)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","schedules":[{"zone":"zone1","at":"06:00","days":[],"duration":60}]}""", "schedules[0].days: name at least one day")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","schedules":[{"zone":"zone1","at":"06:00","days":["mon","funday"],"duration":60}]}""", "schedules[0].days: must list day names (sun, mon, tue, wed, thu, fri, sat), each once")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","schedules":[{"zone":"zone1","at":"06:00","days":["mon","mon"],"duration":60}]}""", "schedules[0].days: must list day names (sun, mon, tue, wed, thu, fri, sat), each once")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","seasonal_percent":300}""", "seasonal_percent: must be 0 to 250 (is 300)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","rain_delay_until":-1}""", "rain_delay_until: must be 0 (none) or a Unix time in seconds before 4102444800")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","freeze_skip_below":"cold"}""", "freeze_skip_below: must be a whole number or null")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","freeze_skip_below":-500}""", "freeze_skip_below: must be -400 to 400 (is -500)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","schedules":[{"zone":"zone1","at":"06:00","duration":4000}]}""", "schedules[0].duration: must be 1 to 1800 (is 4000)")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","status_interval":200}""", "watchdog: must be longer than status_interval (200 s), or a quiet link is torn down")]
    [InlineData("""{"device":"d","token":"t","server":"ws://h/","wifi":"farm"}""", "wifi: must be an object")]
    [InlineData("""{"device":"bad id","token":"t","server":"ws://h/"}""", "device: use letters, digits, '-', '_' or '.'")]
    public void Read_WrongField_ReportsIt(string text, string expected)
    {
        var result = ControllerConfigReader.Read(text);

        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        Assert.Contains(expected, result.Errors);
    }

    [Fact]
    public void Read_SeveralWrongFields_ReportsEveryOne()
    {
        var result = ControllerConfigReader.Read("""{"device":"d","server":"ftp://x","dht_interval":0,"zones":[{"name":"a","max_duration":-5}]}""");

        Assert.True(result.Errors.Length >= 4, string.Join("; ", result.Errors));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"device":"d",}""")]
    [InlineData("""{"device":"d"} trailing""")]
    [InlineData("""{"zones":[{"name":"a"}""")]
    [InlineData("\u0000\u0001")]
    public void Read_BadText_ErrorsNeverThrows(string text)
    {
        var result = ControllerConfigReader.Read(text);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors);
    }

    [Fact]
    public void Read_Null_Error()
    {
        Assert.Equal("file is empty", Assert.Single(ControllerConfigReader.Read(null!).Errors));
    }

    [Fact]
    public void Read_UnknownKeys_WarningsOnly()
    {
        var result = ControllerConfigReader.Read("""{"device":"d","token":"t","server":"ws://h/","colour":"red","zones":[{"name":"a","max_duraton":5}]}""");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(new[] { "colour: unknown key, ignored", "zones[0].max_duraton: unknown key, ignored" }, result.Warnings);
    }

    [Fact]
    public void Read_RandomGarbage_NeverThrows()
    {
        var rng = new Random(5);
        string alphabet = "{}[]\":,0123456789-.eE truefalsnul\\u\u00e9abc";
        for (int i = 0; i < 2000; i++)
        {
            var chars = new char[rng.Next(0, 60)];
            for (int j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[rng.Next(alphabet.Length)];
            }

            var result = ControllerConfigReader.Read(new string(chars));
            Assert.NotNull(result.Errors);
        }

        // Mutations of the valid example: every prefix is handled.
        for (int n = 0; n < FullExample.Length; n += 7)
        {
            Assert.NotNull(ControllerConfigReader.Read(FullExample[..n]).Errors);
        }
    }
}
