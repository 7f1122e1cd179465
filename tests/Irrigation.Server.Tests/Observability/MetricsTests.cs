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
    public async Task Flood_OverTheRate_SlowedDownNothingRejectedAndCounted()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            // Slow enough that frames sent back to back always outrun it, however loaded the machine.
            ["Relay:MaxEventsPerSecond"] = "2",
            ["Relay:RateBurst"] = "3",
        });
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        for (var i = 0; i < 8; i++)
        {
            await controller.TemperatureAsync(1764547200 + i, i);
        }

        await controller.WaitAckAsync(8);
        Assert.Empty(controller.ErrorCodes);
        using var http = server.Http();
        var metrics = await http.GetStringAsync("metrics");
        Assert.True(PrometheusText.Value(metrics, "irrigation_rate_delayed_total") >= 4, metrics);
        Assert.Null(PrometheusText.Value(metrics, "irrigation_rejected_total", "code=rate_limited"));
        Assert.Equal(8, PrometheusText.Value(metrics, "irrigation_events_stored_total"));
    }

    [Fact]
    public async Task WrongTokens_ManyInARow_DelayedThenRefusedAndCounted()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:FirstDelay"] = "00:00:00.020",
            ["Auth:MaxDelay"] = "00:00:00.100",
        });
        var alice = await server.CreateUserAsync("alice");
        using var wrong = server.Http("not-a-token");

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 30; i++)
        {
            statuses.Add((await wrong.GetAsync("api/devices")).StatusCode);
        }

        // Ten plain refusals (the first two answered at once, the next ones slowed), then 429 from that address.
        Assert.Equal(Enumerable.Repeat(HttpStatusCode.Unauthorized, 10).Concat(Enumerable.Repeat(HttpStatusCode.TooManyRequests, 20)), statuses);
        var refused = await wrong.GetAsync("api/devices");
        Assert.True(refused.Headers.RetryAfter is not null);
        // The right token from the same address is refused too until the window passes: guessing is what is slowed.
        using var right = server.Http(alice);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await right.GetAsync("api/devices")).StatusCode);
        var metrics = await server.Http().GetStringAsync("metrics");
        Assert.True(PrometheusText.Value(metrics, "irrigation_auth_throttled_total", "decision=delayed") >= 7, metrics);
        Assert.True(PrometheusText.Value(metrics, "irrigation_auth_throttled_total", "decision=refused") >= 20, metrics);
    }

    [Fact]
    public async Task WrongHellos_ManyInARow_RefusedWithTheReasonAndCounted()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:FirstDelay"] = "00:00:00.010",
            ["Auth:MaxDelay"] = "00:00:00.050",
            ["Auth:RefuseAfter"] = "4",
        });
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");

        var reasons = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var socket = await server.OpenControllerSocketAsync();
            await socket.SendAsync(TestController.Hello("farm-01", "guess-" + i, 1));
            await socket.WaitClosedAsync();
            reasons.Add(socket.CloseDescription ?? "");
        }

        Assert.Equal(4, reasons.Count(r => r.Contains("wrong token")));
        Assert.Equal(2, reasons.Count(r => r.Contains("too many failed hellos")));
        // Even the right token is refused from that address for that device now: the id is locked out, not only the guess.
        var right = await server.OpenControllerSocketAsync();
        await right.SendAsync(TestController.Hello("farm-01", farm, 1));
        await right.WaitClosedAsync();
        Assert.Contains("too many failed hellos", right.CloseDescription);
        using var http = server.Http();
        Assert.True(PrometheusText.Value(await http.GetStringAsync("metrics"), "irrigation_auth_throttled_total", "decision=refused") >= 3);
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
