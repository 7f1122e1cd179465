using Irrigation.Server.Simulation;
using Irrigation.Server.Tests.Support;

namespace Irrigation.Server.Tests.Simulation;

/// <summary>The setting <c>Simulation:WaterFaults</c>: what it accepts, and what it says about a mistake.</summary>
public sealed class WaterFaultListTests : IDisposable
{
    private static readonly SimulatedDevice[] Farm =
    [
        new("sim-01", "t", ["zone1", "zone2"]),
        new("sim-02", "t", ["zone1", "zone2"]),
    ];

    private readonly string _dataDir = TestServer.NewTempDir();

    [Fact]
    public void Parse_DevicesZonesAndKinds_EachFaultInOrder()
    {
        var faults = WaterFaultList.Parse(" sim-02=slow_leak, sim-01/zone2=BURST_PIPE,sim-01=stuck_valve,sim-02=closed_supply ,", out var error);

        Assert.Equal("", error);
        Assert.Equal(
            [new("sim-02", null, WaterFaultKind.SlowLeak), new("sim-01", "zone2", WaterFaultKind.BurstPipe), new("sim-01", null, WaterFaultKind.StuckValve), new WaterFault("sim-02", null, WaterFaultKind.ClosedSupply)],
            faults!);
        Assert.Null(WaterFaultList.Check(faults!, Farm));
        Assert.Equal("sim-01/zone2=burst_pipe", faults![1].ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Parse_Blank_NoFaults(string? text)
    {
        Assert.Empty(WaterFaultList.Parse(text, out _)!);
    }

    [Theory]
    [InlineData("sim-02", "Simulation:WaterFaults: 'sim-02' names no fault; write DEVICE[/ZONE]=FAULT, e.g. sim-02=slow_leak (burst_pipe, stuck_valve, closed_supply, slow_leak)")]
    [InlineData("sim-02=flood", "Simulation:WaterFaults: unknown fault 'flood' in 'sim-02=flood'; use burst_pipe, stuck_valve, closed_supply, slow_leak")]
    [InlineData("=slow_leak", "Simulation:WaterFaults: '=slow_leak' needs a device, e.g. sim-01/zone1=slow_leak")]
    [InlineData("sim-01/=burst_pipe", "Simulation:WaterFaults: 'sim-01/=burst_pipe' needs a device and, after the /, a zone, e.g. sim-01/zone1=burst_pipe")]
    [InlineData("sim-01/zone1=slow_leak", "Simulation:WaterFaults: slow_leak is a fault of the main line, not of a zone: write sim-01=slow_leak")]
    [InlineData("sim-01=slow_leak,sim-01=slow_leak", "Simulation:WaterFaults: sim-01 has slow_leak twice; name each fault of a device once")]
    public void Parse_Mistake_NullWithWhatToWrite(string text, string message)
    {
        Assert.Null(WaterFaultList.Parse(text, out var error));
        Assert.Equal(message, error);
    }

    [Theory]
    [InlineData("sim-09=slow_leak", "Simulation:WaterFaults: 'sim-09=slow_leak' names sim-09, which is not simulated here (the simulated controllers are sim-01, sim-02)")]
    [InlineData("sim-01/bed-3=burst_pipe", "Simulation:WaterFaults: 'sim-01/bed-3=burst_pipe': sim-01 has no zone 'bed-3' (its zones: zone1, zone2)")]
    public void Validate_UnknownDeviceOrZone_SaysWhichExist(string text, string message)
    {
        Assert.Equal(message, WaterFaultList.Validate(text, Farm));
    }

    [Fact]
    public async Task Simulate_BadWaterFault_ExitTwoWithTheReason()
    {
        string credentials = Path.Combine(_dataDir, "credentials.csv");
        await File.WriteAllTextAsync(credentials, "field-01,token\n");
        var stderr = new StringWriter();

        int code = await SimulateCommand.RunAsync(
            ["simulate", "--server", "ws://127.0.0.1:1/", "--devices", credentials, "--Simulation:WaterFaults", "field-01/zone3=stuck_valve"],
            TextWriter.Null, stderr, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Contains("error: Simulation:WaterFaults: 'field-01/zone3=stuck_valve': field-01 has no zone 'zone3' (its zones: zone1, zone2)", stderr.ToString());
    }

    [Fact]
    public async Task Server_SimulateWithFaultOfAnUnsimulatedDevice_RefusesToStartWithTheReason()
    {
        var run = await ServerProcess.RunAsync("--urls", "http://127.0.0.1:0", "--data-dir", _dataDir, "--simulate", "2", "--Simulation:WaterFaults", "sim-03=slow_leak");

        Assert.NotEqual(0, run.Code);
        Assert.Contains("Simulation:WaterFaults: 'sim-03=slow_leak' names sim-03, which is not simulated here (the simulated controllers are sim-01, sim-02)", run.Stderr);
        Assert.DoesNotContain("Dashboard: ", run.Stdout);
    }

    public void Dispose() => TestServer.TryDelete(_dataDir);
}
