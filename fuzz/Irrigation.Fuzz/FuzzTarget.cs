using Irrigation.Fuzz.Core;
using Irrigation.Fuzz.Server;

namespace Irrigation.Fuzz;

/// <summary>
/// One parser under fuzzing: its name on the command line, the check run on every input, and the folders (below the
/// repository root) its seed corpus comes from. The golden vectors seed every target that reads frames.
/// </summary>
public sealed record FuzzTarget(string Name, Action<byte[]> Check, params string[] SeedFolders)
{
    /// <summary>Every target, in the order fuzz/run.sh runs them.</summary>
    public static readonly FuzzTarget[] All =
    [
        new("json-reader", JsonReaderTarget.Check, "tests/vectors", "fuzz/corpus/config"),
        new("server-message", ServerMessageTarget.Check, "tests/vectors/to-controller"),
        new("config", ConfigReaderTarget.Check, "fuzz/corpus/config"),
        new("frame", FrameTarget.Check, "tests/vectors/to-server"),
        new("hello", HelloTarget.Check, "tests/vectors/to-server/valid", "fuzz/corpus/hello"),
    ];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name) => Array.Find(All, t => t.Name == name);
}
