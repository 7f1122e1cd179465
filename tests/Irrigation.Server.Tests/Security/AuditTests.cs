using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Irrigation.Server.Auth;
using Irrigation.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Security;

public class AuditTests
{
    [Fact]
    public async Task Audit_CommandsSharingAndRotation_RecordedNewestFirstWithWhoAndOutcome()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var olga = await server.CreateUserAsync("olga");
        var victor = await server.CreateUserAsync("victor");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var owner = server.Http(alice);
        await owner.PutAsJsonAsync("api/devices/farm-01/members/olga", new { role = "operator" });
        await owner.PutAsJsonAsync("api/devices/farm-01/members/victor", new { role = "viewer" });
        using var operatorHttp = server.Http(olga);
        using var viewerHttp = server.Http(victor);

        var offline = await operatorHttp.PostAsJsonAsync("api/devices/farm-01/irrigate", new { zones = new[] { "zone1" }, duration = 60 });
        await using (var controller = await server.ConnectControllerAsync("farm-01", farm))
        {
            await operatorHttp.PostAsJsonAsync("api/devices/farm-01/irrigate", new { zones = new[] { "zone1" }, duration = 60 });
            await viewerHttp.PostAsJsonAsync("api/devices/farm-01/stop", new { zones = Array.Empty<string>() });
        }

        await server.Services.GetRequiredService<Provisioning>().RotateDeviceTokenAsync("cli", "farm-01");
        // Every member may read the trail.
        var viewerSees = JsonDocument.Parse(await viewerHttp.GetStringAsync("api/devices/farm-01/audit")).RootElement.GetArrayLength();
        await owner.DeleteAsync("api/devices/farm-01/members/victor");

        var entries = JsonDocument.Parse(await owner.GetStringAsync("api/devices/farm-01/audit?limit=50")).RootElement.EnumerateArray()
            .Select(e => $"{e.GetProperty("user").GetString()} {e.GetProperty("action").GetString()} {e.GetProperty("detail").GetString()} -> {e.GetProperty("outcome").GetString()}")
            .ToList();

        Assert.Equal(HttpStatusCode.Conflict, offline.StatusCode);
        Assert.Equal(
        [
            "alice unshare victor -> ok",
            "cli rotate-token device token -> ok",
            "victor stop all zones -> forbidden",
            "olga irrigate zones zone1 for 60 s -> sent c-1",
            "olga irrigate zones zone1 for 60 s -> offline: device 'farm-01' is offline",
            "alice share victor as viewer -> ok",
            "alice share olga as operator -> ok",
        ], entries);
        Assert.Equal(6, viewerSees);
        var limited = JsonDocument.Parse(await owner.GetStringAsync("api/devices/farm-01/audit?limit=2")).RootElement;
        Assert.Equal(2, limited.GetArrayLength());
        Assert.True(limited[0].GetProperty("time").GetInt64() > 1_700_000_000);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.GetAsync("api/devices/farm-01/audit?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await viewerHttp.GetAsync("api/devices/farm-01/audit")).StatusCode);
    }
}
