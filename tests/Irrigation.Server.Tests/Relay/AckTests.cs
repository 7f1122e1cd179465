using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Relay;

public class AckTests
{
    [Fact]
    public async Task Ack_AfterEvents_CumulativeAndNeverDecreasing()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        for (var i = 0; i < 50; i++)
        {
            await controller.TemperatureAsync(1764547200 + i, i);
        }

        await controller.WaitAckAsync(50);
        var acks = controller.Socket.Frames.Where(f => TestSocket.Event(f) == "ack").Select(f => f.GetProperty("data").GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(acks.Order(), acks);
        Assert.Equal(50, acks[^1]);
        Assert.Equal(0, controller.Welcome.GetProperty("data").GetProperty("resume").GetInt64());
        Assert.True(controller.Welcome.GetProperty("data").GetProperty("time").GetInt64() > 1_700_000_000);
    }

    [Fact]
    public async Task LivePath_CommitHeld_DashboardGetsTheEventAndTheAckWaitsForTheCommit()
    {
        await using var server = await TestServer.StartAsync(services: GatedEventStore.Register);
        var store = server.Services.GetRequiredService<GatedEventStore>();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        var seq = await controller.TemperatureAsync(1764547200, 215);
        await store.CommitRequested.WaitAsync(TestSocket.Patience);

        // On the dashboard at once, while the commit that holds it waits.
        await board.WaitForEventAsync("temperature");
        await Task.Delay(300);
        Assert.DoesNotContain(controller.Socket.Frames, f => TestSocket.Event(f) == "ack");
        store.Open();
        await controller.WaitAckAsync(seq);
    }

