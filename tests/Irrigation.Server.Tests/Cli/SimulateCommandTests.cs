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
        var user = await ServerProcess.RunAsync("users", "add", "ops", "--data-dir", _dataDir);
        string userToken = user.Stdout.TrimEnd().Split('\n')[^1];
        string csv = Path.Combine(_dataDir, "batch.csv");
        await File.WriteAllTextAsync(csv, "field-01,ops,zone1;zone2\nfield-02,ops,zone1;zone2\n");
        var import = await ServerProcess.RunAsync("devices", "import", csv, "--data-dir", _dataDir);
        Assert.Equal(0, import.Code);
        string credentials = Path.Combine(_dataDir, "credentials.csv");
        await File.WriteAllTextAsync(credentials, import.Stdout);
        await using var server = await ServerProcess.StartAsync(_dataDir);

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8));
        var output = new StringWriter();
        var socket = new UriBuilder(server.Address!) { Scheme = "ws" }.Uri.ToString();
        int code = await SimulateCommand.RunAsync(
            ["simulate", "--server", socket, "--devices", credentials, "--Simulation:ClimateIntervalSeconds", "2", "--Simulation:LinkDropChancePerMinute", "0", "--Simulation:WaterFaultChancePerHour", "0"],
            TextWriter.Synchronized(output), TextWriter.Null, stop.Token);

        Assert.Equal(0, code);
        Assert.Contains("field-01 connected", output.ToString());
        using var http = new HttpClient { BaseAddress = server.Address };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", userToken);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var device in new[] { "field-01", "field-02" })
        {
            var body = JsonNode.Parse(await http.GetStringAsync($"api/devices/{device}/readings?kind=humidity&from={now - 600}&to={now + 600}&points=5"))!;
            Assert.True(body["buckets"]!.AsArray().Sum(b => (int)b!["count"]!) >= 1, device + " stored no humidity reading");
        }
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
}
