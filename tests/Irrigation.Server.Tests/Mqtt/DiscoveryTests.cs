using System.Text.Json;
using Irrigation.Server.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Mqtt;

/// <summary>Home Assistant discovery: what appears, checked against Home Assistant's own schema, and what disappears.</summary>
public class DiscoveryTests
{
    [Fact]
    public async Task Discovery_ControllerConnected_EveryEntityValidWithOneDeviceBlockAndAvailability()
    {
        await using var farm = await MqttFarm.StartAsync();
        await using var controller = await farm.ConnectControllerAsync();

        await farm.Probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t) is not null), "every discovery config of farm-01");
        // The firmware comes with device_online, right after the first configs: wait for it on every entity.
        await farm.Probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t)!.Contains("\"sw_version\":\"test\"")), "the firmware in every device block");

        var configs = MqttFarm.BaseConfigs.ToDictionary(t => t, t => JsonDocument.Parse(farm.Probe.Retained(t)!).RootElement);
        foreach (var (topic, config) in configs)
        {
            Assert.True(HomeAssistantSchema.Problems(MqttFarm.Prefix, topic, config) is [], $"{topic}: {string.Join("; ", HomeAssistantSchema.Problems(MqttFarm.Prefix, topic, config))}");
        }

        // One device in Home Assistant: every entity carries the same device block.
        var devices = configs.Values.Select(c => c.GetProperty("device").GetRawText()).Distinct().ToList();
        var device = Assert.Single(devices);
        using var block = JsonDocument.Parse(device);
        Assert.Equal("farm-01", block.RootElement.GetProperty("name").GetString());
        Assert.Equal("irrigation_farm-01", block.RootElement.GetProperty("identifiers")[0].GetString());
        Assert.Equal("test", block.RootElement.GetProperty("sw_version").GetString());
        Assert.Equal("http://farm.example:5000/", block.RootElement.GetProperty("configuration_url").GetString());
        Assert.Contains("2 zones", block.RootElement.GetProperty("model").GetString());

        Assert.Equal(configs.Count, configs.Values.Select(c => c.GetProperty("unique_id").GetString()).Distinct().Count());

        // Every entity needs the bridge and the device online; the connectivity sensor only the bridge (it shows "offline").
        foreach (var (topic, config) in configs)
        {
            var availability = config.GetProperty("availability").EnumerateArray().Select(a => a.GetProperty("topic").GetString()).ToList();
            Assert.Equal("all", config.GetProperty("availability_mode").GetString());
            Assert.Contains("irrigation/_bridge/availability", availability);
            Assert.Equal(topic != MqttFarm.Config("binary_sensor", "online"), availability.Contains("irrigation/farm-01/availability"));
        }

        var temperature = configs[MqttFarm.Config("sensor", "temperature")];
        Assert.Equal(("temperature", "°C", "measurement"), (temperature.GetProperty("device_class").GetString(), temperature.GetProperty("unit_of_measurement").GetString(), temperature.GetProperty("state_class").GetString()));
        var valve = configs[MqttFarm.Config("valve", "zone_zone1")];
        Assert.Equal("irrigation/farm-01/zone/zone1/set", valve.GetProperty("command_topic").GetString());
        Assert.Equal("irrigation/farm-01/zone/zone1/state", valve.GetProperty("state_topic").GetString());
        Assert.Equal(("OPEN", "CLOSE", "open", "closed"), (valve.GetProperty("payload_open").GetString(), valve.GetProperty("payload_close").GetString(),
            valve.GetProperty("state_open").GetString(), valve.GetProperty("state_closed").GetString()));
        Assert.False(valve.GetProperty("optimistic").GetBoolean());
        await farm.Probe.WaitForAsync(MqttFarm.State("availability"), "online");
        await farm.Probe.WaitForAsync("irrigation/_bridge/availability", "online");
    }

    [Fact]
    public async Task Discovery_ServerRestarted_SameUniqueIdsAndProbesAndFirmwareKept()
    {
        await using var farm = await MqttFarm.StartAsync();
        await using (var controller = await farm.ConnectControllerAsync())
        {
            await controller.SendAsync("soil_moisture", """{"time":1764547200,"record":315,"raw":2100,"zone":"zone2"}""");
            await farm.Probe.WaitForAsync(MqttFarm.State("soil_moisture/zone2"), "31.5");
            await farm.Probe.WaitUntilAsync(p => p.Retained(MqttFarm.Config("valve", "zone_zone1"))?.Contains("\"sw_version\":\"test\"") == true, "the firmware");
        }

        var before = UniqueIds(farm.Probe.RetainedUnder(MqttFarm.Prefix + "/"));
        Assert.Contains("irrigation_farm-01_soil_zone2", before.Values);

        await farm.RestartServerAsync();
        var deletions = farm.Probe.Messages.Count;
        await using var after = await farm.NewProbeAsync();
        await Task.Delay(TimeSpan.FromSeconds(2)); // the restarted bridge had time to find anything stale

        // Same topics, same unique ids: Home Assistant keeps its entities, names and history.
        Assert.Equal(before, UniqueIds(after.RetainedUnder(MqttFarm.Prefix + "/")));
        Assert.DoesNotContain(farm.Probe.Messages.Skip(deletions), m => m.Topic.StartsWith(MqttFarm.Prefix + "/", StringComparison.Ordinal) && m.Payload.Length == 0);
        Assert.Contains("\"sw_version\":\"test\"", after.Retained(MqttFarm.Config("sensor", "soil_zone2")));
        Assert.Equal("31.5", after.Retained(MqttFarm.State("soil_moisture/zone2")));
    }

    [Fact]
    public async Task Discovery_HomeAssistantAnnouncesOnline_ConfigsPublishedAgain()
    {
        await using var farm = await MqttFarm.StartAsync();
        await farm.Probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t) is not null), "every discovery config");
        int Count(string topic) => farm.Probe.Messages.Count(m => m.Topic == topic);
        var before = MqttFarm.BaseConfigs.ToDictionary(t => t, Count);

        await farm.Probe.PublishAsync("homeassistant/status", "online");

        await farm.Probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => Count(t) > before[t]), "every config again after homeassistant/status = online");
    }

    [Fact]
    public async Task Discovery_DeviceAddedByAnotherProcess_AppearsWithoutAnyNotification()
    {
        await using var farm = await MqttFarm.StartAsync();
        await farm.Probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t) is not null), "farm-01's configs");

        // Straight into the database, as the CLI or another instance does: no event in this process, no version raised.
        var added = await farm.Server.Services.GetRequiredService<Irrigation.Server.Storage.IAccountStore>().AddDevicesAsync(
            [new Irrigation.Server.Storage.NewDevice("farm-02", "alice", ["east"], 900, new byte[32])]);
        Assert.True(added.Ok);

        await farm.Probe.WaitUntilAsync(p => p.Retained("homeassistant/valve/irrigation/farm-02_zone_east/config") is not null, "farm-02's valve");
    }

    [Fact]
    public async Task Discovery_DeviceRemovedOrUnshared_EntitiesAndStatesDeleted()
    {
        await using var farm = await MqttFarm.StartAsync(bridgeUser: "victor");
        await using (var controller = await farm.ConnectControllerAsync())
        {
            await controller.TemperatureAsync(1764547200, 223);
            await farm.Probe.WaitForAsync(MqttFarm.State("temperature"), "22.3");
        }

        // The bridge's user loses the device: everything about it leaves the broker, so Home Assistant removes it.
        Assert.Null(await farm.Server.Services.GetRequiredService<Sharing>().UnshareAsync("alice", "farm-01", "victor"));

        await farm.Probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t) is null) && p.Retained(MqttFarm.State("temperature")) is null,
            "every config and state of farm-01 deleted");
        await using var fresh = await farm.NewProbeAsync();
        Assert.Empty(fresh.RetainedUnder(MqttFarm.Prefix + "/"));
        Assert.Empty(fresh.RetainedUnder("irrigation/farm-01/"));
    }

    [Fact]
    public async Task Discovery_DeviceRemovedWhileServerDown_StaleConfigsDeletedAtStart()
    {
        await using var farm = await MqttFarm.StartAsync();
        await farm.Probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t) is not null), "every discovery config");
        await farm.StopServerAsync();
        // The device goes while no bridge runs (the CLI on the same database).
        var cli = await Irrigation.Server.Cli.ToolCommands.RunAsync(["devices", "remove", "farm-01", "--data-dir", farm.DataDir], new StringWriter(), new StringWriter());
        Assert.Equal(0, cli);

        await farm.StartServerAsync();

        await farm.Probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t) is null) && p.Retained(MqttFarm.State("availability")) is null,
            "the stale configs and states of the removed farm-01 deleted");
    }

    private static Dictionary<string, string> UniqueIds(Dictionary<string, string> configs) =>
        configs.ToDictionary(kv => kv.Key, kv => JsonDocument.Parse(kv.Value).RootElement.GetProperty("unique_id").GetString()!);
}
