using Microsoft.Extensions.Configuration;

namespace Irrigation.Server.Simulation;

/// <summary>
/// <c>simulate --server ws://HOST:PORT/ --devices FILE.csv</c>: runs simulated controllers against any server,
/// without hosting one. FILE.csv holds <c>device,token</c> lines, exactly what <c>devices import</c> prints, so a
/// batch provisioned on a remote server can be driven from here (the basis of load generation).
/// </summary>
public static class SimulateCommand
{
    public const string Usage = """
        Usage: simulate --server ws://HOST:PORT/ --devices FILE.csv [--zones zone1,zone2] [--Simulation:TimeScale 60] ...
          FILE.csv   lines "device,token" (the output of `devices import`); blank lines and # comments are skipped
          --zones    the zones every simulated controller reports (default zone1,zone2)
          Any Simulation:* setting can be given as --Simulation:Key value (see README), e.g. water faults:
          --Simulation:WaterFaults DEVICE[/ZONE]=FAULT,...   FAULT: burst_pipe, stuck_valve, closed_supply, slow_leak
          --Simulation:WaterFaultChancePerHour 1              faults that start by chance, repaired 5-15 min later (0: none)
        """;

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == "simulate";

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken stopping)
    {
        string? server = null, file = null, zones = "zone1,zone2";
        var settings = new List<string>();
        for (int i = 1; i < args.Length; i++)
        {
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--server": server = value; i++; break;
                case "--devices": file = value; i++; break;
                case "--zones": zones = value; i++; break;
                case var key when key.StartsWith("--Simulation:", StringComparison.OrdinalIgnoreCase) && value is not null:
                    settings.Add(key);
                    settings.Add(value);
                    i++;
                    break;
                default:
                    return Fail(stderr, $"unknown option {args[i]}");
            }
        }

        if (server is null || !Uri.TryCreate(server, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss"))
        {
            return Fail(stderr, "--server needs the controller socket URL, e.g. ws://192.168.1.10:5000/");
        }

        if (file is null || !File.Exists(file))
        {
            return Fail(stderr, file is null ? "--devices needs a CSV file of device,token lines" : $"no such file: {file}");
        }

        var zoneNames = (zones ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var devices = new List<SimulatedDevice>();
        int lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(file, stopping))
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            var parts = text.Split(',');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                return Fail(stderr, $"{file}:{lineNumber}: expected device,token");
            }

            devices.Add(new SimulatedDevice(parts[0].Trim(), parts[1].Trim(), zoneNames));
        }

        if (devices.Count == 0 || zoneNames.Length == 0)
        {
            return Fail(stderr, devices.Count == 0 ? $"{file} lists no devices" : "--zones needs at least one zone");
        }

        var options = new SimulationOptions();
        try
        {
            new ConfigurationBuilder().AddCommandLine([.. settings]).Build().GetSection(SimulationOptions.Section).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            // The binder names the setting and the type it wanted ("... at 'Simulation:TimeScale' to type 'System.Double'").
            return Fail(stderr, e.Message);
        }

        if (SimulationOptionsValidator.Check(options, devices) is { Count: > 0 } errors)
        {
            return Fail(stderr, string.Join(Environment.NewLine + "error: ", errors));
        }

        stdout.WriteLine($"Simulating {devices.Count} controller(s) against {uri} at {options.TimeScale:0.#}x weather and soil speed; Ctrl+C stops.");
        using var runner = SimulationRunner.Create(devices, uri.ToString(), options, stdout.WriteLine);
        await runner.RunAsync(stopping);
        return 0;
    }

    private static int Fail(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        stderr.WriteLine(Usage);
        return 2;
    }
}
