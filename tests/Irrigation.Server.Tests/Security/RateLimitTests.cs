using System.Net.WebSockets;
using System.Text.Json;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Security;

/// <summary>A controller above its event rate is slowed down, never refused: nothing it sent is lost.</summary>
public class RateLimitTests
{
    [Fact]
    public async Task Replay_5000EventsAsFastAsItCan_DefaultLimits_EveryOneStoredOnceAndAckedNoneRejected()
    {
        // Above the default burst (1,000): the rest waits for the default rate (200 events/s), about 20 s.
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        const int count = 5000;
        // As fast as the socket takes them; TCP pushes back while the server waits.
        for (var i = 1; i <= count; i++)
        {
            await controller.TemperatureAsync(1_764_547_200 + i, i % 800);
        }

        await controller.Socket.WaitForAsync(
            f => TestSocket.Event(f) == "ack" && f.GetProperty("data").GetProperty("seq").GetInt64() >= count, "the last ack", TimeSpan.FromMinutes(2));
        Assert.Empty(controller.ErrorCodes);
        Assert.False(controller.Socket.IsClosed);
        using var http = server.Http(alice);
        var buckets = JsonDocument.Parse(await http.GetStringAsync($"api/devices/farm-01/readings?kind=temperature&from=0&to={1_764_547_200 + count + 1}&points=1"))
            .RootElement.GetProperty("buckets");
        Assert.Equal(count, buckets[0].GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task Flood_AboveTheRateForLong_ClosedAfterEverythingItSentWasStoredAndAcked()
    {
        await using var server = await TestServer.StartAsync(new Dictionary<string, string?>
        {
            // Slow enough that a sender outruns it on any machine, however loaded.
            ["Relay:MaxEventsPerSecond"] = "5",
            ["Relay:RateBurst"] = "5",
            ["Relay:MaxThrottledTime"] = "00:00:01",
        });
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var controller = await server.ConnectControllerAsync("farm-01", farm);
        await using var _ = controller;

        var sent = 0L;
        try
        {
            while (!controller.Socket.IsClosed && sent < 10_000)
            {
                sent = await controller.TemperatureAsync(1_764_547_200 + sent, 1);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The server closed under the flood.
        }

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await controller.Socket.WaitClosedAsync());
        Assert.Contains("rate_limited", controller.ErrorCodes);
        // Whatever was acknowledged is stored, exactly once.
        using var http = server.Http(alice);
        var buckets = JsonDocument.Parse(await http.GetStringAsync($"api/devices/farm-01/readings?kind=temperature&from=0&to={1_764_547_200 + sent + 1}&points=1"))
            .RootElement.GetProperty("buckets");
        Assert.True(buckets[0].GetProperty("count").GetInt64() >= controller.HighestAck);
        Assert.True(controller.HighestAck >= 5, $"acked {controller.HighestAck}");
    }
}
