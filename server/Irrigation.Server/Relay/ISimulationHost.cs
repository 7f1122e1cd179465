namespace Irrigation.Server.Relay;

/// <summary>
/// Extension point for <c>--simulate N</c>. Register an implementation (e.g. from Simulation/) in the service
/// collection; once the server listens, <see cref="SimulationLauncher"/> calls <see cref="StartAsync"/> with the
/// count and the server's own address. Without a registration, <c>--simulate</c> only prints a notice.
/// </summary>
public interface ISimulationHost
{
    /// <summary>
    /// Starts <paramref name="count"/> simulated controllers against <paramref name="serverAddress"/>
    /// (e.g. http://127.0.0.1:5000); they should stop when <paramref name="stopping"/> is cancelled.
    /// </summary>
    Task StartAsync(int count, Uri serverAddress, CancellationToken stopping);
}
