using Irrigation.Fuzz.Server;
using Irrigation.Tests.Support;

namespace Irrigation.Server.Tests.Relay;

/// <summary>
/// The relay's frame validation under random and mutated frames, with the rules of its fuzz targets
/// (fuzz/Irrigation.Fuzz/Server): never throws, stays within its allocation bound, rejects with its codes, accepts
/// only text the relay can read back, and the reading fast path never accepts what the document validator rejects.
/// </summary>
public class FrameValidatorPropertyTests
{
    private static readonly byte[][] Seeds = FrameMutator.Seeds("to-server");

    private static readonly byte[][] HelloSeeds = [.. Seeds, .. PropertyInputs.Files("fuzz", "corpus", "hello").Select(File.ReadAllBytes)];

    [Fact]
    public void Validate_RandomAndMutatedFrames_KeepsEveryRuleOfItsFuzzTarget() =>
        PropertyInputs.Sample(PropertyInputs.Frames(Seeds), FrameTarget.Check, 3000);

    [Fact]
    public void ParseHello_RandomAndMutatedFrames_KeepsEveryRuleOfItsFuzzTarget() =>
        PropertyInputs.Sample(PropertyInputs.Frames(HelloSeeds), HelloTarget.Check, 2000);

    [Fact]
    public void Validate_SeedsAndFuzzFindings_KeepEveryRuleOfItsFuzzTarget() =>
        PropertyInputs.Replay("frame", Seeds, FrameTarget.Check);

    [Fact]
    public void ParseHello_SeedsAndFuzzFindings_KeepEveryRuleOfItsFuzzTarget() =>
        PropertyInputs.Replay("hello", HelloSeeds, HelloTarget.Check);
}
