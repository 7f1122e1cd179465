using Irrigation.Core.Protocol;
using Irrigation.Tests.Support;

namespace Irrigation.Core.Tests.Protocol;

/// <summary>The core's frames must be the golden vectors byte for byte (the server tests read the same files).</summary>
public class ControllerFramesTests
{
    private static readonly string[] TwoZones = { "zone1", "zone2" };
    private static readonly string[] OneZone = { "zone1" };

    public static TheoryData<string> Vectors => new()
    {
        "hello.json", "temperature.json", "temperature-negative.json", "humidity.json", "soil_moisture.json",
        "soil_moisture-no-zone.json", "irrigation_started.json", "irrigation_stopped.json",
        "irrigation_stopped-boot.json", "sensor_disconnected.json", "sensor_reconnected.json", "status.json",
        "command_result.json", "command_result-error.json", "log.json", "log-escaped.json",
        "settings_applied.json", "settings_rejected.json", "irrigation_skipped.json", "irrigation_skipped-freeze.json",
        "irrigation_skipped-min_interval.json", "irrigation_skipped-leak_lock.json", "flow.json", "flow-no-zone.json",
        "flow_alert-high.json", "flow_alert-low.json", "flow_alert-none.json", "flow_alert-leak.json",
        "irrigation_stopped-litres.json", "irrigation_stopped-failsafe-litres.json", "sensor_disconnected-flow.json",
    };

