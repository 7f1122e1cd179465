using Irrigation.Server.Auth;
using Irrigation.Server.Tests.Support;
using Irrigation.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Irrigation.Server.Tests.Mqtt;

/// <summary>
/// A Mosquitto broker, the real server with its MQTT bridge on it, user alice owning farm-01 (zone1, zone2), and a
/// probe subscribed to everything (Home Assistant's view of the broker).
/// </summary>
public sealed class MqttFarm : IAsyncDisposable
{
    /// <summary>The base topic and discovery prefix of the bridge (the defaults).</summary>
    public const string Base = "irrigation";

    /// <inheritdoc cref="Base" />
    public const string Prefix = "homeassistant";

    private readonly Action<IServiceCollection>? _services;
    private bool _running;

    private MqttFarm(MosquittoServer broker, string dataDir, Action<IServiceCollection>? services)
    {
        Broker = broker;
        DataDir = dataDir;
        _services = services;
    }

    /// <summary>The broker.</summary>
    public MosquittoServer Broker { get; }

    /// <summary>The server's data folder (kept across <see cref="RestartServerAsync"/>).</summary>
    public string DataDir { get; }

    /// <summary>The server.</summary>
    public TestServer Server { get; private set; } = null!;

    /// <summary>farm-01's device token.</summary>
    public string DeviceToken { get; private set; } = "";

    /// <summary>User tokens by user id.</summary>
    public Dictionary<string, string> Tokens { get; } = [];

    /// <summary>Subscribed to every topic.</summary>
    public MqttProbe Probe { get; private set; } = null!;

    /// <summary>The settings the server runs with.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>
    /// Starts everything; the bridge acts as <paramref name="bridgeUser"/> (alice owns farm-01, victor views it);
    /// <paramref name="services"/> replace the server's registrations (a clock).
    /// </summary>
    public static async Task<MqttFarm> StartAsync(string bridgeUser = "alice", IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var farm = new MqttFarm(await MosquittoServer.StartAsync(), TestServer.NewTempDir(), services);
        farm.Settings["Mqtt:Server"] = farm.Broker.Address;
        farm.Settings["Mqtt:User"] = bridgeUser;
        farm.Settings["Mqtt:DashboardUrl"] = "http://farm.example:5000/";
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            farm.Settings[key] = value;
        }

        await farm.StartServerAsync();
        farm.Tokens["alice"] = await farm.Server.CreateUserAsync("alice");
        farm.Tokens["victor"] = await farm.Server.CreateUserAsync("victor");
        farm.DeviceToken = await farm.Server.AddDeviceAsync("farm-01", "alice", "zone1", "zone2");
        Assert.Null(await farm.Server.Services.GetRequiredService<Sharing>().ShareAsync("alice", "farm-01", "victor", DeviceRole.Viewer));
        farm.Probe = await MqttProbe.ConnectAsync(farm.Broker.Port);
        return farm;
    }

    /// <summary>farm-01's discovery topic of one entity.</summary>
    public static string Config(string component, string entity) => $"{Prefix}/{component}/{Base}/farm-01_{entity}/config";

    /// <summary>A state topic of farm-01.</summary>
    public static string State(string path) => $"{Base}/farm-01/{path}";

    /// <summary>The discovery topics a farm-01 with two zones has before any soil probe or fault reported.</summary>
    public static readonly string[] BaseConfigs =
    [
        Config("binary_sensor", "online"), Config("sensor", "temperature"), Config("sensor", "humidity"), Config("sensor", "signal"),
        Config("sensor", "buffered"), Config("binary_sensor", "fault_temperature"), Config("binary_sensor", "fault_humidity"),
        Config("valve", "zone_zone1"), Config("valve", "zone_zone2"), Config("sensor", "water_zone1"), Config("sensor", "water_zone2"),
        Config("switch", "rain_delay"),
    ];

    /// <summary>Connects farm-01's controller (hello with firmware "test").</summary>
    public Task<TestController> ConnectControllerAsync(long boot = 1) => Server.ConnectControllerAsync("farm-01", DeviceToken, boot, ["zone1", "zone2"]);

    /// <summary>Stops the server and starts it again on the same data (the broker keeps running).</summary>
    public async Task RestartServerAsync()
    {
        await StopServerAsync();
        await StartServerAsync();
    }

    /// <summary>Stops the server (its bridge says goodbye: the bridge availability turns offline).</summary>
    public async Task StopServerAsync()
    {
        if (_running)
        {
            _running = false;
            await Server.DisposeAsync();
        }
    }

    /// <summary>Starts the server again on the same data.</summary>
    public async Task StartServerAsync()
    {
        Server = await TestServer.StartAsync(Settings, DataDir, _services);
        _running = true;
    }

    /// <summary>A fresh probe (what Home Assistant sees when it subscribes now: the retained messages).</summary>
    public async Task<MqttProbe> NewProbeAsync()
    {
        var probe = await MqttProbe.ConnectAsync(Broker.Port);
        // Retained messages arrive right after the subscription: wait for the bridge's availability, always retained.
        await probe.WaitUntilAsync(p => p.Retained($"{Base}/_bridge/availability") is not null, "the retained bridge availability");
        return probe;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Probe.DisposeAsync();
        await StopServerAsync();
        await Broker.DisposeAsync();
        TestServer.TryDelete(DataDir);
    }
}
