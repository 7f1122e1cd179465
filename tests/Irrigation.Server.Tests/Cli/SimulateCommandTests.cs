using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Irrigation.Server.Simulation;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Cli;

/// <summary>The stand-alone <c>simulate</c> command driving a batch from <c>devices import</c> against a running server.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dataDir = TestServer.NewTempDir();

    [Fact]
    public async Task Simulate_ImportedBatch_ControllersConnectAndStoreReadings()
    {
        var batch = await StartServerWithBatchAsync();
        await using var server = batch.Server;

        var (code, output) = await SimulateForAsync(server, batch.Credentials, TimeSpan.FromSeconds(8));

        Assert.Equal(0, code);
        Assert.Contains("field-01 connected", output);
        using var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", batch.UserToken);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var device in new[] { "field-01", "field-02" })
        {
            var body = JsonNode.Parse(await http.GetStringAsync($"api/devices/{device}/readings?kind=humidity&from={now - 600}&to={now + 600}&points=5"))!;
            Assert.True(body["buckets"]!.AsArray().Sum(b => (int)b!["count"]!) >= 1, device + " stored no humidity reading");
        }
    }

    [Fact]
    public async Task Simulate_WaterFaultsSetting_FaultsStartOnTheNamedControllersOnly()
    {
        var batch = await StartServerWithBatchAsync();
        await using var server = batch.Server;

        // A stuck valve and a slow leak need nothing learned first: both start as soon as the field runs.
        var (code, output) = await SimulateForAsync(server, batch.Credentials, TimeSpan.FromSeconds(4),
            "--Simulation:WaterFaults", "field-02/zone2=stuck_valve,field-02=slow_leak");

        Assert.Equal(0, code);
        Assert.Contains("field-02 stuck valve in zone2 (simulated, configured)", output);
        Assert.Contains("field-02 slow leak on the main line (simulated, configured)", output);
        Assert.DoesNotContain("field-01", string.Join('\n', output.Split('\n').Where(l => l.Contains("(simulated", StringComparison.Ordinal))));
    }

    [Theory]
    [InlineData("-1", "error: Simulation:WaterFaultChancePerHour is -1: give a chance per hour of 0 (never) or more")]
    [InlineData("often", "'Simulation:WaterFaultChancePerHour'")]
    public async Task Simulate_BadFaultChance_ExitTwoWithTheReason(string chance, string message)
    {
        string credentials = Path.Combine(_dataDir, "credentials.csv");
        await File.WriteAllTextAsync(credentials, "field-01,token\n");
        var stderr = new StringWriter();

        int code = await SimulateCommand.RunAsync(
            ["simulate", "--server", "ws://127.0.0.1:1/", "--devices", credentials, "--Simulation:WaterFaultChancePerHour", chance],
            TextWriter.Null, stderr, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains(message, stderr.ToString());
        Assert.Contains("Usage: simulate", stderr.ToString());
    }

    [Theory]
    [InlineData("--server", "http://127.0.0.1:1/", "--devices", "x.csv")]
    [InlineData("--server", "ws://127.0.0.1:1/", "--devices", "/nonexistent/file.csv")]
    [InlineData("--server", "ws://127.0.0.1:1/")]
    [InlineData("--bogus", "1")]
    public async Task Simulate_BadArguments_ExitTwoWithUsage(params string[] arguments)
    {
        var stderr = new StringWriter();

        int code = await SimulateCommand.RunAsync(["simulate", .. arguments], TextWriter.Null, stderr, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("error: ", stderr.ToString());
        Assert.Contains("Usage: simulate", stderr.ToString());
    }

    public void Dispose() => TestServer.TryDelete(_dataDir);

    // User ops with field-01 and field-02 (zone1, zone2) from `devices import`, their credentials in a CSV as the
    // simulate command reads them, and the server running.
    private async Task<(ServerProcess Server, string Credentials, string UserToken)> StartServerWithBatchAsync()
    {
        var user = await ServerProcess.RunAsync("users", "add", "ops", "--data-dir", _dataDir);
        string userToken = user.Stdout.TrimEnd().Split('\n')[^1];
        string csv = Path.Combine(_dataDir, "batch.csv");
        await File.WriteAllTextAsync(csv, "field-01,ops,zone1;zone2\nfield-02,ops,zone1;zone2\n");
        var import = await ServerProcess.RunAsync("devices", "import", csv, "--data-dir", _dataDir);
        Assert.Equal(0, import.Code);
        string credentials = Path.Combine(_dataDir, "credentials.csv");
        await File.WriteAllTextAsync(credentials, import.Stdout);
        return (await ServerProcess.StartAsync(_dataDir), credentials, userToken);
    }

    // Runs the simulate command against the server for a while (quiet: no link drops, no chance faults); its exit code
    // and console.
    private static async Task<(int Code, string Output)> SimulateForAsync(ServerProcess server, string credentials, TimeSpan duration, params string[] settings)
    {
        using var stop = new CancellationTokenSource(duration);
        var output = new StringWriter();
        var socket = new UriBuilder(server.Address!) { Scheme = "ws" }.Uri.ToString();
        int code = await SimulateCommand.RunAsync(
            ["simulate", "--server", socket, "--devices", credentials, "--Simulation:ClimateIntervalSeconds", "2", "--Simulation:LinkDropChancePerMinute", "0", "--Simulation:WaterFaultChancePerHour", "0", .. settings],
            TextWriter.Synchronized(output), TextWriter.Null, stop.Token);
        return (code, output.ToString());
    }
}
