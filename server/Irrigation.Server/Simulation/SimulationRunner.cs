using System.Diagnostics;

namespace Irrigation.Server.Simulation;

/// <summary>
/// Ticks a set of simulated controllers from one loop, as each device's single tick thread would. Used in-process
/// by <c>--simulate N</c> and stand-alone by the <c>simulate</c> command (load generation against any server).
/// </summary>
public sealed class SimulationRunner(IReadOnlyList<SimulatedController> controllers, TimeSpan tickInterval, Action<string> console) : IDisposable
{
    public IReadOnlyList<SimulatedController> Controllers => controllers;

    /// <summary>
    /// A runner for <paramref name="devices"/> against the controller socket at <paramref name="serverUrl"/>. Throws
    /// <see cref="ArgumentException"/> when <c>Simulation:WaterFaults</c> is wrong for them (callers check it first,
    /// to say so in their own way).
    /// </summary>
    public static SimulationRunner Create(IReadOnlyList<SimulatedDevice> devices, string serverUrl, SimulationOptions options, Action<string> console)
    {
        if (WaterFaultList.Validate(options.WaterFaults, devices) is { } faultError)
        {
            throw new ArgumentException(faultError, nameof(options));
        }

        var seeds = new Random(options.Seed != 0 ? options.Seed : Random.Shared.Next());
        var controllers = devices.Select(d => new SimulatedController(d, serverUrl, options, seeds.Next(), console)).ToList();
        return new SimulationRunner(controllers, TimeSpan.FromMilliseconds(100), console);
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        foreach (var controller in controllers)
        {
            controller.Start();
        }

        var clock = Stopwatch.StartNew();
        double last = 0;
        using var timer = new PeriodicTimer(tickInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                double now = clock.Elapsed.TotalSeconds;
                double delta = now - last;
                last = now;
                foreach (var controller in controllers)
                {
                    try
                    {
                        controller.Tick(delta);
                    }
                    catch (Exception e)
                    {
                        // The core promises Tick never throws; if a simulated part does, report it and keep the farm alive.
                        console($"{controller.DeviceId,-8} simulator fault: {e.GetType().Name}: {e.Message}");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        foreach (var controller in controllers)
        {
            controller.Dispose();
        }
    }
}
