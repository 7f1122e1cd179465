using Irrigation.Server.Options;
using Microsoft.AspNetCore.Http.Features;

namespace Irrigation.Server.Relay;

/// <summary>Registration of the relay and its two WebSocket endpoints.</summary>
public static class RelayEndpoints
{
    /// <summary>Binds <see cref="RelayOptions"/> from "Relay" and registers the relay's services.</summary>
    public static IServiceCollection AddRelay(this IServiceCollection services)
    {
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section);
        services.AddSingleton<UserHubs>();
        services.AddSingleton<DeviceStateRegistry>();
        services.AddSingleton<ControllerRegistry>();
        services.AddSingleton<SendWatchdog>();
        services.AddSingleton<IngestPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestPipeline>());
        services.AddSingleton<ControllerHandler>();
        services.AddSingleton<DashboardHandler>();
        services.AddSingleton<CommandService>();
        services.AddHostedService<SimulationLauncher>();
        return services;
    }

    /// <summary>
    /// ws://HOST/ for controllers. A middleware rather than an endpoint: a plain GET / must still reach the
    /// dashboard's index.html (static files), only WebSocket upgrades on "/" are controllers.
    /// </summary>
    public static WebApplication MapControllerSocket(this WebApplication app)
    {
        // Before the WebSocket middleware, which takes the upgrade feature when the request arrives.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/clients")
                && context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade)
            {
                context.Features.Set<IHttpUpgradeFeature>(new CoalescingUpgradeFeature(upgrade, DashboardSession.DrainBufferBytes));
            }

            return next(context);
        });
        app.UseWebSockets();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path == "/" && context.WebSockets.IsWebSocketRequest)
            {
                await context.RequestServices.GetRequiredService<ControllerHandler>().HandleAsync(context);
                return;
            }

            await next(context);
        });
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