    [Fact]
    public async Task Acks_WhileCommandsQueue_EveryFrameArrivesInOrder()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            ["Relay:MaxEventsPerSecond"] = "100000",
            ["Relay:RateBurst"] = "100000",
        });
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        using var http = server.Http(alice);

        var events = Task.Run(async () =>
        {
            for (var i = 0; i < 2000; i++)
            {
                await controller.TemperatureAsync(1764547200 + i, i % 800);
            }
        });
        var commands = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var response = await http.PostAsJsonAsync("api/devices/farm-01/stop", new { zones = Array.Empty<string>() });
                Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
            }
        });
        await Task.WhenAll(events, commands);
        await controller.WaitAckAsync(2000);
        await controller.Socket.WaitForAsync(_ => controller.Socket.Count(f => TestSocket.Event(f) == "stop") == 40, "40 stop commands");

        var acks = controller.Socket.Frames.Where(f => TestSocket.Event(f) == "ack").Select(f => f.GetProperty("data").GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(acks.Order(), acks);
        Assert.Equal(2000, acks[^1]);
        Assert.Equal("welcome", TestSocket.Event(controller.Socket.Frames[0]));
        Assert.False(controller.Socket.IsClosed);
    }

    [Fact]
    public async Task Duplicates_SameSeqTwiceAndReplayAfterReconnect_StoredOnceAndAckedAgain()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        var first = await server.ConnectControllerAsync("farm-01", farm, boot: 77);
        await first.SendWithSeqAsync(1, "temperature", "{\"time\":1000,\"record\":10}");
        await first.SendWithSeqAsync(2, "temperature", "{\"time\":1001,\"record\":20}");
        await first.SendWithSeqAsync(2, "temperature", "{\"time\":1001,\"record\":20}");
        await first.SendWithSeqAsync(3, "log", "{\"time\":1002,\"level\":\"W\",\"message\":\"m\"}");
        await first.WaitAckAsync(3);
        await first.Socket.CloseAsync();

        await using var second = await server.ConnectControllerAsync("farm-01", farm, boot: 77);
        Assert.Equal(3, second.Welcome.GetProperty("data").GetProperty("resume").GetInt64());
        // Replays 1..3 (as if it had missed the acks), then a new one.
        await second.SendWithSeqAsync(1, "temperature", "{\"time\":1000,\"record\":10}");
        await second.SendWithSeqAsync(3, "log", "{\"time\":1002,\"level\":\"W\",\"message\":\"m\"}");
        await second.SendWithSeqAsync(4, "temperature", "{\"time\":1003,\"record\":40}");
        await second.WaitAckAsync(4);

        using var http = server.Http(alice);
        var buckets = await Buckets(http, "from=0&to=2000&points=1");
        Assert.Equal(3, buckets[0].GetProperty("count").GetInt32());
        var events = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/events?kind=log")).RootElement.GetProperty("events");
        Assert.Equal(1, events.GetArrayLength());
        await board.WaitForAsync(f => TestSocket.Event(f) == "temperature" && f.GetProperty("seq").GetInt64() == 4, "seq 4");
        Assert.Equal(3, board.Count(f => TestSocket.Event(f) == "temperature"));
        // The repeated seq 2 on the first connection was acked again, with the cumulative value.
        Assert.True(first.Socket.Count(f => TestSocket.Event(f) == "ack") >= 1);
    }

    [Fact]
    public async Task Resume_NewBoot_StartsAtZero()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var first = await server.ConnectControllerAsync("farm-01", farm, boot: 1);
        await first.TemperatureAsync(1000, 1);
        await first.TemperatureAsync(1001, 2);
        await first.WaitAckAsync(2);
        await first.Socket.CloseAsync();

        await using var rebooted = await server.ConnectControllerAsync("farm-01", farm, boot: 2);
        await using var sameBoot = await server.ConnectControllerAsync("farm-01", farm, boot: 1);

        Assert.Equal(0, rebooted.Welcome.GetProperty("data").GetProperty("resume").GetInt64());
        Assert.Equal(2, sameBoot.Welcome.GetProperty("data").GetProperty("resume").GetInt64());
    }

    [Fact]
    public async Task RejectedFrameWithSeq_IsAcked()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        await controller.TemperatureAsync(1000, 1);
        await controller.SendAsync("rain", "{\"time\":1001}");

        await controller.WaitAckAsync(2);
        Assert.Equal(["unknown_event"], controller.ErrorCodes);
    }

    [Fact]
    public async Task SecondConnection_SameDevice_ReplacesTheFirst()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var first = await server.ConnectControllerAsync("farm-01", farm);

        await using var second = await server.ConnectControllerAsync("farm-01", farm);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await first.Socket.WaitClosedAsync());
        var seq = await second.TemperatureAsync(1000, 1);
        await second.WaitAckAsync(seq);
        await board.WaitForEventAsync("temperature");
        // Replacement is not an offline moment: no device_offline between the two connections.
        Assert.Equal(0, board.Count(f => TestSocket.Event(f) == "device_offline"));
        using var http = server.Http(alice);
        Assert.Contains("\"online\":true", await http.GetStringAsync("api/devices"));
    }

    [Fact]
    public async Task VanishedController_NoPongs_ReportedOfflineAfterKeepaliveTimeout()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Relay:KeepAliveInterval"] = "00:00:00.300" });
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        // A client that never reads never answers pings, and sends no keepalive of its own: like a half-open TCP peer.
        var socket = await TestSocket.ConnectAsync(server.WsBase, o => o.KeepAliveInterval = TimeSpan.Zero, read: false);
        await using var _ = socket;
        await socket.SendAsync(TestController.Hello("farm-01", farm, 1));
        await board.WaitForEventAsync("device_online");

        var offline = await board.WaitForEventAsync("device_offline");

        Assert.Equal("farm-01", offline.GetProperty("device").GetString());
        using var http = server.Http(alice);
        Assert.Contains("\"online\":false", await http.GetStringAsync("api/devices"));
    }

    private static async Task<List<JsonElement>> Buckets(HttpClient http, string query)
    {
        var json = await http.GetStringAsync("api/devices/farm-01/readings?kind=temperature&" + query);
        return JsonDocument.Parse(json).RootElement.GetProperty("buckets").EnumerateArray().ToList();
    }
}
