using Irrigation.Server.Options;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Relay;

/// <summary>Starts the registered <see cref="ISimulationHost"/> after the server listens, when Relay:SimulateCount &gt; 0.</summary>
public sealed class SimulationLauncher(
    IServiceProvider services,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<RelayOptions> options,
    ILogger<SimulationLauncher> log) : IHostedService
{
    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var count = options.Value.SimulateCount;
        if (count <= 0)
        {
            return Task.CompletedTask;
        }

        var host = services.GetService<ISimulationHost>();
        if (host is null)
        {
            Console.Error.WriteLine($"--simulate {count}: this build has no simulator registered (ISimulationHost); running without simulated controllers.");
            return Task.CompletedTask;
        }

        lifetime.ApplicationStarted.Register(() =>
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:5000";
            // "http://[::]:5000" or "http://0.0.0.0:5000" are listen addresses, not ones to connect to.
            var uri = new Uri(address.Replace("[::]", "127.0.0.1").Replace("0.0.0.0", "127.0.0.1").Replace("+", "127.0.0.1").Replace("*", "127.0.0.1"));
            _ = RunAsync(host, count, uri);
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task RunAsync(ISimulationHost host, int count, Uri uri)
    {
        try
        {
            await host.StartAsync(count, uri, lifetime.ApplicationStopping);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogError(e, "The simulator failed to start");
        }
    }
}
