using Irrigation.Fuzz.Core;
using Irrigation.Tests.Support;

namespace Irrigation.Core.Tests.Protocol;

/// <summary>
/// The JSON reader under random and mutated input, with the rules of its fuzz target (fuzz/Irrigation.Fuzz/Core):
/// never throws, always ends, stays within its depth and allocation bound, agrees with its Skip() and with
/// System.Text.Json token for token.
/// </summary>
public class JsonReaderPropertyTests
{
    private static readonly byte[][] Seeds = FrameMutator.Seeds();

    [Fact]
    public void Read_RandomAndMutatedDocuments_KeepsEveryRuleOfItsFuzzTarget() =>
        PropertyInputs.Sample(PropertyInputs.Frames(Seeds), JsonReaderTarget.Check, 4000);

    [Fact]
    public void Read_SeedsAndFuzzFindings_KeepEveryRuleOfItsFuzzTarget() =>
        PropertyInputs.Replay("json-reader", [.. Seeds, .. PropertyInputs.Files("fuzz", "corpus", "config").Select(File.ReadAllBytes)], JsonReaderTarget.Check);
}
