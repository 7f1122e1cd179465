using Irrigation.Server.Options;
using Irrigation.Server.Cluster;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Relay;

/// <summary>Registration of the relay and its two WebSocket endpoints.</summary>
public static class RelayEndpoints
{
    /// <summary>
    /// Binds <see cref="RelayOptions"/> from "Relay" and registers the relay's services, with the Redis backplane
    /// when <c>ConnectionStrings:Redis</c> is set (several instances) and the local one otherwise.
    /// </summary>
    public static IServiceCollection AddRelay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section);
        services.AddSingleton<DeviceHubs>();
        services.AddSingleton<ControllerRegistry>();
        services.AddSingleton<DashboardRegistry>();
        services.AddHostedService<CredentialWatcher>();
        services.AddSingleton<SendWatchdog>();
        services.AddSingleton<IngestPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestPipeline>());
        services.AddSingleton<ControllerHandler>();
        services.AddSingleton<DashboardHandler>();
        services.AddSingleton<CommandService>();
        services.AddHostedService<SimulationLauncher>();
        if (configuration.GetConnectionString("Redis") is { Length: > 0 } redis)
        {
            var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
            if (!string.Equals(storage.Provider, StorageOptions.Postgres, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    "ConnectionStrings:Redis joins this server to a cluster, whose instances must share one database: " +
                    "set Storage:Provider to postgres and ConnectionStrings:Postgres (or remove ConnectionStrings:Redis to run alone).");
            }

            services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RedisBackplane>(sp, redis));
            services.AddSingleton<IRelayBackplane>(sp => sp.GetRequiredService<RedisBackplane>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisBackplane>());
        }
        else
        {
            services.AddSingleton<IRelayBackplane, LocalBackplane>();
        }

        return services;
    }

    /// <summary>
    /// ws://HOST/ for controllers. A middleware rather than an endpoint: a plain GET / must still reach the
    /// dashboard's index.html (static files), only WebSocket upgrades on "/" are controllers.
    /// </summary>
    public static WebApplication MapControllerSocket(this WebApplication app)
    {
        app.UseWebSockets();
        // Returns the handler's task itself rather than awaiting it: no state machine of this lambda per connection.
        app.Use((context, next) =>
            context.Request.Path == "/" && context.WebSockets.IsWebSocketRequest
                ? context.RequestServices.GetRequiredService<ControllerHandler>().HandleAsync(context)
                : next(context));
        return app;
    }

    /// <summary>ws://HOST/clients/{userId} for dashboards.</summary>
    public static IEndpointRouteBuilder MapDashboardSocket(this IEndpointRouteBuilder app)
    {
        app.Map("/clients/{userId}", async (HttpContext context, string userId, DashboardHandler handler) =>
            await handler.HandleAsync(context, userId) ?? Results.Empty);
        return app;
    }
}
