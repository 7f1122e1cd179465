using System.Net.Http.Json;
using System.Text.Json;
using Irrigation.Server.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Mqtt;

/// <summary>Water used today per zone (from the water ledger) and the rain-delay switch (the dashboard's settings path).</summary>
public class WaterAndRainDelayTests
{
    private const string RainDelaySet = "irrigation/farm-01/rain_delay/set";
    private const string Result = "irrigation/farm-01/result";

    [Fact]
    public async Task Discovery_WaterTodayAndRainDelay_HomeAssistantSchemaWaterUnitsAndStatesFromStorage()
    {
        await using var farm = await MqttFarm.StartAsync();
        string[] topics = [MqttFarm.Config("sensor", "water_zone1"), MqttFarm.Config("sensor", "water_zone2"), MqttFarm.Config("switch", "rain_delay")];

        await farm.Probe.WaitUntilAsync(p => topics.All(t => p.Retained(t) is not null), "the water sensors and the rain-delay switch");

        foreach (var topic in topics)
        {
            var config = JsonDocument.Parse(farm.Probe.Retained(topic)!).RootElement;
            Assert.True(HomeAssistantSchema.Problems(MqttFarm.Prefix, topic, config) is [], $"{topic}: {string.Join("; ", HomeAssistantSchema.Problems(MqttFarm.Prefix, topic, config))}");
            Assert.Contains("irrigation/farm-01/availability", config.GetProperty("availability").EnumerateArray().Select(a => a.GetProperty("topic").GetString()));
        }

        var water = JsonDocument.Parse(farm.Probe.Retained(topics[0])!).RootElement;
        Assert.Equal(("water", "L", "total_increasing"), (water.GetProperty("device_class").GetString(), water.GetProperty("unit_of_measurement").GetString(), water.GetProperty("state_class").GetString()));
        Assert.Equal("irrigation/farm-01/zone/zone1/water_today", water.GetProperty("state_topic").GetString());
        Assert.Equal("irrigation_farm-01_water_zone1", water.GetProperty("unique_id").GetString());
        var rain = JsonDocument.Parse(farm.Probe.Retained(topics[2])!).RootElement;
        Assert.Equal(RainDelaySet, rain.GetProperty("command_topic").GetString());
        Assert.Equal("irrigation/farm-01/rain_delay", rain.GetProperty("state_topic").GetString());
        Assert.Equal(("ON", "OFF"), (rain.GetProperty("payload_on").GetString(), rain.GetProperty("payload_off").GetString()));
        Assert.False(rain.GetProperty("optimistic").GetBoolean());
        await farm.Probe.WaitForAsync(MqttFarm.State("zone/zone1/water_today"), "0.0");
        await farm.Probe.WaitForAsync(MqttFarm.State("zone/zone2/water_today"), "0.0");
        await farm.Probe.WaitForAsync(MqttFarm.State("rain_delay"), "OFF");
    }

