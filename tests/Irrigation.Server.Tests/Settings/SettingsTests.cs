using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Irrigation.Server.Settings;
using Irrigation.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Settings;

/// <summary>Settings from the dashboard to the controllers: versions, delivery, answers, and the REST contract.</summary>
public class SettingsTests
{
    private const string Beds = """{"zones":[{"name":"zone1","dry":320,"wet":460,"cycle":300,"soak":900}],"seasonal_percent":80,"time_zone":"Europe/Paris"}""";

    [Fact]
    public async Task Put_OnlineController_SettingsFrameArrivesAndItsAnswerShowsApplied()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        using var http = server.Http(alice);

        var saved = await http.PutAsJsonAsync("api/devices/farm-01/settings", new { base_version = 0, settings = JsonDocument.Parse(Beds).RootElement });

        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await saved.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());
        var frame = (await controller.Socket.WaitForEventAsync("settings")).GetProperty("data");
        Assert.Equal(1, frame.GetProperty("version").GetInt32());
        Assert.InRange(frame.GetProperty("utc_offset").GetInt32(), 3600, 7200);
        Assert.Equal(80, frame.GetProperty("settings").GetProperty("seasonal_percent").GetInt32());
        // The time zone stays on the server: the controller gets its offset.
        Assert.False(frame.GetProperty("settings").TryGetProperty("time_zone", out _));
        Assert.Equal("pending", await StateAsync(http));
        await board.WaitForEventAsync(SettingsService.SavedEvent);

        await controller.SendAsync("settings_applied", """{"time":1764547300,"version":1}""");

        await board.WaitForEventAsync("settings_applied");
        Assert.Equal("applied", await WaitStateAsync(http, "applied"));
        var view = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/settings")).RootElement;
        Assert.Equal(1, view.GetProperty("applied_version").GetInt32());
        Assert.Equal("alice", view.GetProperty("updated_by").GetString());
        Assert.Equal("Europe/Paris", view.GetProperty("settings").GetProperty("time_zone").GetString());
    }

    [Fact]
    public async Task ThreeChangesWhileOffline_BoardReturns_GetsOnlyTheLastAndItsOffsetInWelcome()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http(alice);
        for (var version = 0; version < 3; version++)
        {
            var body = new { base_version = version, settings = JsonDocument.Parse($$"""{"seasonal_percent":{{90 + version}},"time_zone":"America/Chicago"}""").RootElement };
            Assert.Equal(HttpStatusCode.OK, (await http.PutAsJsonAsync("api/devices/farm-01/settings", body)).StatusCode);
        }

        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        var frame = (await controller.Socket.WaitForEventAsync("settings")).GetProperty("data");
        await Task.Delay(300);

        Assert.Equal(3, frame.GetProperty("version").GetInt32());
        Assert.Equal(92, frame.GetProperty("settings").GetProperty("seasonal_percent").GetInt32());
        Assert.Single(controller.Socket.Frames, f => TestSocket.Event(f) == "settings");
        var offset = controller.Welcome.GetProperty("data").GetProperty("utc_offset").GetInt32();
        Assert.InRange(offset, -6 * 3600, -5 * 3600);
        Assert.Equal(offset, frame.GetProperty("utc_offset").GetInt32());
    }

    [Fact]
    public async Task Hello_ReportsTheNewestVersion_NothingSentAgain()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http(alice);
        await http.PutAsJsonAsync("api/devices/farm-01/settings", new { base_version = 0, settings = JsonDocument.Parse("""{"seasonal_percent":70}""").RootElement });

        var socket = await server.OpenControllerSocketAsync();
        await using var _ = socket;
        var hello = JsonDocument.Parse(TestController.Hello("farm-01", farm, 5, "zone1")).RootElement;
        await socket.SendAsync(hello.GetRawText().Replace("\"boot\":5", "\"boot\":5,\"settings_version\":1"));
        await socket.WaitForEventAsync("welcome");
        await Task.Delay(300);

        Assert.DoesNotContain(socket.Frames, f => TestSocket.Event(f) == "settings");
        Assert.Equal("applied", await StateAsync(http));
    }

    [Fact]
    public async Task Rejected_ByTheController_ShownWithItsErrors()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        using var http = server.Http(alice);
        await http.PutAsJsonAsync("api/devices/farm-01/settings", new { base_version = 0, settings = JsonDocument.Parse("""{"max_open_zones":1}""").RootElement });
        await controller.Socket.WaitForEventAsync("settings");

        await controller.SendAsync("settings_rejected", """{"time":1764547300,"version":1,"errors":["storage: the flash is full"]}""");

        Assert.Equal("rejected", await WaitStateAsync(http, "rejected"));
        var view = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/settings")).RootElement;
        Assert.Equal(["storage: the flash is full"], view.GetProperty("errors").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, view.GetProperty("applied_version").GetInt32());
    }

    [Fact]
    public async Task Put_WrongFieldsStaleBaseAndOthersDevices_400With409And404()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var bob = await server.CreateUserAsync("bob");
        await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http(alice);
        using var bobHttp = server.Http(bob);

        var invalid = await http.PutAsJsonAsync("api/devices/farm-01/settings", new
        {
            base_version = 0,
            settings = JsonDocument.Parse("""{"zones":[{"name":"zone1","dry":700,"wet":400}],"seasonal_percent":900,"time_zone":"Mars/Olympus","colour":"red"}""").RootElement,
        });
        var errors = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        var first = await http.PutAsJsonAsync("api/devices/farm-01/settings", new { base_version = 0, settings = JsonDocument.Parse("{}").RootElement });
        var stale = await http.PutAsJsonAsync("api/devices/farm-01/settings", new { base_version = 0, settings = JsonDocument.Parse("{}").RootElement });
        var noBody = await http.PutAsync("api/devices/farm-01/settings", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains(errors, e => e.StartsWith("zones[0].wet:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("seasonal_percent:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("time_zone: unknown time zone 'Mars/Olympus'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("colour:", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal(1, JsonDocument.Parse(await stale.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, noBody.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bobHttp.GetAsync("api/devices/farm-01/settings")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bobHttp.PutAsJsonAsync("api/devices/farm-01/settings", new { base_version = 1, settings = new { } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bobHttp.GetAsync("api/devices/farm-01/settings/history")).StatusCode);
    }

    [Fact]
    public async Task RainDelay_SetAndCleared_NewVersionsKeepingTheRestAndTheHistorySaysWhat()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http(alice);
        await http.PutAsJsonAsync("api/devices/farm-01/settings", new { base_version = 0, settings = JsonDocument.Parse("""{"seasonal_percent":60}""").RootElement });
        var until = DateTimeOffset.UtcNow.AddHours(48).ToUnixTimeSeconds();

        var set = await http.PostAsJsonAsync("api/devices/farm-01/rain-delay", new { until });
        var cleared = await http.PostAsJsonAsync("api/devices/farm-01/rain-delay", new { until = 0 });
        var past = await http.PostAsJsonAsync("api/devices/farm-01/rain-delay", new { until = 1000 });

        Assert.Equal(2, JsonDocument.Parse(await set.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());
        Assert.Equal(3, JsonDocument.Parse(await cleared.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, past.StatusCode);
        var settings = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/settings")).RootElement.GetProperty("settings");
        Assert.Equal(60, settings.GetProperty("seasonal_percent").GetInt32());
        Assert.Equal(0, settings.GetProperty("rain_delay_until").GetInt64());
        var history = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/settings/history?limit=10")).RootElement;
        Assert.Equal(["3 rain_delay_until", "2 rain_delay_until", "1 first settings"],
            history.EnumerateArray().Select(h => $"{h.GetProperty("version").GetInt32()} {h.GetProperty("changed").GetString()}"));
        Assert.All(history.EnumerateArray(), h => Assert.Equal("alice", h.GetProperty("user").GetString()));
        var audit = await http.GetStringAsync("api/devices/farm-01/audit");
        Assert.Contains("rain-delay", audit);
    }

    [Fact]
    public async Task OffsetWatcher_SummerTimeBegins_ControllerSentItsNewOffsetOnce()
    {
        var clock = new SettableClock(DateTimeOffset.Parse("2026-03-29T00:30:00Z"));
        await using var server = await TestServer.StartAsync(services: s => s.AddSingleton<TimeProvider>(clock));
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var http = server.Http(alice);
        await http.PutAsJsonAsync("api/devices/farm-01/settings", new { base_version = 0, settings = JsonDocument.Parse("""{"time_zone":"Europe/Paris"}""").RootElement });
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        await controller.Socket.WaitForEventAsync("settings");
        Assert.Equal(3600, controller.Welcome.GetProperty("data").GetProperty("utc_offset").GetInt32());
        var watcher = server.Services.GetRequiredService<OffsetWatcher>();

        Assert.Equal(0, await watcher.CheckOnceAsync());
        clock.Now = DateTimeOffset.Parse("2026-03-29T01:30:00Z");
        Assert.Equal(1, await watcher.CheckOnceAsync());
        Assert.Equal(0, await watcher.CheckOnceAsync());

        await controller.Socket.WaitForAsync(f => TestSocket.Event(f) == "settings" && f.GetProperty("data").GetProperty("utc_offset").GetInt32() == 7200, "the summer offset");
        Assert.Equal(2, controller.Socket.Count(f => TestSocket.Event(f) == "settings"));
    }

    private static async Task<string> StateAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/settings")).RootElement.GetProperty("state").GetString()!;

    // The controller's answer is recorded beside its receive loop: a moment after the dashboards saw it.
    private static async Task<string> WaitStateAsync(HttpClient http, string state)
    {
        var deadline = DateTime.UtcNow + TestSocket.Patience;
        string now;
        while ((now = await StateAsync(http)) != state && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return now;
    }

    private sealed class SettableClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
