using Irrigation.Server.Cli;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Cluster;

/// <summary>
/// Several real server processes sharing one PostgreSQL database and one Redis, each on its own port: what a farm
/// co-op runs behind a load balancer. Provisioning goes through the CLI with the same settings.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly RedisServer _redis;
    private readonly string _postgres;
    private readonly string _dataDir = TestServer.NewTempDir();

    private readonly string[] _extra;

    private TestCluster(RedisServer redis, string postgres, string[] extra)
    {
        _redis = redis;
        _postgres = postgres;
        _extra = extra;
    }

    /// <summary>The instances (some may have been killed).</summary>
    public List<ServerProcess> Instances { get; } = [];

    /// <summary>The keepalive of every instance: a vanished controller or instance is offline within two of these.</summary>
    public static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Starts Redis and <paramref name="count"/> instances on a new database of <paramref name="postgres"/>, each with
    /// the <paramref name="extra"/> arguments too.
    /// </summary>
    public static async Task<TestCluster> StartAsync(PostgresServer postgres, int count, params string[] extra)
    {
        var cluster = new TestCluster(await RedisServer.StartAsync(), await postgres.CreateDatabaseAsync(), extra);
        for (var i = 0; i < count; i++)
        {
            await cluster.StartInstanceAsync();
        }

        return cluster;
    }

    /// <summary>The settings every instance and CLI command shares.</summary>
    public string[] Settings =>
    [
        "--Storage:Provider", "postgres",
        "--ConnectionStrings:Postgres", _postgres,
        "--ConnectionStrings:Redis", _redis.ConnectionString,
    ];

    /// <summary>Starts one more instance.</summary>
    public async Task<ServerProcess> StartInstanceAsync()
    {
        var instance = await ServerProcess.StartAsync(_dataDir, [.. Settings, "--Relay:KeepAliveInterval", KeepAlive.ToString(), .. _extra]);
        Instances.Add(instance);
        return instance;
    }

    /// <summary>Runs a CLI command against the cluster's storage; returns the last line of stdout (a token).</summary>
    public async Task<string> CliAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = await ToolCommands.RunAsync([.. args, .. Settings], stdout, stderr);
        Assert.True(code == 0, $"{string.Join(' ', args)}: exit {code}: {stderr}");
        return stdout.ToString().TrimEnd('\n').Split('\n')[^1];
    }

    /// <summary>Connects a controller to instance <paramref name="index"/> and waits for welcome.</summary>
    public async Task<TestController> ConnectControllerAsync(int index, string device, string token, long boot)
    {
        var socket = await TestSocket.ConnectAsync(WebSocketUri(index, ""));
        var controller = new TestController(socket, device, boot);
        await socket.SendAsync(TestController.Hello(device, token, boot, "zone1"));
        controller.Welcome = await socket.WaitForEventAsync("welcome");
        return controller;
    }

    /// <summary>Connects a dashboard to instance <paramref name="index"/> and waits for its snapshot.</summary>
    public async Task<TestSocket> ConnectDashboardAsync(int index, string user, string token)
    {
        var socket = await TestSocket.ConnectAsync(WebSocketUri(index, $"clients/{user}?access_token={Uri.EscapeDataString(token)}"));
        await socket.WaitForEventAsync("snapshot");
        return socket;
    }

    /// <summary>An HTTP client for instance <paramref name="index"/> with a bearer token.</summary>
    public HttpClient Http(int index, string token)
    {
        var client = new HttpClient { BaseAddress = Instances[index].Address, Timeout = TestSocket.Patience };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private Uri WebSocketUri(int index, string path) => new("ws" + Instances[index].Address!.ToString()[4..] + path);

    /// <summary>Stops every instance and Redis.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var instance in Instances)
        {
            await instance.DisposeAsync();
        }

        await _redis.DisposeAsync();
        TestServer.TryDelete(_dataDir);
    }
}
