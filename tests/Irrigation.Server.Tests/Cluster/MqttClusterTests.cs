using System.Text.Json;
using Irrigation.Server.Tests.Mqtt;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Cluster;

/// <summary>The MQTT bridge on two real server processes sharing PostgreSQL and Redis: one bridge, whichever instance holds the controller.</summary>
[Collection("postgres")]
public class MqttClusterTests(PostgresFixture postgres)
{
    [Fact]
    public async Task TwoInstances_OneBridge_CommandRunOnceStatesFromTheOtherInstanceAndTakeoverWhenTheHolderDies()
    {
        await using var broker = await MosquittoServer.StartAsync();
        await using var cluster = await TestCluster.StartAsync(postgres.Server, 2, "--Mqtt:Server", broker.Address, "--Mqtt:User", "alice");
        var alice = await cluster.CliAsync("users", "add", "alice");
        var token = await cluster.CliAsync("devices", "add", "farm-01", "--owner", "alice", "--zones", "zone1,zone2");
        await using var probe = await MqttProbe.ConnectAsync(broker.Port);
        await probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t) is not null), "the discovery configs of farm-01");

        // The controller goes to the instance that does not run the bridge.
        var holder = await HolderAsync(cluster, alice);
        var other = 1 - holder;
        await using var controller = await cluster.ConnectControllerAsync(other, "farm-01", token, boot: 1);
        await controller.TemperatureAsync(1764547200, 215);
        await probe.WaitForAsync(MqttFarm.State("temperature"), "21.5");

        await probe.PublishAsync("irrigation/farm-01/zone/zone1/set", "OPEN");
        await controller.Socket.WaitForEventAsync("irrigate");
        await probe.WaitUntilAsync(p => p.Messages.Any(m => m.Topic == "irrigation/farm-01/result"), "the answer");
        await Task.Delay(TimeSpan.FromSeconds(1));
        // Exactly one bridge took the command: one irrigate, one answer, one audit entry.
        Assert.Single(controller.Socket.Frames, f => TestSocket.Event(f) == "irrigate");
        Assert.Single(probe.Messages, m => m.Topic == "irrigation/farm-01/result");
        using var http = cluster.Http(other, alice);
        var audit = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/audit?limit=20")).RootElement;
        var entries = audit.ValueKind == JsonValueKind.Array ? audit : audit.GetProperty("entries");
        Assert.Single(entries.EnumerateArray(), e => e.GetProperty("detail").GetString()!.EndsWith("(via mqtt)", StringComparison.Ordinal));

        // The holder dies without a goodbye: the other instance takes the lease over and carries on.
        cluster.Instances[holder].KillHard();
        await WaitAsync(async () => (await BridgeStatusAsync(cluster, other, alice)).StartsWith("connected", StringComparison.Ordinal), "the surviving instance's bridge connected");
        await controller.TemperatureAsync(1764547260, 230);
        await probe.WaitForAsync(MqttFarm.State("temperature"), "23.0", TimeSpan.FromSeconds(30));
        await probe.PublishAsync("irrigation/farm-01/zone/zone1/set", "CLOSE");
        await controller.Socket.WaitForEventAsync("stop");
    }

    // The instance whose bridge is connected (the other is on standby).
    private static async Task<int> HolderAsync(TestCluster cluster, string token)
    {
        var deadline = DateTime.UtcNow + TestSocket.Patience;
        while (true)
        {
            var states = new[] { await BridgeStatusAsync(cluster, 0, token), await BridgeStatusAsync(cluster, 1, token) };
            var connected = states.Select((s, i) => (s, i)).Where(x => x.s.StartsWith("connected", StringComparison.Ordinal)).ToList();
            if (connected.Count == 1 && states.Any(s => s.StartsWith("standby", StringComparison.Ordinal)))
            {
                return connected[0].i;
            }

            Assert.True(DateTime.UtcNow < deadline, $"expected one connected bridge and one on standby: {string.Join(" | ", states)}");
            await Task.Delay(200);
        }
    }

    private static async Task<string> BridgeStatusAsync(TestCluster cluster, int index, string token)
    {
        using var http = cluster.Http(index, token);
        var health = JsonDocument.Parse(await (await http.GetAsync("healthz")).Content.ReadAsStringAsync()).RootElement;
        return health.GetProperty("checks").GetProperty("mqtt").GetProperty("detail").GetString()!;
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(200);
        }
    }
}
