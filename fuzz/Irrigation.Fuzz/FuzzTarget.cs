using Irrigation.Fuzz.Core;
using Irrigation.Fuzz.Server;

namespace Irrigation.Fuzz;

/// <summary>
/// One parser under fuzzing: its name on the command line, the check run on every input, the folders (below the
/// repository root) its seed corpus comes from, and the source files whose coverage fuzz/run.sh reports for it.
/// The golden vectors seed every target that reads frames; every input that ever broke a target seeds it too.
/// </summary>
public sealed record FuzzTarget(string Name, Action<byte[]> Check, string[] SeedFolders, string[] Sources)
{
    private const string Core = "shared/Irrigation.Core/";
    private const string Relay = "server/Irrigation.Server/Relay/";

    /// <summary>Every target, in the order fuzz/run.sh runs them.</summary>
    public static readonly FuzzTarget[] All =
    [
        new("json-reader", JsonReaderTarget.Check,
            ["tests/vectors", "fuzz/corpus/config", "fuzz/regressions/json-reader"],
            [Core + "Protocol/JsonReader.cs"]),
        new("server-message", ServerMessageTarget.Check,
            ["tests/vectors/to-controller", "fuzz/regressions/server-message"],
            [Core + "Protocol/ServerMessageParser.cs"]),
        new("config", ConfigReaderTarget.Check,
            ["fuzz/corpus/config", "fuzz/regressions/config"],
            [Core + "Config/ControllerConfigReader.cs"]),
        new("frame", FrameTarget.Check,
            ["tests/vectors/to-server", "fuzz/regressions/frame"],
            [Relay + "FrameValidator.cs", Relay + "Utf16Escapes.cs"]),
        new("hello", HelloTarget.Check,
            ["tests/vectors/to-server/valid", "fuzz/corpus/hello", "fuzz/regressions/hello"],
            [Relay + "FrameValidator.cs"]),
    ];

    /// <summary>The target called <paramref name="name"/>, or null.</summary>
    public static FuzzTarget? Find(string name) => Array.Find(All, t => t.Name == name);
}
