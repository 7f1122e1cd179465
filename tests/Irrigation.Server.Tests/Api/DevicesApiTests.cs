using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Api;

public class DevicesApiTests
{
    [Fact]
    public async Task Devices_List_OnlyOwnDevicesWithOnlineLastValuesAndZoneLeases()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        await server.CreateUserAsync("bob");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1", "zone2");
        await server.AddDeviceAsync("barn-01", "bob", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        await controller.SendAsync("humidity", "{\"time\":1764547200,\"record\":455}");
        var seq = await controller.SendAsync("irrigation_started", "{\"time\":1764547201,\"zones\":[\"zone1\"],\"reason\":\"manual\",\"duration\":600}");
        await controller.WaitAckAsync(seq);
        using var http = server.Http(alice);

        var devices = JsonDocument.Parse(await http.GetStringAsync("api/devices")).RootElement.GetProperty("devices");

        var device = Assert.Single(devices.EnumerateArray());
        Assert.Equal("farm-01", device.GetProperty("device").GetString());
        Assert.True(device.GetProperty("online").GetBoolean());
        Assert.Equal(455, device.GetProperty("last").GetProperty("humidity").GetProperty("record").GetInt32());
        var zone1 = device.GetProperty("zones")[0];
        Assert.Equal("zone1", zone1.GetProperty("zone").GetString());
        Assert.True(zone1.GetProperty("open").GetBoolean());
        Assert.InRange(zone1.GetProperty("remaining").GetInt32(), 1, 600);
        Assert.False(device.GetProperty("zones")[1].GetProperty("open").GetBoolean());

        seq = await controller.SendAsync("irrigation_stopped", "{\"time\":1764547300,\"zones\":[\"zone1\"],\"reason\":\"manual\"}");
        await controller.WaitAckAsync(seq);
        devices = JsonDocument.Parse(await http.GetStringAsync("api/devices")).RootElement.GetProperty("devices");
        Assert.False(devices[0].GetProperty("zones")[0].GetProperty("open").GetBoolean());
    }

    [Fact]
    public async Task Events_History_IrrigationSensorCommandAndLogNewestFirstWithoutReadings()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        await controller.TemperatureAsync(1000, 1);
        await controller.SendAsync("irrigation_started", "{\"time\":1001,\"zones\":[\"zone1\"],\"reason\":\"schedule\",\"duration\":60}");
        await controller.SendAsync("sensor_disconnected", "{\"time\":1002,\"sensor\":\"temperature\"}");
        await controller.SendAsync("status", "{\"time\":1003,\"uptime\":1,\"free_heap\":1,\"rssi\":-60,\"open_zones\":[],\"buffered\":0,\"dropped\":0}");
        await controller.SendAsync("command_result", "{\"time\":1004,\"id\":\"c-1\",\"ok\":true}");
        var last = await controller.SendAsync("log", "{\"time\":1005,\"level\":\"E\",\"message\":\"quote \\\" done\"}");
        await controller.WaitAckAsync(last);
        using var http = server.Http(alice);

        var body = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/events")).RootElement;
        var limited = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/events?limit=2&from=1001&to=1005")).RootElement;
        var bad = await http.GetAsync("api/devices/farm-01/events?limit=1001");

