using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Irrigation.Server.Auth;
using Irrigation.Server.Cli;
using Irrigation.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Irrigation.Server.Tests.Security;

/// <summary>
/// Rotation, revocation, removal and unsharing close the principal's live connections (1008) and the old token never
/// works again, whether the change comes from this server or from the CLI (another process: found by polling).
/// </summary>
public class TokenLifecycleTests(ITestOutputHelper output) : IDisposable
{
    // The promise is half a second (the poll) plus the close handshake; the bound leaves room for a loaded machine.
    private static readonly TimeSpan Promptly = TimeSpan.FromSeconds(3);

    private readonly string _dataDir = TestServer.NewTempDir();

    [Fact]
    public async Task DeviceRotateToken_FromTheCli_LiveControllerClosedAndOldTokenRefused()
    {
        await using var server = await TestServer.StartAsync(dataDir: _dataDir);
        await server.CreateUserAsync("alice");
        var old = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        await using var controller = await server.ConnectControllerAsync("farm-01", old);

        var clock = Stopwatch.StartNew();
        var fresh = await CliAsync("devices", "rotate-token", "farm-01");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await controller.Socket.WaitClosedAsync());
        Within(clock.Elapsed, "the controller's close");
        Assert.NotEqual(old, fresh);
        var refused = await server.OpenControllerSocketAsync();
        await refused.SendAsync(TestController.Hello("farm-01", old, 2));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await refused.WaitClosedAsync());
        await using var renewed = await server.ConnectControllerAsync("farm-01", fresh, boot: 3);
        Assert.Equal("welcome", TestSocket.Event(renewed.Welcome));
    }

    [Fact]
    public async Task UserRotateToken_InProcess_DashboardClosedAndOldTokenRefused()
    {
        await using var server = await TestServer.StartAsync();
        var old = await server.CreateUserAsync("alice");
        var board = await server.ConnectDashboardAsync("alice", old);

        var clock = Stopwatch.StartNew();
        var outcome = await server.Services.GetRequiredService<Provisioning>().RotateUserTokenAsync("alice", "alice");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await board.WaitClosedAsync());
        Within(clock.Elapsed, "the dashboard's close");
        using var oldHttp = server.Http(old);
        using var newHttp = server.Http(outcome.Token);
        Assert.Equal(HttpStatusCode.Unauthorized, (await oldHttp.GetAsync("api/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await newHttp.GetAsync("api/devices")).StatusCode);
    }

    [Fact]
    public async Task Unshare_MemberWatching_TheirDashboardClosedAndTheDeviceGoneFromTheirApi()
    {
        await using var server = await TestServer.StartAsync();
        var alice = await server.CreateUserAsync("alice");
        var bob = await server.CreateUserAsync("bob");
        await server.AddDeviceAsync("farm-01", "alice", "zone1");
        using var owner = server.Http(alice);
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync("api/devices/farm-01/members/bob", new { role = "viewer" })).StatusCode);
        var board = await server.ConnectDashboardAsync("bob", bob);
        var aliceBoard = await server.ConnectDashboardAsync("alice", alice);

        var clock = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync("api/devices/farm-01/members/bob")).StatusCode);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await board.WaitClosedAsync());
        Within(clock.Elapsed, "the member's dashboard close");
        using var bobHttp = server.Http(bob);
        Assert.Equal("{\"devices\":[]}", await bobHttp.GetStringAsync("api/devices"));
        Assert.Equal(HttpStatusCode.NotFound, (await bobHttp.GetAsync("api/devices/farm-01/events")).StatusCode);
        await Task.Delay(300);
        Assert.False(aliceBoard.IsClosed);
    }

    [Fact]
    public async Task Share_MemberWatching_TheirDashboardResyncsAndThenSeesTheDevice()
    {
        await using var server = await TestServer.StartAsync();
        await server.CreateUserAsync("alice");
        var bob = await server.CreateUserAsync("bob");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var board = await server.ConnectDashboardAsync("bob", bob);

        Assert.Null(await server.Services.GetRequiredService<Sharing>().ShareAsync("alice", "farm-01", "bob", DeviceRole.Operator));

        Assert.Equal(Irrigation.Server.Relay.DashboardSession.Resync, await board.WaitClosedAsync());
        var again = await server.ConnectDashboardAsync("bob", bob);
        var device = again.Frames[0].GetProperty("data").GetProperty("devices")[0];
        Assert.Equal("operator", device.GetProperty("role").GetString());
        await using var controller = await server.ConnectControllerAsync("farm-01", farm);
        await controller.TemperatureAsync(1000, 5);
        await again.WaitForEventAsync("temperature");
    }

    [Fact]
    public async Task DevicesAdd_FromTheCli_OwnersOpenDashboardResyncsAndShowsIt()
    {
        await using var server = await TestServer.StartAsync(dataDir: _dataDir);
        var alice = await server.CreateUserAsync("alice");
        var board = await server.ConnectDashboardAsync("alice", alice);

        await CliAsync("devices", "add", "farm-09", "--owner", "alice", "--zones", "zone1");

        Assert.Equal(Irrigation.Server.Relay.DashboardSession.Resync, await board.WaitClosedAsync());
        var again = await server.ConnectDashboardAsync("alice", alice);
        Assert.Equal("farm-09", again.Frames[0].GetProperty("data").GetProperty("devices")[0].GetProperty("device").GetString());
    }

    [Fact]
    public async Task RevokeAndRemove_FromTheCli_ConnectionsClosedAndNothingSignsIn()
    {
        await using var server = await TestServer.StartAsync(dataDir: _dataDir);
        var alice = await server.CreateUserAsync("alice");
        var carol = await server.CreateUserAsync("carol");
        var farm = await server.AddDeviceAsync("farm-01", "alice", "zone1");
        var gone = await server.AddDeviceAsync("farm-02", "alice", "zone1");
        await using var revoked = await server.ConnectControllerAsync("farm-01", farm);
        await using var removed = await server.ConnectControllerAsync("farm-02", gone);
        var carolBoard = await server.ConnectDashboardAsync("carol", carol);

        await CliAsync("devices", "revoke-token", "farm-01");
        await CliAsync("devices", "remove", "farm-02");
        await CliAsync("users", "remove", "carol");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await revoked.Socket.WaitClosedAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await removed.Socket.WaitClosedAsync());
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await carolBoard.WaitClosedAsync());
        var retry = await server.OpenControllerSocketAsync();
        await retry.SendAsync(TestController.Hello("farm-01", farm, 9));
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await retry.WaitClosedAsync());
        using var owner = server.Http(alice);
        var devices = JsonDocument.Parse(await owner.GetStringAsync("api/devices")).RootElement.GetProperty("devices");
        Assert.Equal(["farm-01"], devices.EnumerateArray().Select(d => d.GetProperty("device").GetString()));
        // A user who still owns a device is not removed.
        var (code, _, stderr) = await CliRawAsync("users", "remove", "alice");
        Assert.Equal(1, code);
        Assert.Contains("owns farm-01", stderr);
    }

    private void Within(TimeSpan elapsed, string what)
    {
        output.WriteLine($"{what} after {elapsed.TotalMilliseconds:0} ms");
        Assert.True(elapsed < Promptly, $"{what} took {elapsed}");
    }

    private async Task<string> CliAsync(params string[] args)
    {
        var (code, stdout, stderr) = await CliRawAsync(args);
        Assert.True(code == 0, $"{string.Join(' ', args)}: exit {code}: {stderr}");
        return stdout.TrimEnd('\n').Split('\n')[^1];
    }

    private async Task<(int, string, string)> CliRawAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ToolCommands.RunAsync([.. args, "--data-dir", _dataDir], stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    public void Dispose() => TestServer.TryDelete(_dataDir);
}
