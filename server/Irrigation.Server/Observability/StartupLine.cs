using Irrigation.Server.Relay;
using Irrigation.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Irrigation.Server.Observability;

/// <summary>One line on stdout once the server listens: where, on what storage, alone or in a cluster.</summary>
public static class StartupLine
{
    /// <summary>Prints <c>Listening on http://… (storage …, …)</c> when the application has started.</summary>
    public static WebApplication AnnounceWhenListening(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var database = app.Services.GetRequiredService<Database>();
            var backplane = app.Services.GetRequiredService<IRelayBackplane>() is Cluster.RedisBackplane redis
                ? $"instance {redis.InstanceId} of the cluster on redis {redis.Endpoint}"
                : "single instance";
            Console.WriteLine($"Listening on {string.Join(", ", addresses)} (storage {database.Engine} {database.Location}, {backplane})");
        });
        return app;
    }
}
