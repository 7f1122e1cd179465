using System.Net;
using System.Text.Json;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Observability;

/// <summary>What /metrics and /healthz report (alone in the process: see <see cref="MetricsCollection"/>).</summary>
[Collection(MetricsCollection.Name)]
public class MetricsTests
{
    [Fact]
    public async Task HealthAndMetrics_AfterOneStoredAndOneRejectedEvent_Counted()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        var seq = await controller.TemperatureAsync(1000, 1);
        await controller.SendAsync("rain", "{\"time\":1}");
        await controller.WaitAckAsync(seq + 1);
        using var http = server.Http();

        var health = await http.GetAsync("healthz");
        var metrics = await http.GetStringAsync("metrics");

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var body = JsonDocument.Parse(await health.Content.ReadAsStringAsync());
        Assert.Equal("ok", body.RootElement.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.Contains("not configured", body.RootElement.GetProperty("checks").GetProperty("redis").GetProperty("detail").GetString());
        Assert.Equal(1, PrometheusText.Value(metrics, "irrigation_connections", "kind=controller"));
        Assert.Equal(1, PrometheusText.Value(metrics, "irrigation_events_in_total"));
        Assert.Equal(1, PrometheusText.Value(metrics, "irrigation_events_stored_total"));
        Assert.Equal(1, PrometheusText.Value(metrics, "irrigation_rejected_total", "code=unknown_event"));
        Assert.Equal(0, PrometheusText.Value(metrics, "irrigation_dropped_total"));
        Assert.NotNull(PrometheusText.Value(metrics, "irrigation_events_out_total"));
        Assert.NotNull(PrometheusText.Value(metrics, "irrigation_ingest_queue_depth"));
    }

    [Fact]
    public async Task Flood_OverTheRate_RateLimitedAndAcked()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:MaxEventsPerSecond"] = "0.001",
            ["Relay:RateBurst"] = "5",
            ["Relay:MaxRejectedFrames"] = "1000",
        });
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        for (var i = 0; i < 8; i++)
        {
            await controller.TemperatureAsync(1764547200 + i, i);
        }

        await controller.WaitAckAsync(8);
        Assert.Equal(["rate_limited", "rate_limited", "rate_limited"], controller.ErrorCodes);
        using var http = server.Http();
        var metrics = await http.GetStringAsync("metrics");
        Assert.Equal(3, PrometheusText.Value(metrics, "irrigation_rejected_total", "code=rate_limited"));
    }

    [Fact]
    public async Task VanishedDashboard_NoPongs_DroppedAfterDashboardKeepaliveTimeout()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Relay:DashboardKeepAliveInterval"] = "00:00:00.300" });
        var alice = await server.CreateUserAsync("alice");
        using var http = server.Http();
        // Never read: the client's WebSocket answers pings only while a receive is pending.
        await using var board = await server.ConnectDashboardAsync("alice", alice, read: false);
        Assert.Equal(1, PrometheusText.Value(await http.GetStringAsync("metrics"), "irrigation_connections", "kind=dashboard"));

        var deadline = DateTime.UtcNow + TestSocket.Patience;
        string metrics;
        while (PrometheusText.Value(metrics = await http.GetStringAsync("metrics"), "irrigation_connections", "kind=dashboard") != 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, PrometheusText.Value(metrics, "irrigation_connections", "kind=dashboard"));
    }
}
