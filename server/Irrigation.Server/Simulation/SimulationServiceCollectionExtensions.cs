using Irrigation.Server.Relay;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Simulation;

public static class SimulationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the simulated farm behind <c>--simulate N</c> (settings in section "Simulation", checked when the
    /// server starts: a wrong one stops it with what to fix).
    /// </summary>
    public static IServiceCollection AddSimulation(this IServiceCollection services)
    {
        services.AddOptions<SimulationOptions>().BindConfiguration(SimulationOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SimulationOptions>, SimulationOptionsValidator>());
        services.AddSingleton<ISimulationHost, SimulationHost>();
        return services;
    }
}
