using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Mqtt;

/// <summary>A broker that dies or hangs costs the relay nothing, and the bridge recovers on its own.</summary>
public class BrokerOutageTests
{
    [Fact]
    public async Task BrokerRestarted_BridgeReconnectsAndPublishesEverythingAgain_DashboardNeverStalled()
    {
        await using var farm = await MqttFarm.StartAsync();
        await using var controller = await farm.ConnectControllerAsync();
        var dashboard = await farm.Server.ConnectDashboardAsync("alice", farm.Tokens["alice"]);
        await farm.Probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t) is not null), "every discovery config");

        // The broker dies and forgets everything it held (no persistence).
        await farm.Broker.StopAsync();
        for (var i = 0; i < 20; i++)
        {
            await controller.TemperatureAsync(1764547200 + i, 200 + i);
            await dashboard.WaitForAsync(f => TestSocket.Event(f) == "temperature" && f.GetProperty("data").GetProperty("record").GetInt32() == 200 + i,
                $"reading {i} on the dashboard while the broker is down");
        }

        await farm.Broker.StartAgainAsync();

        // Within the backoff the bridge is back and has published it all again, with the newest values.
        await using var probe = await MqttProbe.ConnectAsync(farm.Broker.Port);
        await probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t) is not null), "every discovery config after the broker came back",
            TimeSpan.FromSeconds(45));
        await probe.WaitForAsync(MqttFarm.State("temperature"), "21.9");
        await probe.WaitForAsync(MqttFarm.State("availability"), "online");
        await probe.WaitForAsync("irrigation/_bridge/availability", "online");
    }

    [Fact]
    public async Task BrokerFrozen_RelayCarriesOnAndBridgeCatchesUpWhenItThaws()
    {
        await using var farm = await MqttFarm.StartAsync();
        await using var controller = await farm.ConnectControllerAsync();
        var dashboard = await farm.Server.ConnectDashboardAsync("alice", farm.Tokens["alice"]);
        await farm.Probe.WaitForAsync(MqttFarm.State("availability"), "online");

        // A hung broker: its sockets stay open, nothing answers, publishes would wait forever.
        await farm.Broker.FreezeAsync();
        for (var i = 0; i < 50; i++)
        {
            var seq = await controller.TemperatureAsync(1764547200 + i, 300 + i);
            await controller.WaitAckAsync(seq);
        }

        await dashboard.WaitForAsync(f => TestSocket.Event(f) == "temperature" && f.GetProperty("data").GetProperty("record").GetInt32() == 349,
            "the last reading on the dashboard while the broker hangs");
        await farm.Broker.ThawAsync();

        await farm.Probe.WaitForAsync(MqttFarm.State("temperature"), "34.9", TimeSpan.FromSeconds(60));
    }
}
