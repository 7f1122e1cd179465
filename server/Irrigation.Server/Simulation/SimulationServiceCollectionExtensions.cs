using Irrigation.Server.Relay;

namespace Irrigation.Server.Simulation;

public static class SimulationServiceCollectionExtensions
{
    /// <summary>Registers the simulated farm behind <c>--simulate N</c> (settings in section "Simulation").</summary>
    public static IServiceCollection AddSimulation(this IServiceCollection services)
    {
        services.AddOptions<SimulationOptions>().BindConfiguration(SimulationOptions.Section);
        services.AddSingleton<ISimulationHost, SimulationHost>();
        return services;
    }
}
