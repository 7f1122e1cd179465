using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Irrigation.Server.Auth;
using Irrigation.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Security;

/// <summary>Shared farms: every device endpoint against every role, and what each role's dashboard sees.</summary>
public class RoleTests
{
    public static TheoryData<string, string, string, string?, HttpStatusCode> EndpointsByRole()
    {
        var data = new TheoryData<string, string, string, string?, HttpStatusCode>();
        // (endpoint, role) -> status. Viewers read; operators also command; the owner also manages members.
        (string Method, string Path, string? Body, HttpStatusCode Owner, HttpStatusCode Operator, HttpStatusCode Viewer)[] endpoints =
        [
            ("GET", "api/devices/farm-01/readings?kind=temperature&from=0&to=100", null, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            ("GET", "api/devices/farm-01/events", null, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            ("GET", "api/devices/farm-01/audit", null, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            ("POST", "api/devices/farm-01/irrigate", """{"zones":["zone1"],"duration":60}""", HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Forbidden),
            ("POST", "api/devices/farm-01/stop", """{"zones":[]}""", HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Forbidden),
            ("POST", "api/devices/farm-01/clear-leak", null, HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Forbidden),
            ("GET", "api/devices/farm-01/water", null, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK),
            ("GET", "api/devices/farm-01/members", null, HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ("PUT", "api/devices/farm-01/members/dave", """{"role":"viewer"}""", HttpStatusCode.OK, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
            ("DELETE", "api/devices/farm-01/members/erin", null, HttpStatusCode.NoContent, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden),
        ];
        foreach (var (method, path, body, owner, op, viewer) in endpoints)
        {
            data.Add(method, path, "alice", body, owner);
            data.Add(method, path, "olga", body, op);
            data.Add(method, path, "victor", body, viewer);
            // Someone who neither owns nor shares the device cannot tell it exists.
            data.Add(method, path, "stranger", body, HttpStatusCode.NotFound);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EndpointsByRole))]
    public async Task Endpoint_ByRole_AllowedForbiddenOrNotFound(string method, string path, string user, string? body, HttpStatusCode expected)
    {
        await using var farm = await SharedFarm.StartAsync();
        await using var controller = await farm.Server.ConnectControllerAsync("farm-01", farm.DeviceToken);
        using var http = farm.Server.Http(farm.Tokens[user]);

        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var response = await http.SendAsync(request);

        Assert.True(expected == response.StatusCode, $"{method} {path} as {user}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task DeviceList_EachUser_SeesExactlyTheirDevicesWithTheirRole()
    {
        await using var farm = await SharedFarm.StartAsync();

        async Task<string[]> Roles(string user)
        {
            using var http = farm.Server.Http(farm.Tokens[user]);
            var devices = JsonDocument.Parse(await http.GetStringAsync("api/devices")).RootElement.GetProperty("devices");
            return [.. devices.EnumerateArray().Select(d => $"{d.GetProperty("device").GetString()}:{d.GetProperty("role").GetString()}")];
        }

        Assert.Equal(["farm-01:owner", "farm-02:owner"], await Roles("alice"));
        Assert.Equal(["farm-01:operator"], await Roles("olga"));
        Assert.Equal(["farm-01:viewer"], await Roles("victor"));
        Assert.Empty(await Roles("stranger"));
    }

    [Fact]
    public async Task Dashboard_Viewer_SnapshotWithTheRoleAndTheLiveStreamOfSharedDevicesOnly()
    {
        await using var farm = await SharedFarm.StartAsync();
        var board = await farm.Server.ConnectDashboardAsync("victor", farm.Tokens["victor"]);
        await using var shared = await farm.Server.ConnectControllerAsync("farm-01", farm.DeviceToken);
        await using var own = await farm.Server.ConnectControllerAsync("farm-02", farm.OtherDeviceToken);

        await own.TemperatureAsync(1000, 1);
        await shared.TemperatureAsync(1000, 2);

        await board.WaitForAsync(f => TestSocket.Event(f) == "temperature", "farm-01's reading");
        var snapshot = board.Frames[0].GetProperty("data").GetProperty("devices");
        Assert.Equal("farm-01", Assert.Single(snapshot.EnumerateArray()).GetProperty("device").GetString());
        Assert.Equal("viewer", snapshot[0].GetProperty("role").GetString());
        await Task.Delay(300);
        Assert.DoesNotContain(board.Frames, f => f.TryGetProperty("device", out var d) && d.GetString() == "farm-02");
    }

    [Fact]
    public async Task Members_OwnerSharesAndUnshares_ListedAndCliAgrees()
    {
        await using var farm = await SharedFarm.StartAsync();
        using var http = farm.Server.Http(farm.Tokens["alice"]);

        var bad = await http.PutAsJsonAsync("api/devices/farm-01/members/dave", new { role = "admin" });
        var unknown = await http.PutAsJsonAsync("api/devices/farm-01/members/nobody", new { role = "viewer" });
        var self = await http.PutAsJsonAsync("api/devices/farm-01/members/alice", new { role = "viewer" });
        var promoted = await http.PutAsJsonAsync("api/devices/farm-01/members/victor", new { role = "operator" });
        var members = JsonDocument.Parse(await http.GetStringAsync("api/devices/farm-01/members")).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        Assert.Equal("alice", members.GetProperty("owner").GetString());
        Assert.Equal(["erin:viewer", "olga:operator", "victor:operator"],
            members.GetProperty("members").EnumerateArray().Select(m => $"{m.GetProperty("user").GetString()}:{m.GetProperty("role").GetString()}"));
        Assert.Equal(HttpStatusCode.NotFound, (await http.DeleteAsync("api/devices/farm-01/members/dave")).StatusCode);
    }

    /// <summary>
    /// alice owns farm-01 and farm-02; olga operates farm-01, victor and erin view it; dave and stranger have nothing.
    /// </summary>
    private sealed class SharedFarm : IAsyncDisposable
    {
        public required TestServer Server { get; init; }

        public required Dictionary<string, string> Tokens { get; init; }

        public required string DeviceToken { get; init; }

        public required string OtherDeviceToken { get; init; }

        public static async Task<SharedFarm> StartAsync()
        {
            var server = await TestServer.StartAsync();
            var tokens = new Dictionary<string, string>();
            foreach (var user in new[] { "alice", "olga", "victor", "erin", "dave", "stranger" })
            {
                tokens[user] = await server.CreateUserAsync(user);
            }

            var device = await server.AddDeviceAsync("farm-01", "alice", "zone1");
            var other = await server.AddDeviceAsync("farm-02", "alice", "zone1");
            var sharing = server.Services.GetRequiredService<Sharing>();
            Assert.Null(await sharing.ShareAsync("alice", "farm-01", "olga", DeviceRole.Operator));
            Assert.Null(await sharing.ShareAsync("alice", "farm-01", "victor", DeviceRole.Viewer));
            Assert.Null(await sharing.ShareAsync("alice", "farm-01", "erin", DeviceRole.Viewer));
            return new SharedFarm { Server = server, Tokens = tokens, DeviceToken = device, OtherDeviceToken = other };
        }

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }
}
