using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Cluster;

/// <summary>Two or three real server processes on one PostgreSQL and one Redis.</summary>
[Collection("postgres")]
public class ClusterTests(PostgresFixture postgres)
{
    [Fact]
    public async Task ControllerOnA_DashboardOnB_GetsEveryEventInOrderAndThePresence()
    {
        await using var cluster = await TestCluster.StartAsync(postgres.Server, 2);
        var alice = await cluster.CliAsync("users", "add", "alice");
        var farm = await cluster.CliAsync("devices", "add", "farm-01", "--owner", "alice", "--zones", "zone1");
        var board = await cluster.ConnectDashboardAsync(1, "alice", alice);

        await using var controller = await cluster.ConnectControllerAsync(0, "farm-01", farm, boot: 1);
        for (var i = 0; i < 200; i++)
        {
            await controller.TemperatureAsync(1764547200 + i, i);
        }

        await controller.WaitAckAsync(200);
        await board.WaitForAsync(f => f.TryGetProperty("seq", out var s) && s.GetInt64() == 200, "seq 200 on B");
        var seqs = board.Frames.Where(f => TestSocket.Event(f) == "temperature").Select(f => f.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), seqs);
        Assert.Contains(board.Frames, f => TestSocket.Event(f) == "device_online");
        // B's API knows the device is online and its last value, though the controller is on A.
        using var http = cluster.Http(1, alice);
        var device = JsonDocument.Parse(await http.GetStringAsync("api/devices")).RootElement.GetProperty("devices")[0];
        Assert.True(device.GetProperty("online").GetBoolean());
        Assert.Equal(199, device.GetProperty("last").GetProperty("temperature").GetProperty("record").GetInt32());
    }

    [Fact]
    public async Task ThreeControllersBurstOnA_DashboardOnB_GetsEachDevicesEventsOnceInOrder()
    {
        // Bursts are what A packs into one Redis message per device (DeviceOutbox): beyond its 32 frames, from several
        // devices at once. 3 x 300 events stay under the dashboard's queue (1,024), so nothing may be dropped.
        const int events = 300;
        await using var cluster = await TestCluster.StartAsync(postgres.Server, 2, "--Relay:RateBurst", "1000000", "--Relay:MaxEventsPerSecond", "1000000");
        var alice = await cluster.CliAsync("users", "add", "alice");
        var devices = new[] { "farm-01", "farm-02", "farm-03" };
        var tokens = new List<string>();
        foreach (var device in devices)
        {
            tokens.Add(await cluster.CliAsync("devices", "add", device, "--owner", "alice", "--zones", "zone1"));
        }

        var board = await cluster.ConnectDashboardAsync(1, "alice", alice);
        var controllers = new List<TestController>();
        for (var i = 0; i < devices.Length; i++)
        {
            controllers.Add(await cluster.ConnectControllerAsync(0, devices[i], tokens[i], boot: 1));
        }

        await Task.WhenAll(controllers.Select(c => Task.Run(async () =>
        {
            for (var i = 0; i < events; i++)
            {
                await c.TemperatureAsync(1764547200 + i, i);
            }

            await c.WaitAckAsync(events);
        })));
        foreach (var device in devices)
        {
            await board.WaitForAsync(f => TestSocket.Event(f) == "temperature" && f.GetProperty("device").GetString() == device && f.GetProperty("seq").GetInt64() == events, $"{device} seq {events} on B");
        }

        foreach (var device in devices)
        {
            var seqs = board.Frames.Where(f => TestSocket.Event(f) == "temperature" && f.GetProperty("device").GetString() == device).Select(f => f.GetProperty("seq").GetInt64());
            Assert.Equal(Enumerable.Range(1, events).Select(i => (long)i), seqs);
        }

        foreach (var controller in controllers)
        {
            await controller.DisposeAsync();
        }
    }

    [Fact]
    public async Task CommandOnB_ControllerOnA_ReachesItAndOfflineEverywhereIs409()
    {
        await using var cluster = await TestCluster.StartAsync(postgres.Server, 2);
        var alice = await cluster.CliAsync("users", "add", "alice");
        var farm = await cluster.CliAsync("devices", "add", "farm-01", "--owner", "alice", "--zones", "zone1");
        using var http = cluster.Http(1, alice);
        var offline = await http.PostAsJsonAsync("api/devices/farm-01/irrigate", new { zones = new[] { "zone1" }, duration = 60 });
        Assert.Equal(HttpStatusCode.Conflict, offline.StatusCode);

        await using var controller = await cluster.ConnectControllerAsync(0, "farm-01", farm, boot: 1);
        var response = await http.PostAsJsonAsync("api/devices/farm-01/irrigate", new { zones = new[] { "zone1" }, duration = 60 });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        var command = await controller.Socket.WaitForEventAsync("irrigate");
        Assert.Equal(id, command.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(60, command.GetProperty("data").GetProperty("duration").GetInt32());
        // Ids come from the shared database: a command from A next gets the next number.
        using var httpA = cluster.Http(0, alice);
        var next = await httpA.PostAsJsonAsync("api/devices/farm-01/stop", new { zones = Array.Empty<string>() });
        Assert.NotEqual(id, JsonDocument.Parse(await next.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task SecondConnectionOnB_SameDevice_ReplacesTheOneOnA()
    {
        await using var cluster = await TestCluster.StartAsync(postgres.Server, 2);
        var alice = await cluster.CliAsync("users", "add", "alice");
        var farm = await cluster.CliAsync("devices", "add", "farm-01", "--owner", "alice", "--zones", "zone1");
        var board = await cluster.ConnectDashboardAsync(0, "alice", alice);
        await using var first = await cluster.ConnectControllerAsync(0, "farm-01", farm, boot: 1);

        await using var second = await cluster.ConnectControllerAsync(1, "farm-01", farm, boot: 1);

        Assert.Equal(WebSocketCloseStatus.NormalClosure, await first.Socket.WaitClosedAsync());
        await second.TemperatureAsync(1000, 7);
        await board.WaitForEventAsync("temperature");
        await Task.Delay(500);
        Assert.DoesNotContain(board.Frames, f => TestSocket.Event(f) == "device_offline");
    }

    [Fact]
    public async Task InstanceKilledMidStream_ControllerMovesToB_NothingAckedLostNothingStoredTwice()
    {
        await using var cluster = await TestCluster.StartAsync(postgres.Server, 2, "--Relay:RateBurst", "1000000");
        var alice = await cluster.CliAsync("users", "add", "alice");
        var farm = await cluster.CliAsync("devices", "add", "farm-01", "--owner", "alice", "--zones", "zone1");
        var board = await cluster.ConnectDashboardAsync(1, "alice", alice);
        const long boot = 42;
        var controller = await cluster.ConnectControllerAsync(0, "farm-01", farm, boot);
        await board.WaitForEventAsync("device_online");
        long total = 0;
        var sending = Task.Run(async () =>
        {
            try
            {
                for (var seq = 1; seq <= 100_000; seq++)
                {
                    total = seq;
                    await controller.SendWithSeqAsync(seq, "temperature", $"{{\"time\":{1_764_547_200 + seq},\"record\":{seq % 800}}}");
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A died under us: expected.
            }
        });
        await controller.WaitAckAsync(500);

        cluster.Instances[0].KillHard();
        await sending;
        var acked = controller.HighestAck;
        await controller.DisposeAsync();

        // B's dashboards see the controller go offline when A's liveness lapses (within 2 x keepalive) …
        await board.WaitForEventAsync("device_offline");
        // … and online again when it reconnects to B, which resumes from the shared store.
        await using var moved = await cluster.ConnectControllerAsync(1, "farm-01", farm, boot);
        var resume = moved.Welcome.GetProperty("data").GetProperty("resume").GetInt64();
        Assert.True(resume >= acked, $"resume {resume} < acked {acked}");
        for (var seq = resume + 1; seq <= total; seq++)
        {
            await moved.SendWithSeqAsync(seq, "temperature", $"{{\"time\":{1_764_547_200 + seq},\"record\":{seq % 800}}}");
        }

        await moved.WaitAckAsync(total);
        await board.WaitForAsync(f => TestSocket.Event(f) == "device_online" && board.Frames.Count(x => TestSocket.Event(x) == "device_online") >= 2, "online again");
        using var http = cluster.Http(1, alice);
        var buckets = JsonDocument.Parse(await http.GetStringAsync($"api/devices/farm-01/readings?kind=temperature&from=0&to={1_764_547_200 + total + 1}&points=1"))
            .RootElement.GetProperty("buckets");
        Assert.Equal(total, buckets[0].GetProperty("count").GetInt64());
        Assert.InRange(acked, 500, total - 1);
    }
}
