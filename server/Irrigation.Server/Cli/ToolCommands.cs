using Irrigation.Server.Auth;
using Irrigation.Server.Options;
using Irrigation.Server.Storage;

namespace Irrigation.Server.Cli;

/// <summary>
/// Provisioning commands: <c>users add</c>, <c>devices add</c>, <c>devices import</c>, <c>devices list</c>. Each acts on
/// the storage the server would use with the same settings: appsettings.json, environment variables
/// (Storage__Provider=postgres) and <c>--Section:Key value</c> arguments (<c>--ConnectionStrings:Postgres "…"</c>), with
/// <c>--data-dir</c> for SQLite. A token is printed once, as the last line of stdout; errors go to stderr with exit
/// code 1 (2 for usage errors).
/// </summary>
public static class ToolCommands
{
    /// <summary>The usage text.</summary>
    public const string Usage =
        """
        Usage:
          Irrigation.Server [--urls URL] [--data-dir DIR] [--simulate N]     run the server
          Irrigation.Server users add <userId> [--data-dir DIR]              create a user, print its token
          Irrigation.Server devices add <deviceId> --owner <userId> [--zones zone1,zone2] [--max-duration SECONDS] [--data-dir DIR]
                                                                            create a device, print its token
          Irrigation.Server devices import <file.csv> [--data-dir DIR]       lines "device,owner,zone1;zone2"; prints "device,token" lines
          Irrigation.Server devices list [--data-dir DIR]                    list devices
          Irrigation.Server devices share <deviceId> --with <userId> --role operator|viewer
                                                                            share a device (operator: start/stop, rain delay; viewer: read only)
          Irrigation.Server devices unshare <deviceId> --with <userId>       take a member's access away (their dashboards close)
          Irrigation.Server devices rotate-token <deviceId>                  new device token (last line); the old one stops working
          Irrigation.Server devices revoke-token <deviceId>                  no token works for the device until it is rotated
          Irrigation.Server devices remove <deviceId>                        remove a device and its history
          Irrigation.Server users rotate-token <userId>                      new user token (last line); the old one stops working
          Irrigation.Server users revoke-token <userId>                      no token works for the user until it is rotated
          Irrigation.Server users remove <userId>                            remove a user (who owns no device)
          Irrigation.Server simulate --server ws://HOST:PORT/ --devices credentials.csv
                                                                            simulated controllers against any server ("device,token" lines)

        Every command takes the server's settings too: --Storage:Provider postgres --ConnectionStrings:Postgres "Host=…"
        (or Storage__Provider / ConnectionStrings__Postgres in the environment), so it acts on the server's database.
        """;

    /// <summary>Runs a command; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var positional = new List<string>();
        var named = new Dictionary<string, string>(StringComparer.Ordinal);
        var settings = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var (name, value, consumed) = CommandLine.Split(args, i);
                if (value is null || (consumed == 1 && value.StartsWith("--", StringComparison.Ordinal)))
                {
                    return UsageError(stderr, $"{name} needs a value");
                }

                if (name.Contains(':'))
                {
                    // A configuration key, as the server takes it (--Storage:Provider postgres).
                    settings.Add(name + "=" + value);
                }
                else if (name is "--data-dir" or "--owner" or "--zones" or "--max-duration" or "--with" or "--role")
                {
                    named[name] = value;
                }
                else
                {
                    return UsageError(stderr, $"unknown option {name}");
                }

                i += consumed;
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        if (positional.Count == 0 || positional[0] is "help" or "-h")
        {
            stdout.WriteLine(Usage);
            return positional.Count == 0 ? 2 : 0;
        }