        Assert.Equal("newest_first", body.GetProperty("order").GetString());
        var names = body.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").GetString()).ToList();
        Assert.Equal(["log", "command_result", "sensor_disconnected", "irrigation_started"], names);
        Assert.Equal("quote \" done", body.GetProperty("events")[0].GetProperty("data").GetProperty("message").GetString());
        Assert.Equal(6, body.GetProperty("events")[0].GetProperty("seq").GetInt64());
        Assert.Equal(["command_result", "sensor_disconnected"], limited.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Irrigate_OnlineDevice_Returns202AndControllerGetsCommand()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1", "zone2");
        var board = await server.ConnectDashboardAsync("alice", alice);
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        using var http = server.Http(alice);

        var response = await http.PostAsJsonAsync("api/devices/farm-01/irrigate", new { zones = new[] { "zone2" }, duration = 600 });
        var stop = await http.PostAsJsonAsync("api/devices/farm-01/stop", new { zones = Array.Empty<string>() });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var stopId = JsonDocument.Parse(await stop.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        Assert.Matches("^c-[0-9]+$", id);
        Assert.NotEqual(id, stopId);
        var irrigate = await controller.Socket.WaitForEventAsync("irrigate");
        Assert.Equal(id, irrigate.GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(600, irrigate.GetProperty("data").GetProperty("duration").GetInt32());
        Assert.Equal(["zone2"], irrigate.GetProperty("data").GetProperty("zones").EnumerateArray().Select(z => z.GetString()));
        var stopFrame = await controller.Socket.WaitForEventAsync("stop");
        Assert.Equal(0, stopFrame.GetProperty("data").GetProperty("zones").GetArrayLength());
        var shown = await board.WaitForEventAsync("irrigate");
        Assert.Equal("farm-01", shown.GetProperty("device").GetString());
        await board.WaitForEventAsync("stop");
        // Stored by the ingest writer, a moment after the dashboards saw it.
        var deadline = DateTime.UtcNow + TestSocket.Patience;
        string history;
        while (!(history = await http.GetStringAsync("api/devices/farm-01/events?kind=command")).Contains(stopId) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.Contains(id, history);
        Assert.Contains(stopId, history);
    }

    [Theory]
    [InlineData("{\"zones\":[\"zone9\"],\"duration\":60}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[\"zone1\"],\"duration\":0}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[\"zone1\"],\"duration\":1801}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[\"zone1\"]}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[],\"duration\":60}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[\"zone1\"],\"duration\":1800}", HttpStatusCode.Accepted)]
    [InlineData("{\"zones\":[\"zone1\"],\"litres\":1200}", HttpStatusCode.Accepted)]
    [InlineData("{\"zones\":[\"zone1\"],\"duration\":600,\"litres\":1}", HttpStatusCode.Accepted)]
    [InlineData("{\"zones\":[\"zone1\"],\"litres\":0}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[\"zone1\"],\"litres\":-5}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[\"zone1\"],\"litres\":12.5}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[\"zone1\"],\"litres\":\"120\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[\"zone1\"],\"litres\":2147483648}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[\"zone1\"],\"duration\":1801,\"litres\":100}", HttpStatusCode.BadRequest)]
    [InlineData("{\"zones\":[\"zone9\"],\"litres\":100}", HttpStatusCode.BadRequest)]
    public async Task Irrigate_Validation_ReturnsStatus(string body, HttpStatusCode expected)
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        using var http = server.Http(alice);

        var response = await http.PostAsync("api/devices/farm-01/irrigate", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Irrigate_ByVolume_ControllerGetsLitresAndEachMistakeIsNamed()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        using var http = server.Http(alice);

        var sent = await http.PostAsync("api/devices/farm-01/irrigate", Json("""{"zones":["zone1"],"litres":1200}"""));
        var fraction = await http.PostAsync("api/devices/farm-01/irrigate", Json("""{"zones":["zone1"],"litres":12.5}"""));
        var neither = await http.PostAsync("api/devices/farm-01/irrigate", Json("""{"zones":["zone1"]}"""));
        var zero = await http.PostAsync("api/devices/farm-01/irrigate", Json("""{"zones":["zone1"],"litres":0}"""));

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var frame = await controller.Socket.WaitForEventAsync("irrigate");
        Assert.Equal(1200, frame.GetProperty("data").GetProperty("litres").GetInt64());
        Assert.False(frame.GetProperty("data").TryGetProperty("duration", out _));
        Assert.Contains("12.5", await ErrorAsync(fraction));
        Assert.Contains("duration", await ErrorAsync(neither));
        Assert.Contains("litres", await ErrorAsync(neither));
        Assert.Contains("tenths of a litre", await ErrorAsync(zero));
        var audit = await server.Services.GetRequiredService<Irrigation.Server.Storage.IAuditLog>().ListAsync("farm-01", 10);
        Assert.Contains(audit, a => a.Action == "irrigate" && a.Detail == "zones zone1, 120.0 L" && a.Outcome.StartsWith("sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Irrigate_OfflineDevice_Returns409_OtherUsersDevice_Returns404()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var bob = await server.CreateUserAsync("bob");
        await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var body = new { zones = new[] { "zone1" }, duration = 60 };

        using var aliceHttp = server.Http(alice);
        using var bobHttp = server.Http(bob);
        var offline = await aliceHttp.PostAsJsonAsync("api/devices/farm-01/irrigate", body);
        var foreign = await bobHttp.PostAsJsonAsync("api/devices/farm-01/irrigate", body);

        Assert.Equal(HttpStatusCode.Conflict, offline.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task Zones_DeviceProvisionedWithout_TakesThemFromHello()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var farm = await server.AddDeviceAsync("farm-01", "alice");
        await using var controller = await server.ConnectControllerAsync("farm-01", farm, zones: ["front", "back"]);
        using var http = server.Http(alice);

        var response = await http.PostAsJsonAsync("api/devices/farm-01/irrigate", new { zones = new[] { "back" }, duration = 60 });
        var devices = await http.GetStringAsync("api/devices");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Contains("\"zone\":\"front\"", devices);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    private static async Task<string> ErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetString()!;
    }

    [Fact]
    public async Task Session_SignInWhoAmISignOut()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = server.HttpBase };

        var wrong = await http.PostAsJsonAsync("api/session", new { token = "nope" });
        var signIn = await http.PostAsJsonAsync("api/session", new { token = alice });
        var me = JsonDocument.Parse(await http.GetStringAsync("api/session")).RootElement;
        var devices = await http.GetAsync("api/devices");
        await http.DeleteAsync("api/session");
        var after = await http.GetAsync("api/devices");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal("alice", me.GetProperty("user").GetString());
        Assert.Equal(HttpStatusCode.OK, devices.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }


}
