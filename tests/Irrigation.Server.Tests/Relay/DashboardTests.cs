using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using Irrigation.Server.Relay;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Relay;

[Collection(MetricsCollection.Name)]
public class DashboardTests
{
    [Fact]
    public async Task StuckDashboard_NeverReads_HealthyOneGetsEverythingAndStuckOneIsDisconnected()
    {
        const int queueLength = 256;
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:DashboardQueueLength"] = queueLength.ToString(),
            ["Relay:StuckTimeout"] = "00:00:02",
            ["Relay:MaxEventsPerSecond"] = "100000",
            ["Relay:RateBurst"] = "100000",
        });
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http();
        using var tinyWindow = TinyReceiveWindow();
        var stuck = await server.ConnectDashboardAsync("alice", alice, read: false, invoker: tinyWindow);
        var healthy = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        var hub = (await server.Services.GetRequiredService<DeviceHubs>().WhenLoadedAsync("farm-01"))!;
        var sent = 0L;
        var maxQueued = 0;

        // Telemetry until the stuck dashboard's queue overflows and drops (it is still connected then). Large status
        // frames (2 KB) fill the kernel's socket buffers of a peer that reads nothing (several MB) in seconds.
        var openZones = string.Join(",", Enumerable.Range(0, 64).Select(i => $"\"zone-{i:D2}-{new string('x', 20)}\""));
        var status = $"{{\"time\":1764547200,\"uptime\":1,\"free_heap\":1,\"rssi\":-60,\"open_zones\":[{openZones}],\"buffered\":0,\"dropped\":0}}";
        while (await Metric(http, "irrigation_dropped_total") == 0 && sent < 40_000)
        {
            sent = await SendBatchAsync(controller, healthy, 200, "status", status);
            maxQueued = Math.Max(maxQueued, hub.Dashboards.Max(d => d.QueuedCount));
        }

        Assert.True(await Metric(http, "irrigation_dropped_total") > 0, "the stuck dashboard's queue never filled");
        // Must-deliver events from now on: the stuck dashboard cannot take them, so it is disconnected.
        while (await Disconnected(http) == 0 && sent < 80_000)
        {
            sent = await SendBatchAsync(controller, healthy, 50, "log", "{\"time\":1764547200,\"level\":\"W\",\"message\":\"m\"}");
            maxQueued = Math.Max(maxQueued, hub.Dashboards.DefaultIfEmpty().Max(d => d?.QueuedCount ?? 0));
        }

        Assert.Equal(1, await Disconnected(http));
        Assert.True(maxQueued <= queueLength, $"a queue held {maxQueued} frames");
        var delivered = healthy.Frames.Where(f => f.TryGetProperty("seq", out _)).Select(f => f.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, (int)sent).Select(i => (long)i), delivered);
        Assert.False(healthy.IsClosed);
        await stuck.DisposeAsync();
    }

    [Fact]
    public async Task StuckDashboard_SendBlocksWithNothingMoreQueued_WatchdogDisconnectsIt()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:StuckTimeout"] = "00:00:01",
            ["Relay:DashboardQueueLength"] = "4096",
            ["Relay:MaxEventsPerSecond"] = "100000",
            ["Relay:RateBurst"] = "100000",
        });
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http();
        using var tinyWindow = TinyReceiveWindow();
        var stuck = await server.ConnectDashboardAsync("alice", alice, read: false, invoker: tinyWindow);
        var healthy = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        var message = new string('m', 7000);

        // Far fewer frames than the queue holds, so only a send that never completes can end the stuck dashboard:
        // 14 MB is more than the kernel buffers of a peer that reads nothing (a few MB of send and receive buffers
        // on Linux), and then nothing new is queued.
        var sent = await SendBatchAsync(controller, healthy, 2000, "log", $"{{\"time\":1764547200,\"level\":\"W\",\"message\":\"{message}\"}}");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (await Metric(http, "irrigation_dashboards_disconnected_total", "reason=stuck") is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(2000, sent);
        Assert.Equal(1, await Metric(http, "irrigation_dashboards_disconnected_total", "reason=stuck"));
        Assert.Null(await Metric(http, "irrigation_dashboards_disconnected_total", "reason=queue_overflow"));
        Assert.False(healthy.IsClosed);
        Assert.Equal(0, server.Services.GetRequiredService<SendWatchdog>().Count - 2); // the healthy dashboard and the controller
        await stuck.DisposeAsync();
    }

    [Fact]
    public async Task Upgrade_NoToken_Returns401BeforeUpgrade()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");

        var error = await Assert.ThrowsAsync<WebSocketException>(() => TestSocket.ConnectAsync(new Uri(server.WsBase, "clients/alice")));
        using var http = server.Http();
        var response = await http.GetAsync("clients/alice");

        Assert.Contains("401", error.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Upgrade_UnknownToken_Returns401()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");

        var error = await Assert.ThrowsAsync<WebSocketException>(() =>
            TestSocket.ConnectAsync(new Uri(server.WsBase, "clients/alice?access_token=nope")));

        Assert.Contains("401", error.Message);
    }

    [Fact]
    public async Task Upgrade_AnotherUsersToken_Returns403()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");
        var bob = await server.CreateUserAsync("bob");

        var error = await Assert.ThrowsAsync<WebSocketException>(() =>
            TestSocket.ConnectAsync(new Uri(server.WsBase, $"clients/alice?access_token={bob}")));

        Assert.Contains("403", error.Message);
    }

    [Fact]
    public async Task Upgrade_SessionCookie_Authenticates()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http();
        var signIn = await http.PostAsJsonAsync("api/session", new { token = alice });
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single();

        var board = await TestSocket.ConnectAsync(new Uri(server.WsBase, "clients/alice"),
            o => o.SetRequestHeader("Cookie", cookie.Split(';')[0]));
        await using var _ = board;
        await board.WaitForEventAsync("snapshot");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        await controller.TemperatureAsync(1000, 1);

        await board.WaitForEventAsync("temperature");
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Shutdown_OpenSockets_ClosedWith1001()
    {
        var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        var controller = await server.ConnectControllerAsync("farm-01", farm);

        await server.DisposeAsync();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, board.CloseStatus);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, controller.Socket.CloseStatus);
    }

    private static async Task<double?> Metric(HttpClient http, string name, params string[] labels) =>
        PrometheusText.Value(await http.GetStringAsync("metrics"), name, labels);

    private static async Task<double> Disconnected(HttpClient http) =>
        (await Metric(http, "irrigation_dashboards_disconnected_total", "reason=queue_overflow") ?? 0)
        + (await Metric(http, "irrigation_dashboards_disconnected_total", "reason=stuck") ?? 0);

    private static async Task<long> SendBatchAsync(TestController controller, TestSocket healthy, int count, string name, string data)
    {
        long last = 0;
        for (var i = 0; i < count; i++)
        {
            last = await controller.SendAsync(name, data);
        }

        await healthy.WaitForAsync(f => f.TryGetProperty("seq", out var s) && s.GetInt64() == last, $"seq {last} on the healthy dashboard");
        return last;
    }

    // A client socket with a 4 KiB receive buffer: a dashboard that does not read backs up after a few frames.
    private static HttpMessageInvoker TinyReceiveWindow() => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    });
}