        var command = string.Join(' ', positional.Take(2));
        try
        {
            using var host = await OpenAsync([.. settings], named.GetValueOrDefault("--data-dir"));
            var provisioning = host.Services.GetRequiredService<Provisioning>();
            var accounts = host.Services.GetRequiredService<IAccountStore>();
            var sharing = host.Services.GetRequiredService<Sharing>();
            return command switch
            {
                "users add" => await UsersAddAsync(positional, provisioning, stdout, stderr),
                "devices add" => await DevicesAddAsync(positional, named, provisioning, stdout, stderr),
                "devices import" => await DevicesImportAsync(positional, provisioning, stdout, stderr),
                "devices list" => await DevicesListAsync(positional, accounts, stdout, stderr),
                "devices share" => await OneIdAsync(positional, stderr, "devices share <deviceId> --with <userId> --role operator|viewer", async id =>
                    named.TryGetValue("--with", out var user) && DeviceRoles.TryParseMember(named.GetValueOrDefault("--role"), out var role)
                        ? Done(stdout, stderr, await sharing.ShareAsync(CliActor, id, user, role), $"Shared {id} with {user} as {role.ToWire()}.")
                        : UsageError(stderr, "usage: devices share <deviceId> --with <userId> --role operator|viewer")),
                "devices unshare" => await OneIdAsync(positional, stderr, "devices unshare <deviceId> --with <userId>", async id =>
                    named.TryGetValue("--with", out var user)
                        ? Done(stdout, stderr, await sharing.UnshareAsync(CliActor, id, user), $"{user} no longer shares {id}.")
                        : UsageError(stderr, "usage: devices unshare <deviceId> --with <userId>")),
                "devices rotate-token" => await OneIdAsync(positional, stderr, "devices rotate-token <deviceId>", async id =>
                    Token(stdout, stderr, await provisioning.RotateDeviceTokenAsync(CliActor, id), $"New token of device {id} (shown only now; the old one no longer works):")),
                "devices revoke-token" => await OneIdAsync(positional, stderr, "devices revoke-token <deviceId>", async id =>
                    Done(stdout, stderr, (await provisioning.RevokeDeviceTokenAsync(CliActor, id)).Error, $"No token works for {id} now; give it a new one with: devices rotate-token {id}")),
                "devices remove" => await OneIdAsync(positional, stderr, "devices remove <deviceId>", async id =>
                    Done(stdout, stderr, await provisioning.RemoveDeviceAsync(CliActor, id), $"Removed device {id} and its history.")),
                "users rotate-token" => await OneIdAsync(positional, stderr, "users rotate-token <userId>", async id =>
                    Token(stdout, stderr, await provisioning.RotateUserTokenAsync(CliActor, id), $"New token of user {id} (shown only now; the old one no longer works):")),
                "users revoke-token" => await OneIdAsync(positional, stderr, "users revoke-token <userId>", async id =>
                    Done(stdout, stderr, (await provisioning.RevokeUserTokenAsync(CliActor, id)).Error, $"No token works for {id} now; give them a new one with: users rotate-token {id}")),
                "users remove" => await OneIdAsync(positional, stderr, "users remove <userId>", async id =>
                    Done(stdout, stderr, await provisioning.RemoveUserAsync(CliActor, id), $"Removed user {id}.")),
                _ => UsageError(stderr, $"unknown command '{command}'"),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or System.Data.Common.DbException
            or System.Net.Sockets.SocketException)
        {
            stderr.WriteLine("error: " + e.Message);
            return 1;
        }
    }

