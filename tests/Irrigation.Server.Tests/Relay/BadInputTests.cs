using System.Net.WebSockets;
using System.Text;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Relay;

public class BadInputTests
{
    [Fact]
    public async Task InvalidVectors_OverTheSocket_EachGetsItsCodeAndConnectionCarriesOn()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Relay:MaxRejectedFrames"] = "1000" });
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "to-server", "invalid"), "*.txt").Order().ToList();

        for (var i = 0; i < files.Count; i++)
        {
            await controller.Socket.SendBytesAsync(File.ReadAllBytes(files[i]), WebSocketMessageType.Text);
            var errors = i + 1;
            await controller.Socket.WaitForAsync(_ => controller.ErrorCodes.Count >= errors, $"error #{errors}");
        }

        var expected = files.Select(f => Path.GetFileName(f).Split("--")[0]).ToList();
        Assert.Equal(expected, controller.ErrorCodes);
        // Still open: a valid event afterwards is stored, acked and broadcast.
        controller.SetNextSeq(100);
        var seq = await controller.TemperatureAsync(1764547200, 223);
        await controller.WaitAckAsync(seq);
        await board.WaitForAsync(f => TestSocket.Event(f) == "temperature", "temperature");
        Assert.Equal(1, board.Count(f => f.TryGetProperty("device", out _) && TestSocket.Event(f) is not ("device_online")));
    }

    [Fact]
    public async Task BinaryFrame_IsBadJson_AndConnectionCarriesOn()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        await controller.Socket.SendBytesAsync(Encoding.UTF8.GetBytes("{\"event\":\"temperature\",\"seq\":1,\"data\":{\"time\":1,\"record\":1}}"), WebSocketMessageType.Binary);
        await controller.Socket.WaitForEventAsync("error");
        var seq = await controller.TemperatureAsync(1764547200, 223);

        await controller.WaitAckAsync(seq);
        Assert.Equal(["bad_json"], controller.ErrorCodes);
    }

    [Fact]
    public async Task InvalidUtf8InTextFrame_FailedByWebSocketLayer_OthersUnaffected()
    {
        // RFC 6455 8.1: the WebSocket implementation fails a text frame with invalid UTF-8 itself before the relay
        // sees it, so the contract's bad_json applies to binary frames and to the validator (unit-tested). .NET's
        // implementation queues a 1007 close frame and aborts the connection in the same breath, so on a busy
        // machine the peer sees a reset instead of the close frame: either way the connection ends.
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var other = await server.AddDeviceAsync("farm-02", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var bad = await server.ConnectControllerAsync("farm-01", farm);
        await using var good = await server.ConnectControllerAsync("farm-02", other);
        var bytes = Encoding.UTF8.GetBytes("{\"event\":\"log\",\"seq\":1,\"data\":{\"time\":1,\"level\":\"W\",\"message\":\"ab\"}}");
        bytes[^5] = 0xFF;

        await bad.Socket.SendBytesAsync(bytes, WebSocketMessageType.Text);

        var status = await bad.Socket.WaitClosedAsync();

        Assert.True(status is WebSocketCloseStatus.InvalidPayloadData or null, $"closed with {status}");
        var seq = await good.TemperatureAsync(1764547200, 5);
        await good.WaitAckAsync(seq);
        await board.WaitForEventAsync("temperature");
        await board.WaitForAsync(f => TestSocket.Event(f) == "device_offline", "farm-01 offline");
    }

    [Fact]
    public async Task OversizeFrame_IsTooLarge_ThenConnectionCarriesOn()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        await controller.SendAsync("log", $"{{\"time\":1764547200,\"level\":\"W\",\"message\":\"{new string('x', 9000)}\"}}");
        await controller.Socket.WaitForEventAsync("error");
        var seq = await controller.TemperatureAsync(1764547200, 223);

        await controller.WaitAckAsync(seq);
        Assert.Equal(["too_large"], controller.ErrorCodes);
    }

    [Fact]
    public async Task OversizeFrames_KeptSending_Closed1009()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Relay:MaxRejectedFrames"] = "3" });
        await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        for (var i = 0; i < 3; i++)
        {
            await controller.Socket.SendAsync(new string(' ', 9000));
        }

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await controller.Socket.WaitClosedAsync());
        Assert.Equal(["too_large", "too_large", "too_large"], controller.ErrorCodes);
    }

    [Fact]
    public async Task RejectedFrames_KeptSending_Closed1008AndOthersUnaffected()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?> { ["Relay:MaxRejectedFrames"] = "5" });
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var other = await server.AddDeviceAsync("farm-02", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var bad = await server.ConnectControllerAsync("farm-01", farm);
        await using var good = await server.ConnectControllerAsync("farm-02", other);

        for (var i = 0; i < 5; i++)
        {
            await bad.Socket.SendAsync("not json");
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await bad.Socket.WaitClosedAsync());
        var seq = await good.TemperatureAsync(1764547200, 5);
        await good.WaitAckAsync(seq);
        await board.WaitForEventAsync("temperature");
        Assert.Equal(5, bad.ErrorCodes.Count);
    }


}
