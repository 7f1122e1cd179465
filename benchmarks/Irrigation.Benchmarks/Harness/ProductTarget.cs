using System.Text;
using Irrigation.Benchmarks.Clients;
using Irrigation.Benchmarks.Measurement;

namespace Irrigation.Benchmarks.Harness;

/// <summary>
/// The product as it ships: Irrigation.Server.dll as its own process(es), provisioned through its own CLI (user
/// "bench", devices b-00000… imported from a CSV) on SQLite in a fresh data dir or on a PostgreSQL database. In a
/// cluster the controllers connect to the first instance and the dashboards to the last, so every event crosses Redis.
/// </summary>
public sealed class ProductTarget : Target
{
    private readonly List<ServerProcess> _instances;
    private readonly string[] _tokens;
    private readonly string _userToken;
    private readonly string _dataDir;
    private readonly (string Label, int Pid)[] _shared;

    private ProductTarget(string label, List<ServerProcess> instances, string[] tokens, string userToken, string dataDir, (string Label, int Pid)[] shared)
    {
        Label = label;
        _instances = instances;
        _tokens = tokens;
        _userToken = userToken;
        _dataDir = dataDir;
        _shared = shared;
    }

    /// <summary>Configuration that lifts the per-device rate limit, so the pipeline is measured and not the limiter.</summary>
    public static readonly string[] Unlimited = ["--Relay:MaxEventsPerSecond", "1000000", "--Relay:RateBurst", "1000000"];

    /// <summary>
    /// One information line per connection is the product's default; at thousands of connections it would
    /// measure the console. Warnings (rejected frames, drops) still print, and so does the start-up line.
    /// </summary>
    private static readonly string[] QuietLogs = ["--Logging:LogLevel:Default", "Warning"];

    /// <inheritdoc />
    public override string Label { get; }

    /// <inheritdoc />
    public override IReadOnlyList<int> Pids => [.. _instances.Select(i => i.Pid), .. _shared.Select(s => s.Pid)];

    /// <inheritdoc />
    public override IReadOnlyList<string> PidLabels => [.. _instances.Select((_, i) => "instance " + (i + 1)), .. _shared.Select(s => s.Label)];

    /// <summary>The instances (one, or a cluster's).</summary>
    public IReadOnlyList<ServerProcess> Instances => _instances;

    /// <summary>SQLite in a fresh data dir with this synchronous mode.</summary>
    public static string[] Sqlite(string synchronous) => ["--Storage:Synchronous", synchronous];

    /// <summary>A PostgreSQL database.</summary>
    public static string[] Postgres(string connectionString) => ["--Storage:Provider", "postgres", "--ConnectionStrings:Postgres", connectionString];

    /// <summary>
    /// Provisions <paramref name="devices"/> devices with <paramref name="storage"/>, then starts
    /// <paramref name="instances"/> instances with the storage, <paramref name="extra"/> configuration and quiet logs.
    /// <paramref name="shared"/> processes (a database, Redis) are measured with them.
    /// </summary>
    public static async Task<ProductTarget> StartAsync(BenchSettings s, string label, int devices, string[] storage, string[] extra,
        int instances = 1, params (string Label, int Pid)[] shared)
    {
        var dir = Path.Combine(s.DataRoot, "irrigation-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        string[] cli = [.. storage, "--data-dir", dir];
        var userToken = await ServerProcess.CliAsync(["users", "add", DeviceIds.User, .. cli]);
        var csv = Path.Combine(dir, "devices.csv");
        var lines = new StringBuilder();
        for (var i = 0; i < devices; i++)
        {
            lines.Append(DeviceIds.Of(i)).Append(',').Append(DeviceIds.User).Append(",zone1\n");
        }

        await File.WriteAllTextAsync(csv, lines.ToString());
        var (code, stdout, stderr) = await ServerProcess.RunAsync(["devices", "import", csv, .. cli]);
        if (code != 0)
        {
            throw new InvalidOperationException($"devices import failed ({code}): {stderr}");
        }

        var tokens = new string[devices];
        foreach (var line in stdout.Split('\n'))
        {
            var parts = line.Trim().Split(',');
            if (parts.Length == 2 && parts[0].StartsWith("b-", StringComparison.Ordinal) && int.TryParse(parts[0][2..], out var index) && index < devices)
            {
                tokens[index] = parts[1];
            }
        }

        if (tokens.Any(t => t is null))
        {
            throw new InvalidOperationException("devices import did not print a token for every device");
        }

        var started = new List<ServerProcess>();
        for (var i = 0; i < instances; i++)
        {
            started.Add(await ServerProcess.StartAsync(new ServerLaunch
            {
                DataDir = dir,
                Arguments = [.. storage, .. extra, .. QuietLogs],
                Environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
                EchoPrefix = Environment.GetEnvironmentVariable("BENCH_ECHO_SERVER") == "1" ? $"[{label} {i}] " : null,
            }));
        }

        return new ProductTarget(label, started, tokens, userToken, dir, shared);
    }

    /// <summary>Token of device b-NNNNN (for the idle workers).</summary>
    public IReadOnlyList<string> DeviceTokens => _tokens;

    /// <inheritdoc />
    public override async Task<LoadController> ConnectControllerAsync(int index, Meter meter, CancellationToken ct) =>
        await WebSocketController.ConnectAsync(_instances[0].Address, index, _tokens[index], meter);

    /// <inheritdoc />
    public override async Task<LoadDashboard> ConnectDashboardAsync(int number, IReadOnlyList<LoadController?> controllers, Meter meter) =>
        await WebSocketDashboard.ConnectAsync(DashboardUri(_instances[^1]), controllers, meter);

    /// <inheritdoc />
    public override async Task<long> DroppedAsync()
    {
        long sum = 0;
        foreach (var instance in _instances)
        {
            sum += Math.Max(0, await Metrics.ReadAsync(instance.Address, "irrigation_dropped_total"));
        }

        return sum;
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Uri DashboardUri(ServerProcess instance) =>
        new(instance.WebSocketAddress, $"clients/{DeviceIds.User}?access_token={Uri.EscapeDataString(_userToken)}");
}
