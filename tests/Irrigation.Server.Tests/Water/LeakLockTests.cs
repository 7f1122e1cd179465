using System.Net;
using System.Text.Json;
using Irrigation.Server.Auth;
using Irrigation.Server.Storage;
using Irrigation.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Water;

/// <summary>Flow alerts and the leak lock: the clear-leak command by role, the device's state live and after a restart.</summary>
public class LeakLockTests : IDisposable
{
    private const string Leak = """{"time":1764547290,"kind":"leak","expected":0,"measured":35}""";
    private readonly string _dataDir = TestServer.NewTempDir();

    [Fact]
    public async Task ClearLeak_OwnerAndOperatorSent_ViewerForbidden_StrangerNotFound_EachAudited()
    {
        await using var server = await TestServer.StartAsync();
        var tokens = new Dictionary<string, string>();
        foreach (var user in new[] { "alice", "olga", "victor", "bob" })
        {
            tokens[user] = await server.CreateUserAsync(user);
        }

        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var sharing = server.Services.GetRequiredService<Sharing>();
        Assert.Null(await sharing.ShareAsync("alice", "farm-01", "olga", DeviceRole.Operator));
        Assert.Null(await sharing.ShareAsync("alice", "farm-01", "victor", DeviceRole.Viewer));
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);

