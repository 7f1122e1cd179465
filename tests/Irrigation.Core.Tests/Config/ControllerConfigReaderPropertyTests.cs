using Irrigation.Fuzz.Core;
using Irrigation.Tests.Support;

namespace Irrigation.Core.Tests.Config;

/// <summary>
/// The config reader under random and mutated files, with the rules of its fuzz target (fuzz/Irrigation.Fuzz/Core):
/// never throws, stays within its allocation bound, and gives a config that passes its own validation or none with
/// errors, the same way every time.
/// </summary>
public class ControllerConfigReaderPropertyTests
{
    private static readonly byte[][] Seeds = PropertyInputs.Files("fuzz", "corpus", "config").Select(File.ReadAllBytes).ToArray();

    [Fact]
    public void Read_RandomAndMutatedFiles_KeepsEveryRuleOfItsFuzzTarget() =>
        PropertyInputs.Sample(PropertyInputs.Frames(Seeds), ConfigReaderTarget.Check, 3000);

    [Fact]
    public void Read_SeedsAndFuzzFindings_KeepEveryRuleOfItsFuzzTarget()
    {
        Assert.NotEmpty(Seeds);
        PropertyInputs.Replay("config", Seeds, ConfigReaderTarget.Check);
    }
}
