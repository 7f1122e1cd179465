using System.Globalization;

namespace Irrigation.Server.Cli;

/// <summary>
/// The contract's command line. <c>users …</c> and <c>devices …</c> are provisioning commands
/// (<see cref="ToolCommands"/>); anything else runs the server, with <c>--data-dir</c> and <c>--simulate</c>
/// translated into configuration keys (other arguments, e.g. <c>--urls</c> or <c>--Relay:MaxFrameBytes 4096</c>, pass
/// through to ASP.NET Core's command-line configuration).
/// </summary>
public static class CommandLine
{
    /// <summary>True when the arguments name a provisioning command instead of running the server.</summary>
    public static bool IsToolCommand(string[] args) =>
        args.Length > 0 && args[0] is "users" or "devices" or "help" or "--help" or "-h";

    /// <summary>Server arguments as host arguments; null with a message for a bad value.</summary>
    public static string[]? ToHostArgs(string[] args, out string error)
    {
        var host = new List<string>(args.Length);
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var (name, value, consumed) = Split(args, i);
            switch (name)
            {
                case "--data-dir":
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        error = "--data-dir needs a folder";
                        return null;
                    }

                    host.Add("--Storage:DataDir=" + value);
                    i += consumed;
                    break;
                case "--simulate":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                    {
                        error = "--simulate needs a number of controllers, e.g. --simulate 3";
                        return null;
                    }

                    host.Add("--Relay:SimulateCount=" + count.ToString(CultureInfo.InvariantCulture));
                    // The demo's console shows the demo: its own lines, and the framework's warnings only. Inserted
                    // first, so a --Logging:… argument of the user's still wins.
                    host.InsertRange(0, ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning"]);
                    i += consumed;
                    break;
                default:
                    host.Add(args[i]);
                    break;
            }
        }

        return [.. host];
    }

    /// <summary>Reads "--name value" or "--name=value" at position i.</summary>
    public static (string Name, string? Value, int Consumed) Split(string[] args, int i)
    {
        var arg = args[i];
        var eq = arg.IndexOf('=');
        if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
        {
            return (arg[..eq], arg[(eq + 1)..], 0);
        }

        return i + 1 < args.Length ? (arg, args[i + 1], 1) : (arg, null, 0);
    }
}
