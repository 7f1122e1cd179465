using Irrigation.Server.Simulation;

namespace Irrigation.Server.Tests.Simulation;

/// <summary>
/// One simulated controller (sim-01, zones zone1 and zone2: the real core over the simulated field and water) on a
/// fake clock and a <see cref="StandInServerLink"/>, ticked every 100 ms like the simulator's loop. The weather and
/// soil are nearly frozen (time scale 0.01) so that the soil rule starts no run of its own: every run is the test's.
/// No dropouts, no link drops, no chance faults.
/// </summary>
public sealed class WaterFieldRig
{
    private const double TickSeconds = 0.1;
    private readonly ManualClock _clock = new();

    public WaterFieldRig(string waterFaults = "", double faultChancePerHour = 0, int seed = 19)
    {
        var options = new SimulationOptions
        {
            TimeScale = 0.01,
            SensorDropoutChance = 0,
            LinkDropChancePerMinute = 0,
            WaterFaultChancePerHour = faultChancePerHour,
            WaterFaults = waterFaults,
        };
        Link.ServerUnix = () => 1764547200 + (long)_clock.GetElapsedTime(0).TotalSeconds;
        Controller = new SimulatedController(new SimulatedDevice("sim-01", "token", ["zone1", "zone2"]), "ws://127.0.0.1:1/", options, seed,
            ConsoleLines.Add, _clock, Link);
        Controller.Start();
    }

    public StandInServerLink Link { get; } = new();

    public SimulatedController Controller { get; }

    /// <summary>The simulator's console lines.</summary>
    public List<string> ConsoleLines { get; } = [];

    /// <summary>Runs the field and the controller for <paramref name="seconds"/> of fake time.</summary>
    public void Run(double seconds)
    {
        for (double t = 0; t < seconds; t += TickSeconds)
        {
            _clock.Advance(TimeSpan.FromSeconds(TickSeconds));
            Link.Advance();
            Controller.Tick(TickSeconds);
        }
    }

    /// <summary>Waters <paramref name="zone"/> for <paramref name="seconds"/> and waits until the master valve closed again.</summary>
    public void Water(string zone, int seconds)
    {
        Link.Irrigate(zone, seconds);
        Run(seconds + 75);
    }

    /// <summary>The flow alerts the controller sent, of one kind.</summary>
    public List<System.Text.Json.JsonElement> Alerts(string kind) =>
        Link.Data("flow_alert").Where(a => a.GetProperty("kind").GetString() == kind).ToList();

    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;

        public override long GetTimestamp() => _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
