using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Net.WebSockets;
using Irrigation.Server.Observability;
using Irrigation.Server.Relay;
using Irrigation.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Relay;

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
            // One commit's events arrive at a queue together: keep batches well below the queue length.
            ["Storage:IngestBatchSize"] = "8",
            ["Relay:MaxEventsPerSecond"] = "100000",
            ["Relay:RateBurst"] = "100000",
        });
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var metrics = server.Services.GetRequiredService<RelayMetrics>();
        var hubs = server.Services.GetRequiredService<UserHubs>();
        using var tinyWindow = TinyReceiveWindow();
        var stuck = await server.ConnectDashboardAsync("alice", alice, read: false, invoker: tinyWindow);
        var healthy = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        var sent = 0L;
        var maxQueued = 0;

        // Telemetry until the stuck dashboard's queue overflows and drops (it is still connected then).
        while (metrics.Dropped == 0 && sent < 40_000)
        {
            sent = await SendBatchAsync(controller, healthy, 200, "temperature", "{\"time\":1764547200,\"record\":1}");
            maxQueued = Math.Max(maxQueued, hubs.AllDashboards().Max(d => d.QueuedCount));
        }

        Assert.True(metrics.Dropped > 0, "the stuck dashboard's queue never filled");
        // Must-deliver events from now on: the stuck dashboard cannot take them, so it is disconnected.
        while (metrics.DisconnectedCount("queue_overflow") + metrics.DisconnectedCount("stuck") == 0 && sent < 80_000)
        {
            sent = await SendBatchAsync(controller, healthy, 50, "log", "{\"time\":1764547200,\"level\":\"W\",\"message\":\"m\"}");
            maxQueued = Math.Max(maxQueued, hubs.AllDashboards().DefaultIfEmpty().Max(d => d?.QueuedCount ?? 0));
        }

        Assert.Equal(1, metrics.DisconnectedCount("queue_overflow") + metrics.DisconnectedCount("stuck"));
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
        var metrics = server.Services.GetRequiredService<RelayMetrics>();
        using var tinyWindow = TinyReceiveWindow();
        var stuck = await server.ConnectDashboardAsync("alice", alice, read: false, invoker: tinyWindow);
        var healthy = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        var message = new string('m', 7000);

        // Far fewer frames than the queue holds, so only a send that never completes can end the stuck dashboard:
        // 7 MB is more than the kernel buffers of a peer that reads nothing (4 MiB send buffer at most on Linux),
        // and then nothing new is queued.
        var sent = await SendBatchAsync(controller, healthy, 1000, "log", $"{{\"time\":1764547200,\"level\":\"W\",\"message\":\"{message}\"}}");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (metrics.DisconnectedCount("stuck") == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1000, sent);
        Assert.Equal(1, metrics.DisconnectedCount("stuck"));
        Assert.Equal(0, metrics.DisconnectedCount("queue_overflow"));
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