        var status = new Dictionary<string, HttpStatusCode>();
        var ids = new Dictionary<string, string>();
        foreach (var (user, token) in tokens)
        {
            using var http = server.Http(token);
            var response = await http.PostAsync("api/devices/farm-01/clear-leak", null);
            status[user] = response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                ids[user] = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            }
        }

        Assert.Equal(HttpStatusCode.Accepted, status["alice"]);
        Assert.Equal(HttpStatusCode.Accepted, status["olga"]);
        Assert.Equal(HttpStatusCode.Forbidden, status["victor"]);
        Assert.Equal(HttpStatusCode.NotFound, status["bob"]);
        // The controller gets the id alone: {"event":"clear_leak","data":{"id":"c-N"}}.
        var frame = await controller.Socket.WaitForAsync(f => TestSocket.Event(f) == "clear_leak"
            && f.GetProperty("data").GetProperty("id").GetString() == ids["olga"], "olga's clear_leak");
        Assert.Equal(["id"], frame.GetProperty("data").EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, controller.Socket.Count(f => TestSocket.Event(f) == "clear_leak"));
        var audit = await server.Services.GetRequiredService<IAuditLog>().ListAsync("farm-01", 10);
        Assert.Contains(audit, a => (a.Actor, a.Action, a.Outcome) == ("alice", "clear_leak", "sent " + ids["alice"]));
        Assert.Contains(audit, a => (a.Actor, a.Action, a.Outcome) == ("olga", "clear_leak", "sent " + ids["olga"]));
        Assert.Contains(audit, a => (a.Actor, a.Action, a.Outcome) == ("victor", "clear_leak", "forbidden"));
        Assert.DoesNotContain(audit, a => a.Actor == "bob");
    }

    [Fact]
    public async Task ClearLeak_DeviceOffline_409AndAudited()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http(alice);

        var response = await http.PostAsync("api/devices/farm-01/clear-leak", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var entry = Assert.Single(await server.Services.GetRequiredService<IAuditLog>().ListAsync("farm-01", 10));
        Assert.Equal("clear_leak", entry.Action);
        Assert.StartsWith("offline", entry.Outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeakLock_LeakAlertThenClearAnsweredOk_SnapshotDeviceListAndStreamFollow()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1", "zone2");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        var board = await server.ConnectDashboardAsync("alice", alice);
        using var http = server.Http(alice);
        Assert.False((await DeviceAsync(http)).GetProperty("leak_locked").GetBoolean());

        await controller.SendAsync("flow_alert", """{"time":1764547200,"zone":"zone2","kind":"high","expected":180,"measured":560}""");
        await controller.SendAsync("flow_alert", Leak);

        var live = await board.WaitForAsync(f => TestSocket.Event(f) == "flow_alert" && f.GetProperty("data").GetProperty("kind").GetString() == "leak", "the leak alert");
        Assert.Equal("farm-01", live.GetProperty("device").GetString());
        var device = await DeviceAsync(http);
        Assert.True(device.GetProperty("leak_locked").GetBoolean());
        var alerts = device.GetProperty("flow_alerts").EnumerateArray().ToList();
        Assert.Equal(["leak", "high"], alerts.Select(a => a.GetProperty("kind").GetString()));
        Assert.Equal((180, 560, "zone2"), (alerts[1].GetProperty("expected").GetInt32(), alerts[1].GetProperty("measured").GetInt32(), alerts[1].GetProperty("zone").GetString()));
        Assert.False(alerts[0].TryGetProperty("zone", out _));
        var snapshot = (await server.ConnectDashboardAsync("alice", alice)).Frames[0].GetProperty("data").GetProperty("devices")[0];
        Assert.True(snapshot.GetProperty("leak_locked").GetBoolean());
        Assert.Equal(2, snapshot.GetProperty("flow_alerts").GetArrayLength());

        // A result of another command does not clear it; the clear's own ok does.
        var irrigate = await http.PostAsync("api/devices/farm-01/irrigate", Json("""{"zones":["zone1"],"duration":60}"""));
        var irrigateId = JsonDocument.Parse(await irrigate.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        await controller.SendAsync("command_result", $$"""{"time":1764547300,"id":"{{irrigateId}}","ok":true}""");
        var clear = await http.PostAsync("api/devices/farm-01/clear-leak", null);
        var clearId = JsonDocument.Parse(await clear.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString();
        await board.WaitForAsync(f => TestSocket.Event(f) == "command_result" && f.GetProperty("data").GetProperty("id").GetString() == irrigateId, "the irrigate's result");
        Assert.True((await DeviceAsync(http)).GetProperty("leak_locked").GetBoolean());
        var seq = await controller.SendAsync("command_result", $$"""{"time":1764547310,"id":"{{clearId}}","ok":true}""");
        await board.WaitForAsync(f => TestSocket.Event(f) == "command_result" && f.GetProperty("data").GetProperty("id").GetString() == clearId, "the clear's result");

        Assert.False((await DeviceAsync(http)).GetProperty("leak_locked").GetBoolean());
        await controller.WaitAckAsync(seq);
        // In the history under its own category, shown by default.
        var events = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/events")).RootElement.GetProperty("events");
        Assert.Equal(2, events.EnumerateArray().Count(e => e.GetProperty("category").GetString() == "flow_alert" && e.GetProperty("event").GetString() == "flow_alert"));
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("event").GetString() == "clear_leak" && e.GetProperty("category").GetString() == "command");
    }

    [Fact]
    public async Task LeakLock_ServerRestarted_StillLockedFromStoredEventsAndClearedByAResultAfterTheRestart()
    {
        string alice;
        string farm;
        string clearId;
        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            alice = await server.CreateUserAsync("alice");
            farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
            await using var controller = await server.ConnectControllerAsync("farm-01", farm);
            await controller.WaitAckAsync(await controller.SendAsync("flow_alert", Leak));
            using var http = server.Http(alice);
            // Sent before the restart, answered after it.
            var clear = await http.PostAsync("api/devices/farm-01/clear-leak", null);
            clearId = JsonDocument.Parse(await clear.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            await WaitStoredAsync(http, clearId);
        }

        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            using var http = server.Http(alice);
            var device = await DeviceAsync(http);
            Assert.True(device.GetProperty("leak_locked").GetBoolean());
            Assert.Equal("leak", device.GetProperty("flow_alerts")[0].GetProperty("kind").GetString());

            await using var controller = await server.ConnectControllerAsync("farm-01", farm, boot: 2);
            await controller.WaitAckAsync(await controller.SendAsync("command_result", $$"""{"time":1764547400,"id":"{{clearId}}","ok":true}""") );

            Assert.False((await DeviceAsync(http)).GetProperty("leak_locked").GetBoolean());
        }

        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            using var http = server.Http(alice);
            Assert.False((await DeviceAsync(http)).GetProperty("leak_locked").GetBoolean());
        }
    }

    public void Dispose() => TestServer.TryDelete(_dataDir);

    private static async Task<JsonElement> DeviceAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("api/devices")).RootElement.GetProperty("devices")[0];

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    // The server stores the commands it sends a moment after the dashboards saw them.
    private static async Task WaitStoredAsync(HttpClient http, string id)
    {
        var deadline = DateTime.UtcNow + TestSocket.Patience;
        while (!(await http.GetStringAsync("api/devices/farm-01/events?kind=command")).Contains(id, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{id} was not stored");
            await Task.Delay(20);
        }
    }
}
