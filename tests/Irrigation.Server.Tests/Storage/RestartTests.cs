using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Storage;

/// <summary>What a server restart on the same data keeps (SQLite, the default engine).</summary>
public class RestartTests : IDisposable
{
    private readonly string _dataDir = TestServer.NewTempDir();

    [Fact]
    public async Task Server_RestartOnSameDataDir_KeepsLastValuesAndCommandNumbers()
    {
        string alice;
        string farm;
        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            alice = await server.CreateUserAsync("alice");
            farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
            await using var controller = await server.ConnectControllerAsync("farm-01", farm);
            var seq = await controller.TemperatureAsync(1764547200, 215);
            await controller.WaitAckAsync(seq);
            using var http = server.Http(alice);
            await http.PostAsync("api/devices/farm-01/stop", new StringContent("{\"zones\":[]}", System.Text.Encoding.UTF8, "application/json"));
            await controller.Socket.WaitForEventAsync("stop");
        }

        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            var board = await server.ConnectDashboardAsync("alice", alice);
            await using var controller = await server.ConnectControllerAsync("farm-01", farm);
            using var http = server.Http(alice);
            var response = await http.PostAsync("api/devices/farm-01/stop", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

            var device = board.Frames[0].GetProperty("data").GetProperty("devices")[0];
            Assert.Equal(215, device.GetProperty("last").GetProperty("temperature").GetProperty("record").GetInt32());
            Assert.True(device.GetProperty("last_seen").GetInt64() > 0);
            Assert.Contains("\"c-2\"", await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Server_RestartDuringIrrigation_KeepsOpenZoneAndLeaseClosesEnded()
    {
        string alice;
        string farm;
        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            alice = await server.CreateUserAsync("alice");
            farm = await server.AddDeviceAsync("farm-01", "alice", "zone1", "zone2");
            await using var controller = await server.ConnectControllerAsync("farm-01", farm);
            await controller.SendAsync("irrigation_started", "{\"time\":1764547200,\"zones\":[\"zone2\"],\"reason\":\"manual\",\"duration\":1}");
            await controller.SendAsync("irrigation_stopped", "{\"time\":1764547201,\"zones\":[\"zone2\"],\"reason\":\"completed\"}");
            var seq = await controller.SendAsync("irrigation_started", "{\"time\":1764547202,\"zones\":[\"zone1\"],\"reason\":\"soil_dry\",\"duration\":600}");
            await controller.WaitAckAsync(seq);
        }

        await using (var server = await TestServer.StartAsync(dataDir: _dataDir))
        {
            using var http = server.Http(alice);
            using var body = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("api/devices"));

            var zones = body.RootElement.GetProperty("devices")[0].GetProperty("zones").EnumerateArray().ToDictionary(z => z.GetProperty("zone").GetString()!);
            Assert.True(zones["zone1"].GetProperty("open").GetBoolean());
            Assert.InRange(zones["zone1"].GetProperty("remaining").GetInt64(), 540, 600);
            Assert.False(zones["zone2"].GetProperty("open").GetBoolean());
        }
    }

    public void Dispose() => TestServer.TryDelete(_dataDir);
}
