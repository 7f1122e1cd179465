using System.Net.WebSockets;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Relay;

public class ControllerAuthTests
{
    [Fact]
    public async Task Hello_WrongToken_Closed1008AndNothingBroadcast()
    {
        await AssertRefusedAsync(async (server, farmToken) =>
        {
            var socket = await server.OpenControllerSocketAsync();
            await socket.SendAsync(TestController.Hello("farm-01", "not-the-token", 1));
            return socket;
        });
    }

    [Fact]
    public async Task Hello_UnknownDevice_Closed1008AndNothingBroadcast()
    {
        await AssertRefusedAsync(async (server, farmToken) =>
        {
            var socket = await server.OpenControllerSocketAsync();
            await socket.SendAsync(TestController.Hello("ghost-01", farmToken, 1));
            return socket;
        });
    }

    [Fact]
    public async Task Hello_AnotherDevicesToken_Closed1008()
    {
        await AssertRefusedAsync(async (server, farmToken) =>
        {
            var otherToken = await server.AddDeviceAsync("farm-02", "alice", "zone1");
            var socket = await server.OpenControllerSocketAsync();
            await socket.SendAsync(TestController.Hello("farm-01", otherToken, 1));
            return socket;
        });
    }

    [Fact]
    public async Task EventBeforeHello_Closed1008AndNothingBroadcast()
    {
        await AssertRefusedAsync(async (server, farmToken) =>
        {
            var socket = await server.OpenControllerSocketAsync();
            await socket.SendAsync("{\"event\":\"temperature\",\"seq\":1,\"data\":{\"time\":1764547200,\"record\":223}}");
            return socket;
        });
    }

    [Fact]
    public async Task NoHelloWithinTimeout_Closed1008()
    {
        await AssertRefusedAsync(
            async (server, farmToken) => await server.OpenControllerSocketAsync(),
            new Dictionary<string, string?> { ["Relay:HelloTimeout"] = "00:00:00.300" });
    }

    [Fact]
    public async Task Hello_DeviceTokenUsedAsUserToken_RefusedByDashboard()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");

        using var http = server.Http(farm);
        var response = await http.GetAsync("api/devices");

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task AssertRefusedAsync(
        Func<TestServer, string, Task<TestSocket>> misbehave, IDictionary<string, string?>? settings = null)
    {
        await using var server = await TestServer.StartAsync(settings);
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var sentinel = await server.AddDeviceAsync("sentinel", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);

        var socket = await misbehave(server, farm);
        var status = await socket.WaitClosedAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.False(string.IsNullOrEmpty(socket.CloseDescription));
        Assert.DoesNotContain(socket.Frames, f => TestSocket.Event(f) == "welcome");
        // A good controller's event after the refusal reaches the dashboard; nothing of the refused one did.
        await using var good = await server.ConnectControllerAsync("sentinel", sentinel);
        await good.TemperatureAsync(1764547200, 1);
        await board.WaitForEventAsync("temperature");
        Assert.Equal(0, board.Count(f => f.TryGetProperty("device", out var d) && d.GetString() != "sentinel"));
        using var http = server.Http(alice);
        var readings = await http.GetStringAsync("api/devices/farm-01/readings?kind=temperature&from=0&to=2000000000");
        Assert.Contains("\"buckets\":[]", readings);
    }
}
