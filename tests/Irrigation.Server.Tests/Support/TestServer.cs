using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using Irrigation.Server.Auth;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Support;

/// <summary>
/// The real server on Kestrel at 127.0.0.1:0 with its SQLite file in a fresh temp dir. Helpers create users and
/// devices (through the real Provisioning service) and connect real WebSocket controllers and dashboards.
/// </summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly Factory _factory;
    private readonly bool _ownsDataDir;
    private readonly List<IAsyncDisposable> _sockets = [];

    private TestServer(Factory factory, string dataDir, bool ownsDataDir)
    {
        _factory = factory;
        DataDir = dataDir;
        _ownsDataDir = ownsDataDir;
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        HttpBase = new Uri(address.TrimEnd('/') + "/");
        WsBase = new Uri("ws" + HttpBase.ToString()[4..]);
    }

    /// <summary>The data dir.</summary>
    public string DataDir { get; }

    /// <summary>http://127.0.0.1:PORT/</summary>
    public Uri HttpBase { get; }

    /// <summary>ws://127.0.0.1:PORT/</summary>
    public Uri WsBase { get; }

    /// <summary>The server's services.</summary>
    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts a server; <paramref name="settings"/> override configuration (e.g. "Relay:HelloTimeout"),
    /// <paramref name="services"/> replace registrations (after the server's own).
    /// </summary>
    public static Task<TestServer> StartAsync(IDictionary<string, string?>? settings = null, string? dataDir = null,
        Action<IServiceCollection>? services = null)
    {
        var owns = dataDir is null;
        dataDir ??= NewTempDir();
        var all = new Dictionary<string, string?>
        {
            ["Storage:DataDir"] = dataDir,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Irrigation"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var factory = new Factory(all, services);
        factory.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        return Task.FromResult(new TestServer(factory, dataDir, owns));
    }

    /// <summary>A fresh empty temp folder.</summary>
    public static string NewTempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "irrigation-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Creates a user; returns its token.</summary>
    public async Task<string> CreateUserAsync(string userId)
    {
        var outcome = await Services.GetRequiredService<Provisioning>().CreateUserAsync(userId);
        Assert.True(outcome.Ok, outcome.Error);
        return outcome.Token!;
    }

    /// <summary>Creates a device; returns its token.</summary>
    public async Task<string> AddDeviceAsync(string deviceId, string owner, params string[] zones)
    {
        var outcome = await Services.GetRequiredService<Provisioning>().AddDeviceAsync(deviceId, owner, zones);
        Assert.True(outcome.Ok, outcome.Error);
        return outcome.Token!;
    }

    /// <summary>An HTTP client for the server, with a bearer token when given.</summary>
    public HttpClient Http(string? token = null)
    {
        var client = new HttpClient { BaseAddress = HttpBase, Timeout = TestSocket.Patience };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    /// <summary>Opens ws://HOST/ without sending anything.</summary>
    public async Task<TestSocket> OpenControllerSocketAsync(Action<ClientWebSocketOptions>? configure = null, bool read = true)
    {
        var socket = await TestSocket.ConnectAsync(WsBase, configure, read);
        _sockets.Add(socket);
        return socket;
    }

    /// <summary>Connects a controller, sends hello and waits for welcome.</summary>
    public async Task<TestController> ConnectControllerAsync(string device, string token, long boot = 1, string[]? zones = null,
        Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = await OpenControllerSocketAsync(configure);
        var controller = new TestController(socket, device, boot);
        await socket.SendAsync(TestController.Hello(device, token, boot, zones ?? []));
        controller.Welcome = await socket.WaitForEventAsync("welcome");
        return controller;
    }

    /// <summary>Connects a dashboard with ?access_token= and waits for the snapshot.</summary>
    public async Task<TestSocket> ConnectDashboardAsync(string userId, string token, bool read = true, HttpMessageInvoker? invoker = null)
    {
        var socket = await TestSocket.ConnectAsync(new Uri(WsBase, $"clients/{userId}?access_token={Uri.EscapeDataString(token)}"), null, read, invoker);
        _sockets.Add(socket);
        if (read)
        {
            await socket.WaitForEventAsync("snapshot");
        }

        return socket;
    }

    /// <summary>Stops the server (sockets see 1001) and deletes the data dir.</summary>
    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        foreach (var socket in _sockets)
        {
            await socket.DisposeAsync();
        }

        if (_ownsDataDir)
        {
            TryDelete(DataDir);
        }
    }

    /// <summary>Deletes a folder, ignoring failures (a file may still be open on some systems).</summary>
    public static void TryDelete(string dir)
    {
        try
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class Factory(Dictionary<string, string?> settings, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Host settings reach Program before it registers services (AddMqttBridge reads Mqtt:Server there);
            // the in-memory collection keeps them above appsettings.json for everything read later.
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
            if (services is not null)
            {
                builder.ConfigureTestServices(services);
            }
        }
    }
}
