using System.Text.RegularExpressions;
using Irrigation.Core.Sensors;
using Irrigation.Core.Tests.Fakes;

namespace Irrigation.Core.Tests.Logging;

/// <summary>The serial log is a contract for technicians (docs/firmware-core.md shows a sample).</summary>
public class BootLogTests
{
    private static readonly Regex LineFormat = new(@"^\[\d{5,}\.\d{3}\] [DIWE] [a-z]+: [^\r\n]*$");

    [Fact]
    public void BootLog_ServerDownThenUp_EveryLineInTheOneFormat()
    {
        var config = Rig.DefaultConfig();
        config.Zones[0].SoilProbe = 0;
        config.Zones[0].MinIntervalSeconds = 0;
        var rig = new Rig(config, seed: 1);
        rig.Probes[0].Raw = 3300;
        rig.Climate.Queued.Enqueue(ClimateSample.Failed);
        rig.Link.ServerUp = false;
        rig.Start();
        rig.Run(6_000);
        rig.Link.ServerUp = true;
        rig.Run(1_300_000);

        Assert.Equal("[00000.000] I core: boot zones=2 probes=1", rig.Log.Lines[0]);
        Assert.All(rig.Log.Lines, l => Assert.Matches(LineFormat, l));
        Assert.Contains(rig.Log.Lines, l => Regex.IsMatch(l, @"^\[00000\.500\] W link: connect failed retry_ms=\d+ attempt=1$"));
        Assert.Contains(rig.Log.Lines, l => Regex.IsMatch(l, @"^\[00002\.000\] W sensor: dht read failed misses=1$"));
        Assert.Contains(rig.Log.Lines, l => Regex.IsMatch(l, @"^\[\d{5}\.\d{3}\] I link: ready attempts=\d+ sessions=1$"));
        Assert.Contains(rig.Log.Lines, l => l.EndsWith("I irrigation: soil_dry start zones=1 duration=600", StringComparison.Ordinal));
        Assert.Contains(rig.Log.Lines, l => l.EndsWith("I irrigation: lease ended zones=1", StringComparison.Ordinal));
    }
}
