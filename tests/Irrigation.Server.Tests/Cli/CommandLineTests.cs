using System.Net;
using System.Net.WebSockets;
using Irrigation.Server.Cli;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Cli;

public class CommandLineTests : IDisposable
{
    private readonly string _dataDir = TestServer.NewTempDir();

    [Fact]
    public async Task UsersAdd_RealProcess_PrintsTokenAsLastLine()
    {
        var (code, stdout, stderr) = await ServerProcess.RunAsync("users", "add", "alice", "--data-dir", _dataDir);

        Assert.True(code == 0, stderr);
        var last = stdout.TrimEnd('\n').Split('\n')[^1];
        Assert.Matches("^[A-Za-z0-9_-]{43}$", last);
        Assert.True(File.Exists(Path.Combine(_dataDir, "irrigation.db")));
    }

    [Fact]
    public async Task Tokens_FromCli_WorkForExactlyTheirDeviceAndUser()
    {
        var alice = LastLine(await RunAsync(0, "users", "add", "alice"));
        var bob = LastLine(await RunAsync(0, "users", "add", "bob"));
        var farm = LastLine(await RunAsync(0, "devices", "add", "farm-01", "--owner", "alice", "--zones", "zone1,zone2"));
        LastLine(await RunAsync(0, "devices", "add", "farm-02", "--owner", "alice", "--zones", "zone1"));
        await using var server = await TestServer.StartAsync(dataDir: _dataDir);

        await using var ok = await server.ConnectControllerAsync("farm-01", farm);
        var wrongDevice = await server.OpenControllerSocketAsync();
        await wrongDevice.SendAsync(TestController.Hello("farm-02", farm, 1));
        var board = await server.ConnectDashboardAsync("alice", alice);
        var foreign = await Assert.ThrowsAsync<WebSocketException>(() =>
            TestSocket.ConnectAsync(new Uri(server.WsBase, $"clients/bob?access_token={alice}")));
        using var bobHttp = server.Http(bob);
        var bobDevices = await bobHttp.GetStringAsync("api/devices");

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await wrongDevice.WaitClosedAsync());
        Assert.Contains("403", foreign.Message);
        Assert.Equal(2, board.Frames[0].GetProperty("data").GetProperty("devices").GetArrayLength());
        Assert.Equal("{\"devices\":[]}", bobDevices);
    }

    [Fact]
    public async Task DevicesAdd_BadInput_FailsWithMessageAndNonZeroExit()
    {
        await RunAsync(0, "users", "add", "alice");
        await RunAsync(0, "devices", "add", "farm-01", "--owner", "alice");

        Assert.Contains("unknown user 'bob'", (await RunAsync(1, "devices", "add", "farm-02", "--owner", "bob")).Stderr);
        Assert.Contains("already exists", (await RunAsync(1, "devices", "add", "farm-01", "--owner", "alice")).Stderr);
        Assert.Contains("bad zone name", (await RunAsync(1, "devices", "add", "farm-03", "--owner", "alice", "--zones", "zone 1")).Stderr);
        Assert.Contains("bad device id", (await RunAsync(1, "devices", "add", "../x", "--owner", "alice")).Stderr);
        Assert.Contains("already exists", (await RunAsync(1, "users", "add", "alice")).Stderr);
        Assert.Contains("usage", (await RunAsync(2, "devices", "add", "farm-04")).Stderr);
        Assert.Contains("unknown command", (await RunAsync(2, "devices", "rename", "farm-01")).Stderr);
        Assert.Contains("unknown option", (await RunAsync(2, "users", "add", "carol", "--colour", "red")).Stderr);
    }

    [Fact]
    public async Task DevicesImport_GoodFile_PrintsDeviceTokenLines_BadFile_CreatesNothing()
    {
        await RunAsync(0, "users", "add", "alice");
        var good = Path.Combine(_dataDir, "good.csv");
        var bad = Path.Combine(_dataDir, "bad.csv");
        await File.WriteAllTextAsync(good, "device,owner,zones\nb-01,alice,zone1;zone2\n\nb-02,alice,\n");
        await File.WriteAllTextAsync(bad, "c-01,alice,zone1\nc-02,alice,zone1\nb-01,alice,zone1\n");

        var imported = await RunAsync(0, "devices", "import", good);
        var refused = await RunAsync(1, "devices", "import", bad);
        var list = await RunAsync(0, "devices", "list");

        var lines = imported.Stdout.Trim().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches("^b-01,[A-Za-z0-9_-]{43}$", lines[0]);
        Assert.Matches("^b-02,[A-Za-z0-9_-]{43}$", lines[1]);
        Assert.Contains("line 3", refused.Stderr);
        Assert.Contains("b-01", list.Stdout);
        Assert.DoesNotContain("c-01", list.Stdout);
        Assert.Contains("2 device(s)", list.Stdout);
    }

    [Theory]
    [InlineData("--simulate", "x")]
    [InlineData("--data-dir")]
    public void HostArgs_BadValue_Refused(params string[] args)
    {
        Assert.Null(CommandLine.ToHostArgs(args, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void HostArgs_DataDirAndSimulate_BecomeConfigurationKeys()
    {
        var host = CommandLine.ToHostArgs(["--urls", "http://127.0.0.1:5000", "--data-dir", "/tmp/x", "--simulate", "3"], out _);

        Assert.Equal(
            ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning", "--urls", "http://127.0.0.1:5000", "--Storage:DataDir=/tmp/x", "--Relay:SimulateCount=3"], host!);
    }

    [Fact]
    public async Task Simulate_Two_PrintsDashboardLinkForDemoWhoOwnsSimControllers()
    {
        await using var server = await ServerProcess.StartAsync(_dataDir, "--simulate", "2", "--Simulation:WaterFaultChancePerHour", "0");

        string? link = null;
        for (var i = 0; i < 200 && link is null; i++)
        {
            link = server.Output.FirstOrDefault(l => l.StartsWith("Dashboard: ", StringComparison.Ordinal));
            await Task.Delay(50);
        }

        Assert.NotNull(link);
        var uri = new Uri(link!["Dashboard: ".Length..]);
        Assert.Equal(server.Address!.Port, uri.Port);
        var token = Uri.UnescapeDataString(uri.Query["?token=".Length..]);
        using var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var devices = await http.GetStringAsync("api/devices");
        Assert.Contains("\"sim-01\"", devices);
        Assert.Contains("\"sim-02\"", devices);
        Assert.DoesNotContain("\"sim-03\"", devices);
        // The demo's console: its own lines, no framework info logs, no schema upgrade lines for a new database.
        Assert.DoesNotContain(server.Output, l => l.StartsWith("info:", StringComparison.Ordinal) || l.Contains("Upgrading"));
        Assert.Contains(server.Output, l => l.StartsWith("Listening on http://127.0.0.1:", StringComparison.Ordinal));
    }

    public void Dispose() => TestServer.TryDelete(_dataDir);

    private async Task<(string Stdout, string Stderr)> RunAsync(int expectedCode, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ToolCommands.RunAsync([.. args, "--data-dir", _dataDir], stdout, stderr);
        Assert.True(code == expectedCode, $"exit {code}, expected {expectedCode}: {stderr}");
        return (stdout.ToString(), stderr.ToString());
    }

    private static string LastLine((string Stdout, string Stderr) output) => output.Stdout.TrimEnd('\n').Split('\n')[^1];
}