    [Fact]
    public void Vectors_EveryValidControllerFrame_IsWrittenByTheCore()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "to-server", "valid"), "*.json").Select(Path.GetFileName).ToHashSet();
        files.ExceptWith(new[] { "status-unknown-field.json" });

        Assert.Equal(files.Order(), Vectors.Cast<object[]>().Select(v => (string?)v[0]).Order());
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Writer_GoldenFrame_ReproducedByteForByte(string file)
    {
        string expected = File.ReadAllText(Path.Combine(RepoPaths.Vectors, "to-server", "valid", file)).TrimEnd('\n', '\r');

        Assert.Equal(expected, Write(file, new JsonWriter(1536)));
    }

    [Fact]
    public void AllZones_TwoZones_SetsTwoBits()
    {
        Assert.Equal(3, ControllerFrames.AllZones(2));
        Assert.Equal(0x7FFFFFFF, ControllerFrames.AllZones(31));
    }

    [Fact]
    public void Hello_TooSmallWriter_ReturnsNull()
    {
        Assert.Null(ControllerFrames.Hello(new JsonWriter(32), "farm-01", "tok", "1.0.0", 1, OneZone, OneZone, 0));
    }

    [Fact]
    public void SettingsRejected_MoreErrorsThanFit_CutWithACountAndStillValid()
    {
        var errors = Enumerable.Range(0, 40).Select(i => $"zones[{i % 16}].dry: must be 0 to 1000 (is {2000 + i})").ToArray();

        string? frame = ControllerFrames.SettingsRejected(new JsonWriter(1536), 9, 1764547200, 4, errors);

        Assert.NotNull(frame);
        var written = System.Text.Json.JsonDocument.Parse(frame).RootElement.GetProperty("data").GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.InRange(written.Count, 10, 39);
        Assert.Equal(errors.Take(written.Count - 1), written.Take(written.Count - 1));
        Assert.Equal($"... and {40 - (written.Count - 1)} more errors", written[^1]);
    }

    private static string? Write(string file, JsonWriter w) => file switch
    {
        "hello.json" => ControllerFrames.Hello(w, "farm-01", "tok-secret", "1.0.0", 3141592653, TwoZones, new[] { "temperature", "humidity", "soil_moisture" }, 7),
        "temperature.json" => ControllerFrames.Temperature(w, 42, 1764547200, 223),
        "temperature-negative.json" => ControllerFrames.Temperature(w, 43, 1764547200, -125),
        "humidity.json" => ControllerFrames.Humidity(w, 44, 1764547200, 455),
        "soil_moisture.json" => ControllerFrames.SoilMoisture(w, 45, 1764547200, 371, 2710, "zone1"),
        "soil_moisture-no-zone.json" => ControllerFrames.SoilMoisture(w, 46, 1764547200, 1000, 1350, null),
        "irrigation_started.json" => ControllerFrames.IrrigationStarted(w, 47, 1764547200, OneZone, 1, Reasons.SoilDry, 600),
        "irrigation_stopped.json" => ControllerFrames.IrrigationStopped(w, 48, 1764547800, TwoZones, 1, Reasons.Completed),
        "irrigation_stopped-boot.json" => ControllerFrames.IrrigationStopped(w, 1, 1764547200, TwoZones, ControllerFrames.AllZones(2), Reasons.Boot),
        "sensor_disconnected.json" => ControllerFrames.SensorDisconnected(w, 49, 1764547200, "temperature"),
        "sensor_reconnected.json" => ControllerFrames.SensorReconnected(w, 50, 1764547260, "soil_moisture"),
        "status.json" => ControllerFrames.Status(w, 51, 1764547260, 3600, 61234, -67, TwoZones, 1, 3, 0),
        "command_result.json" => ControllerFrames.CommandResult(w, 52, 1764547260, "c-17", true, null),
        "command_result-error.json" => ControllerFrames.CommandResult(w, 53, 1764547260, "c-18", false, "duration above the zone maximum (1800 s)"),
        "log.json" => ControllerFrames.Log(w, 54, 1764547260, "W", "sensor: dht read failed pin=26 misses=3"),
        "log-escaped.json" => ControllerFrames.Log(w, 55, 1764547260, "E", "quote \" backslash \\ newline \n tab \t bell \u0007 e-acute \u00e9 snowman \u2603"),
        "settings_applied.json" => ControllerFrames.SettingsApplied(w, 56, 1764547270, 8),
        "settings_rejected.json" => ControllerFrames.SettingsRejected(w, 57, 1764547271, 9, new[] { "zones: this controller has 2 valves (the settings name 3 zones)", "zones[0].wet: must be above dry (500) so the soil rule has hysteresis" }),
        "irrigation_skipped.json" => ControllerFrames.IrrigationSkipped(w, 58, 1764566400, TwoZones, 3, Reasons.RainDelay),
        "irrigation_skipped-freeze.json" => ControllerFrames.IrrigationSkipped(w, 59, 1764566400, TwoZones, 2, Reasons.Freeze),
        "irrigation_skipped-min_interval.json" => ControllerFrames.IrrigationSkipped(w, 60, 1764566460, TwoZones, 1, Reasons.MinInterval),
        "flow.json" => ControllerFrames.Flow(w, 61, 1764547270, "zone1", 184),
        "flow-no-zone.json" => ControllerFrames.Flow(w, 62, 1764547280, null, 7),
        "flow_alert-high.json" => ControllerFrames.FlowAlert(w, 63, 1764547290, "zone2", FlowAlertKinds.High, 180, 560),
        "flow_alert-low.json" => ControllerFrames.FlowAlert(w, 64, 1764547300, "zone1", FlowAlertKinds.Low, 184, 61),
        "flow_alert-none.json" => ControllerFrames.FlowAlert(w, 65, 1764547310, "zone1", FlowAlertKinds.None, 184, 0),
        "flow_alert-leak.json" => ControllerFrames.FlowAlert(w, 66, 1764547320, null, FlowAlertKinds.Leak, 0, 12),
        "irrigation_stopped-litres.json" => ControllerFrames.IrrigationStopped(w, 67, 1764548400, TwoZones, 1, Reasons.Completed, 1234),
        "irrigation_stopped-failsafe-litres.json" => ControllerFrames.IrrigationStopped(w, 68, 1764548410, TwoZones, 2, Reasons.Failsafe, 95),
        "irrigation_skipped-leak_lock.json" => ControllerFrames.IrrigationSkipped(w, 69, 1764566400, TwoZones, 2, Reasons.LeakLock),
        "sensor_disconnected-flow.json" => ControllerFrames.SensorDisconnected(w, 70, 1764547330, ReadingSpecs.Flow.Name),
        _ => throw new ArgumentException(file),
    };
}