    [Fact]
    public async Task WaterToday_VolumesOfTodayCountedOnceAndZeroAfterLocalMidnight()
    {
        // 23:00 in Berlin (CEST) on 1 June 2026.
        var clock = new SettableClock(DateTimeOffset.Parse("2026-06-01T21:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var farm = await MqttFarm.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        using var http = farm.Server.Http(farm.Tokens["alice"]);
        var zone = new { base_version = 0, settings = JsonDocument.Parse("""{"time_zone":"Europe/Berlin"}""").RootElement };
        Assert.True((await http.PutAsJsonAsync("api/devices/farm-01/settings", zone)).IsSuccessStatusCode);
        await using var controller = await farm.ConnectControllerAsync();
        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        var run = $$"""{"time":{{now}},"zones":["zone1"],"reason":"completed","litres":1234}""";

        await controller.SendAsync("irrigation_stopped", run);
        await farm.Probe.WaitForAsync(MqttFarm.State("zone/zone1/water_today"), "123.4");

        // The same event again (its ack was lost), a run of yesterday from the offline buffer, then a new run.
        await controller.SendWithSeqAsync(1, "irrigation_stopped", run);
        controller.SetNextSeq(2);
        await controller.SendAsync("irrigation_stopped", $$"""{"time":{{now - 86400}},"zones":["zone1"],"reason":"completed","litres":999}""");
        await controller.SendAsync("irrigation_stopped", $$"""{"time":{{now + 60}},"zones":["zone2"],"reason":"completed","litres":55}""");
        await farm.Probe.WaitForAsync(MqttFarm.State("zone/zone2/water_today"), "5.5");
        Assert.Equal("123.4", farm.Probe.Retained(MqttFarm.State("zone/zone1/water_today")));

        // Local midnight passes: a new day, nothing given yet.
        clock.Now = DateTimeOffset.Parse("2026-06-01T22:00:05Z", System.Globalization.CultureInfo.InvariantCulture);
        await farm.Probe.WaitForAsync(MqttFarm.State("zone/zone1/water_today"), "0.0");
        await farm.Probe.WaitForAsync(MqttFarm.State("zone/zone2/water_today"), "0.0");
    }

    [Fact]
    public async Task RainDelaySwitch_OnAndOff_SavedThroughTheSettingsAuditedViaMqttAndStateFollowsTheSettings()
    {
        await using var farm = await MqttFarm.StartAsync();
        await farm.Probe.WaitForAsync(MqttFarm.State("rain_delay"), "OFF");
        using var http = farm.Server.Http(farm.Tokens["alice"]);

        await farm.Probe.PublishAsync(RainDelaySet, "ON");

        var saved = await farm.Probe.WaitForJsonAsync(Result, r => r.GetProperty("status").GetString() == "saved", "the 'saved' answer");
        var until = saved.GetProperty("until").GetInt64();
        Assert.InRange(until - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 86400 - 60, 86400);
        Assert.Equal(1, saved.GetProperty("version").GetInt32());
        await farm.Probe.WaitForAsync(MqttFarm.State("rain_delay"), "ON");
        var settings = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/settings")).RootElement;
        Assert.Equal(until, settings.GetProperty("settings").GetProperty("rain_delay_until").GetInt64());
        var audit = await farm.Server.Services.GetRequiredService<IAuditLog>().ListAsync("farm-01", 10);
        Assert.Contains(audit, a => (a.Actor, a.Action, a.Outcome) == ("alice", "rain-delay", "saved") && a.Detail.EndsWith("(via mqtt)", StringComparison.Ordinal));

        // The dashboard clears it: the switch follows the settings, whoever changed them.
        Assert.True((await http.PostAsJsonAsync("api/devices/farm-01/rain-delay", new { until = 0 })).IsSuccessStatusCode);
        await farm.Probe.WaitForAsync(MqttFarm.State("rain_delay"), "OFF");

        // A short delay set on the dashboard turns the switch off by itself when it ends.
        var soon = DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2;
        Assert.True((await http.PostAsJsonAsync("api/devices/farm-01/rain-delay", new { until = soon })).IsSuccessStatusCode);
        await farm.Probe.WaitForAsync(MqttFarm.State("rain_delay"), "ON");
        await farm.Probe.WaitForAsync(MqttFarm.State("rain_delay"), "OFF");

        await farm.Probe.PublishAsync(RainDelaySet, "off");
        var cleared = await farm.Probe.WaitForJsonAsync(Result, r => r.GetProperty("status").GetString() == "saved" && r.GetProperty("until").GetInt64() == 0, "the clear's answer");
        Assert.Equal(4, cleared.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task RainDelaySwitch_ViewerBridgeUser_RefusedOnTheResultTopicAuditedAndNothingSaved()
    {
        await using var farm = await MqttFarm.StartAsync(bridgeUser: "victor");
        // A viewer's rain delay is a read-only binary sensor: Home Assistant offers no switch.
        await farm.Probe.WaitUntilAsync(p => p.Retained(MqttFarm.Config("binary_sensor", "rain_delay")) is not null, "the viewer's rain-delay sensor");
        Assert.Null(farm.Probe.Retained(MqttFarm.Config("switch", "rain_delay")));

        await farm.Probe.PublishAsync(RainDelaySet, "ON");

        var answer = await farm.Probe.WaitForJsonAsync(Result, r => r.GetProperty("status").GetString() == "forbidden", "the 'forbidden' answer");
        Assert.Contains("viewer", answer.GetProperty("message").GetString());
        Assert.Equal("rain_delay", answer.GetProperty("action").GetString());
        var audit = await farm.Server.Services.GetRequiredService<IAuditLog>().ListAsync("farm-01", 10);
        Assert.Contains(audit, a => (a.Actor, a.Action, a.Outcome) == ("victor", "rain-delay", "forbidden") && a.Detail.EndsWith("(via mqtt)", StringComparison.Ordinal));
        using var http = farm.Server.Http(farm.Tokens["alice"]);
        var settings = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/settings")).RootElement;
        Assert.Equal(0, settings.GetProperty("version").GetInt32());
        Assert.Equal("OFF", farm.Probe.Retained(MqttFarm.State("rain_delay")));
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