    // The server's own configuration sources and storage registration, without the web host.
    private static async Task<IHost> OpenAsync(string[] settings, string? dataDir)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = settings });
        builder.Configuration.AddBinaryFolderDefaults(builder.Environment);
        if (dataDir is not null)
        {
            builder.Configuration[$"{StorageOptions.Section}:{nameof(StorageOptions.DataDir)}"] = dataDir;
        }

        // The command's output is its own lines only.
        builder.Logging.ClearProviders();
        builder.Services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section);
        builder.Services.AddStorage();
        builder.Services.AddSingleton<Provisioning>();
        builder.Services.AddSingleton<Sharing>();
        builder.Services.AddSingleton<CredentialChanges>();
        var host = builder.Build();
        await host.Services.MigrateStorageAsync();
        return host;
    }

    private static async Task<int> UsersAddAsync(List<string> positional, Provisioning provisioning, TextWriter stdout, TextWriter stderr)
    {
        if (positional.Count != 3)
        {
            return UsageError(stderr, "usage: users add <userId>");
        }

        var outcome = await provisioning.CreateUserAsync(positional[2]);
        if (!outcome.Ok)
        {
            return Failure(stderr, outcome.Error!);
        }

        stdout.WriteLine($"Created user {positional[2]}. Its token (shown only now):");
        stdout.WriteLine(outcome.Token);
        return 0;
    }

    private static async Task<int> DevicesAddAsync(
        List<string> positional, Dictionary<string, string> named, Provisioning provisioning, TextWriter stdout, TextWriter stderr)
    {
        if (positional.Count != 3 || !named.TryGetValue("--owner", out var owner))
        {
            return UsageError(stderr, "usage: devices add <deviceId> --owner <userId> [--zones zone1,zone2] [--max-duration SECONDS]");
        }

        int? maxDuration = null;
        if (named.TryGetValue("--max-duration", out var maxText))
        {
            if (!int.TryParse(maxText, out var parsed) || parsed < 1)
            {
                return UsageError(stderr, "--max-duration must be a whole number of seconds, at least 1");
            }

            maxDuration = parsed;
        }

        var zones = SplitZones(named.GetValueOrDefault("--zones"), ',');
        var outcome = await provisioning.AddDeviceAsync(positional[2], owner, zones, maxDuration);
        if (!outcome.Ok)
        {
            return Failure(stderr, outcome.Error!);
        }

        stdout.WriteLine($"Created device {positional[2]} owned by {owner}" +
            (zones.Length > 0 ? $" with zones {string.Join(", ", zones)}" : " (zones come from its hello)") + ". Its token (shown only now):");
        stdout.WriteLine(outcome.Token);
        return 0;
    }

    private static async Task<int> DevicesImportAsync(List<string> positional, Provisioning provisioning, TextWriter stdout, TextWriter stderr)
    {
        if (positional.Count != 3)
        {
            return UsageError(stderr, "usage: devices import <file.csv>");
        }

        if (!File.Exists(positional[2]))
        {
            return Failure(stderr, $"no such file: {positional[2]}");
        }

        var specs = new List<DeviceSpec>();
        var lineNumber = 0;
        foreach (var rawLine in await File.ReadAllLinesAsync(positional[2]))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#')
                || (specs.Count == 0 && line.Equals("device,owner,zones", StringComparison.OrdinalIgnoreCase)))
            {
                continue; // Blank lines, comments and an optional header.
            }

            var fields = line.Split(',');
            if (fields.Length is < 2 or > 3)
            {
                return Failure(stderr, $"line {lineNumber}: expected device,owner,zones (zones separated by ';'), got '{line}'");
            }

            specs.Add(new DeviceSpec(fields[0].Trim(), fields[1].Trim(), SplitZones(fields.Length == 3 ? fields[2] : null, ';'), Line: lineNumber));
        }

        if (specs.Count == 0)
        {
            return Failure(stderr, $"{positional[2]} has no device lines");
        }

        var outcome = await provisioning.ImportAsync(specs);
        if (!outcome.Ok)
        {
            return Failure(stderr, outcome.Error! + " (nothing was created)");
        }

        foreach (var (device, token) in outcome.Tokens)
        {
            stdout.WriteLine($"{device},{token}");
        }

        return 0;
    }

    private static async Task<int> DevicesListAsync(List<string> positional, IAccountStore accounts, TextWriter stdout, TextWriter stderr)
    {
        if (positional.Count != 2)
        {
            return UsageError(stderr, "usage: devices list");
        }

        var devices = await accounts.ListDevicesAsync(null);
        stdout.WriteLine($"{"DEVICE",-24} {"OWNER",-16} {"MAX_DURATION",12}  ZONES");
        foreach (var device in devices)
        {
            stdout.WriteLine($"{device.DeviceId,-24} {device.Owner,-16} {device.MaxDurationSeconds,12}  {string.Join(",", device.Zones)}");
        }

        stdout.WriteLine($"{devices.Count} device(s)");
        return 0;
    }

    // Who the audit trail names for a change made on the command line.
    private const string CliActor = "cli";

    private static async Task<int> OneIdAsync(List<string> positional, TextWriter stderr, string usage, Func<string, Task<int>> run) =>
        positional.Count == 3 ? await run(positional[2]) : UsageError(stderr, "usage: " + usage);

    private static int Done(TextWriter stdout, TextWriter stderr, string? error, string message)
    {
        if (error is not null)
        {
            return Failure(stderr, error);
        }

        stdout.WriteLine(message);
        return 0;
    }

    // A new token goes on the last line of stdout, alone.
    private static int Token(TextWriter stdout, TextWriter stderr, ProvisioningOutcome outcome, string message)
    {
        if (!outcome.Ok)
        {
            return Failure(stderr, outcome.Error!);
        }

        stdout.WriteLine(message);
        stdout.WriteLine(outcome.Token);
        return 0;
    }

    private static string[] SplitZones(string? text, char separator) =>
        text is null ? [] : text.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static int Failure(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        return 1;
    }

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        stderr.WriteLine(Usage);
        return 2;
    }
}
