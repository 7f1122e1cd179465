using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Relay;

public class RoutingTests
{
    [Fact]
    public async Task Temperature_FromController_ReachesOwnersDashboardTaggedAndNotOtherUsers()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var bob = await server.CreateUserAsync("bob");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var barn = await server.AddDeviceAsync("barn-01", "bob", "zone1");
        var aliceBoard = await server.ConnectDashboardAsync("alice", alice);
        var bobBoard = await server.ConnectDashboardAsync("bob", bob);
        await using var aliceController = await server.ConnectControllerAsync("farm-01", farm);
        await using var bobController = await server.ConnectControllerAsync("barn-01", barn);

        var seq = await aliceController.TemperatureAsync(1764547200, 223);
        var bobSeq = await bobController.TemperatureAsync(1764547200, 111);

        var seen = await aliceBoard.WaitForEventAsync("temperature");
        Assert.Equal("farm-01", seen.GetProperty("device").GetString());
        Assert.Equal(seq, seen.GetProperty("seq").GetInt64());
        Assert.Equal(223, seen.GetProperty("data").GetProperty("record").GetInt32());
        Assert.Equal(1764547200, seen.GetProperty("data").GetProperty("time").GetInt64());
        // Bob's own event arriving proves his stream is live; Alice's never appears in it.
        var bobSeen = await bobBoard.WaitForEventAsync("temperature");
        Assert.Equal("barn-01", bobSeen.GetProperty("device").GetString());
        Assert.Equal(bobSeq, bobSeen.GetProperty("seq").GetInt64());
        Assert.Equal(0, bobBoard.Count(f => f.TryGetProperty("device", out var d) && d.GetString() == "farm-01"));
        Assert.Equal(0, aliceBoard.Count(f => f.TryGetProperty("device", out var d) && d.GetString() == "barn-01"));
    }

    [Fact]
    public async Task Snapshot_OnJoin_ShowsOnlineStateLastValuesAndZones()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1", "zone2");
        await server.AddDeviceAsync("farm-02", "alice");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        await controller.TemperatureAsync(1764547190, 223);
        await controller.SendAsync("soil_moisture", "{\"time\":1764547191,\"record\":371,\"raw\":2710,\"zone\":\"zone1\"}");
        var started = await controller.SendAsync("irrigation_started", "{\"time\":1764547192,\"zones\":[\"zone2\"],\"reason\":\"manual\",\"duration\":600}");
        await controller.WaitAckAsync(started);

        var board = await server.ConnectDashboardAsync("alice", alice);

        var devices = board.Frames[0].GetProperty("data").GetProperty("devices").EnumerateArray().ToList();
        Assert.Equal(["farm-01", "farm-02"], devices.Select(d => d.GetProperty("device").GetString()));
        var farm01 = devices[0];
        Assert.True(farm01.GetProperty("online").GetBoolean());
        Assert.True(farm01.GetProperty("last_seen").GetInt64() > 0);
        Assert.Equal(223, farm01.GetProperty("last").GetProperty("temperature").GetProperty("record").GetInt32());
        Assert.Equal(1764547190, farm01.GetProperty("last").GetProperty("temperature").GetProperty("time").GetInt64());
        Assert.Equal(2710, farm01.GetProperty("last").GetProperty("soil_moisture").GetProperty("raw").GetInt32());
        var zones = farm01.GetProperty("zones").EnumerateArray().ToDictionary(z => z.GetProperty("zone").GetString()!, z => z.GetProperty("open").GetBoolean());
        Assert.Equal(new Dictionary<string, bool> { ["zone1"] = false, ["zone2"] = true }, zones);
        Assert.False(devices[1].GetProperty("online").GetBoolean());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, devices[1].GetProperty("last_seen").ValueKind);
    }

    [Fact]
    public async Task Presence_ControllerConnectsAndCloses_DashboardSeesOnlineThenOffline()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);

        var controller = await server.ConnectControllerAsync("farm-01", farm);
        var online = await board.WaitForEventAsync("device_online");
        await controller.Socket.CloseAsync();
        var offline = await board.WaitForEventAsync("device_offline");

        Assert.Equal("farm-01", online.GetProperty("device").GetString());
        Assert.Equal("farm-01", offline.GetProperty("device").GetString());
        Assert.True(offline.GetProperty("data").GetProperty("time").GetInt64() > 0);
    }

    [Fact]
    public async Task Events_ManyInARow_ArriveAtDashboardInOrder()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        for (var i = 0; i < 200; i++)
        {
            await controller.TemperatureAsync(1764547200 + i, i);
        }

        await board.WaitForAsync(f => TestSocket.Event(f) == "temperature" && f.GetProperty("seq").GetInt64() == 200, "seq 200");
        var seqs = board.Frames.Where(f => TestSocket.Event(f) == "temperature").Select(f => f.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seqs);
    }

    [Fact]
    public async Task CommandResult_FromController_ReachesDashboard()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        await controller.SendAsync("command_result", "{\"time\":1764547260,\"id\":\"c-1\",\"ok\":false,\"error\":\"busy\"}");

        var result = await board.WaitForEventAsync("command_result");
        Assert.Equal("c-1", result.GetProperty("data").GetProperty("id").GetString());
        Assert.False(result.GetProperty("data").GetProperty("ok").GetBoolean());
    }
}
