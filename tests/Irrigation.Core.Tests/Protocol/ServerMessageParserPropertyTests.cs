using Irrigation.Fuzz.Core;
using Irrigation.Tests.Support;

namespace Irrigation.Core.Tests.Protocol;

/// <summary>
/// The controller's parser of server frames under random and mutated frames, with the rules of its fuzz target
/// (fuzz/Irrigation.Fuzz/Core): never throws, stays within its allocation bound, rejects with a contract code and a
/// reason, accepts only complete messages, and a reused parser answers like a fresh one.
/// </summary>
public class ServerMessageParserPropertyTests
{
    private static readonly byte[][] Seeds = FrameMutator.Seeds("to-controller");

    [Fact]
    public void Parse_RandomAndMutatedFrames_KeepsEveryRuleOfItsFuzzTarget() =>
        PropertyInputs.Sample(PropertyInputs.Frames(Seeds), ServerMessageTarget.Check, 4000);

    [Fact]
    public void Parse_SeedsAndFuzzFindings_KeepEveryRuleOfItsFuzzTarget() =>
        PropertyInputs.Replay("server-message", Seeds, ServerMessageTarget.Check);
}
