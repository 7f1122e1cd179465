using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Mqtt;

/// <summary>The bridge in /metrics and /healthz.</summary>
[Collection(MetricsCollection.Name)]
public class MqttMetricsTests
{
    [Fact]
    public async Task Metrics_BridgeConnectedPublishingAndCommands_ThenBrokerDown_CountedAndHealthStillOk()
    {
        await using var farm = await MqttFarm.StartAsync();
        await farm.Probe.WaitUntilAsync(p => MqttFarm.BaseConfigs.All(t => p.Retained(t) is not null), "every discovery config");
        await farm.Probe.PublishAsync("irrigation/farm-01/zone/zone1/set", "FLOOD");
        await farm.Probe.WaitUntilAsync(p => p.Messages.Any(m => m.Topic == "irrigation/farm-01/result"), "the answer");
        using var http = farm.Server.Http();

        var metrics = await http.GetStringAsync("metrics");
        Assert.Equal(1, PrometheusText.Value(metrics, "irrigation_mqtt_connected"));
        Assert.True(PrometheusText.Value(metrics, "irrigation_mqtt_published_total") >= MqttFarm.BaseConfigs.Length);
        Assert.Equal(1, PrometheusText.Value(metrics, "irrigation_mqtt_commands_total", "status=bad_payload"));
        Assert.Equal(1, PrometheusText.Value(metrics, "irrigation_mqtt_connects_total", "result=ok"));
        Assert.Equal(0, PrometheusText.Value(metrics, "irrigation_mqtt_dropped_total"));

        await farm.Broker.StopAsync();
        await WaitAsync(async () => PrometheusText.Value(await http.GetStringAsync("metrics"), "irrigation_mqtt_connected") == 0, "connected 0");
        // A dead broker is not the relay's failure: /healthz stays 200 and says what the bridge is doing.
        var health = await http.GetAsync("healthz");
        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"mqtt\":{\"status\":\"degraded\"", await health.Content.ReadAsStringAsync());
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestSocket.Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what);
            await Task.Delay(100);
        }
    }
}
