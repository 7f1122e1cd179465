using Irrigation.Server.Auth;
using Irrigation.Server.Relay;
using Irrigation.Server.Settings;
using Microsoft.Extensions.Options;

namespace Irrigation.Server.Simulation;

/// <summary>
/// <c>--simulate N</c>: provisions user <c>demo</c> and controllers <c>sim-01</c>… (fresh tokens every start,
/// since only hashes are stored), prints the dashboard link, and runs the simulated farm against this server over
/// real WebSockets until the server stops.
/// </summary>
public sealed class SimulationHost(Provisioning provisioning, SettingsService deviceSettings, IOptions<SimulationOptions> options, TimeProvider clock)
    : ISimulationHost
{
    private static readonly string[] Zones = ["zone1", "zone2"];

    /// <summary>The ids of <paramref name="count"/> simulated controllers: sim-01, sim-02 …</summary>
    public static IEnumerable<string> DeviceIds(int count) => Enumerable.Range(1, Math.Max(0, count)).Select(i => $"sim-{i:00}");

    /// <summary>The zones every simulated controller has with <paramref name="settings"/>.</summary>
    public static string[] ZonesOf(SimulationOptions settings) => Zones.Take(Math.Clamp(settings.ZonesPerDevice, 1, Zones.Length)).ToArray();

    public async Task StartAsync(int count, Uri serverAddress, CancellationToken stopping)
    {
        var settings = options.Value;
        var user = await provisioning.IssueUserTokenAsync(settings.Owner, stopping);
        if (!user.Ok)
        {
            throw new InvalidOperationException($"cannot provision simulation user '{settings.Owner}': {user.Error}");
        }

        var zones = ZonesOf(settings);
        var devices = new List<SimulatedDevice>(count);
        foreach (var id in DeviceIds(count))
        {
            var device = await provisioning.EnsureDeviceAsync(id, settings.Owner, zones, stopping);
            if (!device.Ok)
            {
                throw new InvalidOperationException($"cannot provision simulated controller '{id}': {device.Error}");
            }

            devices.Add(new SimulatedDevice(id, device.Token!, zones));
        }

        var http = new UriBuilder(serverAddress) { Path = "/", Query = "token=" + Uri.EscapeDataString(user.Token!) };
        var socket = new UriBuilder(serverAddress) { Scheme = serverAddress.Scheme == "https" ? "wss" : "ws", Path = "/", Query = "" };
        Console.WriteLine($"Dashboard: {http.Uri}");
        Console.WriteLine($"Simulating {count} controller(s) of user '{settings.Owner}' at {settings.TimeScale:0.#}x weather and soil speed.");

        if (devices.Count >= 2)
        {
            // The demo shows a settings change from the server taking effect: sim-02 gets a rain delay (a new settings
            // version), applies it through the real core, and its dry zone's soil run is skipped, with the reason.
            var until = clock.GetUtcNow().AddHours(24).ToUnixTimeSeconds();
            var change = await deviceSettings.SetRainDelayAsync(settings.Owner, devices[1].DeviceId, zones, until, stopping);
            Console.WriteLine($"{devices[1].DeviceId,-8} rain delay for 24 h saved on the server (settings v{change.Version}): automatic watering waits, commands still work");
        }

        using var runner = SimulationRunner.Create(devices, socket.Uri.ToString(), settings, Console.WriteLine);
        await runner.RunAsync(stopping);
    }
}
