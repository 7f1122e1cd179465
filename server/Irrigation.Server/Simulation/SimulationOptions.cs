namespace Irrigation.Server.Simulation;

/// <summary>
/// Settings of the simulated farm (section "Simulation"). Time acceleration applies to the simulated weather and
/// soil only: the controllers' own clocks, leases and intervals run in real time, so every timestamp they send is
/// true and the charts stay honest while a day of weather passes in minutes.
/// </summary>
public sealed class SimulationOptions
{
    public const string Section = "Simulation";

    /// <summary>How many controllers (sim-01 …); 0 turns the simulator off. Set by --simulate N.</summary>
    public int Count { get; set; }

    /// <summary>Simulated seconds per real second for weather and soil (60: a day passes in 24 minutes).</summary>
    public double TimeScale { get; set; } = 60;

    /// <summary>The user who owns the simulated controllers.</summary>
    public string Owner { get; set; } = "demo";

    /// <summary>Zones per simulated controller.</summary>
    public int ZonesPerDevice { get; set; } = 2;

    /// <summary>Chance per sensor read that a dropout starts (a loose wire: several failed reads in a row).</summary>
    public double SensorDropoutChance { get; set; } = 0.002;

    /// <summary>Chance per real minute that a controller's link drops without a close frame.</summary>
    public double LinkDropChancePerMinute { get; set; } = 0.05;

    /// <summary>Seconds between climate reads on the simulated controllers (the device default is 30).</summary>
    public int ClimateIntervalSeconds { get; set; } = 5;

    /// <summary>Real seconds a zone waits after boot or after a run before the soil rule may start it again.</summary>
    public int SoilRuleMinIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// Chance per real hour that a controller's field gets a water fault (a burst pipe, a stuck valve, a closed supply
    /// or a slow leak, each raising its alarm), repaired 5–15 minutes later; 0 turns chance faults off.
    /// </summary>
    public double WaterFaultChancePerHour { get; set; } = 1;

    /// <summary>
    /// Water faults put in on purpose, <c>DEVICE[/ZONE]=FAULT</c> separated by commas, e.g.
    /// <c>sim-02=slow_leak,sim-01/zone2=burst_pipe</c> (see <see cref="WaterFaultList"/>); they stay for the whole run.
    /// </summary>
    public string WaterFaults { get; set; } = "";

    /// <summary>Print every simulated serial log line, not only warnings and errors.</summary>
    public bool VerboseSerialLog { get; set; }

    /// <summary>Seed for the weather, soil and failure models (0: a new one each run).</summary>
    public int Seed { get; set; }
}
