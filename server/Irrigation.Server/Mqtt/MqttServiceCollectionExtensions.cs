using System.Reflection;
using Irrigation.Server.Cluster;
using Irrigation.Server.Options;
using Irrigation.Server.Relay;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Mqtt;

/// <summary>Registration of the MQTT bridge (nothing at all while <c>Mqtt:Server</c> is empty).</summary>
public static class MqttServiceCollectionExtensions
{
    /// <summary>
    /// Checks the <c>Mqtt</c> settings (a mistake fails the start with what to fix) and registers the bridge: the
    /// relay's device observer, the bridge's state, its broker link and, in a cluster (<c>ConnectionStrings:Redis</c>),
    /// the Redis lease that lets exactly one instance run it.
    /// </summary>
    public static IServiceCollection AddMqttBridge(this IServiceCollection services, IConfiguration configuration)
    {
        var o = configuration.GetSection(MqttOptions.Section).Get<MqttOptions>() ?? new MqttOptions();
        if (!o.Enabled)
        {
            return services;
        }

        var address = BrokerAddress.Parse(o.Server);
        var topics = new MqttTopics(o.BaseTopic, o.DiscoveryPrefix);
        Check(o);
        services.AddOptions<MqttOptions>().BindConfiguration(MqttOptions.Section);
        services.AddSingleton(address);
        services.AddSingleton(topics);
        services.AddSingleton<MqttMetrics>();
        services.AddSingleton(sp => new DeviceChangeFeed(o.QueueLength, sp.GetRequiredService<MqttMetrics>()));
        services.AddSingleton<IDeviceObserver>(sp => sp.GetRequiredService<DeviceChangeFeed>());
        services.AddSingleton(new RetainedOutbox(topics.Prefix));
        services.AddSingleton<DashboardLink>();
        services.AddSingleton(sp => new HomeAssistantDiscovery(topics, sp.GetRequiredService<DashboardLink>(), ServerVersion()));
        services.AddSingleton<BridgeState>();
        services.AddSingleton<StoredStates>();
        services.AddSingleton<MqttCommands>();
        services.AddSingleton<BrokerLink>();
        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            // The holder renews every half keepalive; an instance that died is replaced within two keepalives, as its controllers are.
            var keepAlive = (configuration.GetSection(RelayOptions.Section).Get<RelayOptions>() ?? new RelayOptions()).KeepAliveInterval;
            services.AddSingleton<ILease>(sp => new RedisLease(redis, "mqtt-bridge:" + topics.NodeId, keepAlive * 2,
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RedisLease>>()));
        }
        else
        {
            services.AddSingleton<ILease, SoleInstanceLease>();
        }

        services.AddHostedService<MqttBridge>();
        services.AddHealthChecks().AddCheck<MqttHealthCheck>("mqtt");
        return services;
    }

    private static void Check(MqttOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.User))
        {
            throw new InvalidOperationException(
                "Mqtt:User is empty: name the user whose devices Home Assistant should see (the bridge acts with that user's role).");
        }

        if (o.OpenDurationSeconds < 1)
        {
            throw new InvalidOperationException($"Mqtt:OpenDurationSeconds is {o.OpenDurationSeconds}: give the seconds an OPEN from Home Assistant runs a valve (1 or more).");
        }

        if (o.DashboardUrl.Length > 0 && !(Uri.TryCreate(o.DashboardUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            throw new InvalidOperationException($"Mqtt:DashboardUrl '{o.DashboardUrl}' is not an http:// or https:// address.");
        }
    }

    private static string ServerVersion()
    {
        var version = typeof(MqttBridge).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0";
        // Drop the "+commit" build metadata: Home Assistant shows the version to people.
        return version.Split('+')[0];
    }
}
