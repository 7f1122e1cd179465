namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// The quiet simulated farm of <see cref="SettingsFarmFixture"/> with two controllers: sim-01 healthy, sim-02 with a
    /// slow leak behind its master valve (`--Simulation:WaterFaults sim-02=slow_leak`), so that its first run ends in a
    /// leak alarm and a leak lock. sim-02 also has the demo's rain delay: it waters only when told to.
    /// </summary>
    public sealed class WaterFarmFixture() : SettingsFarmFixture(2, "--Simulation:WaterFaults", "sim-02=slow_leak");
}
