using System.Diagnostics;
using System.Text;

namespace Irrigation.Benchmarks.Harness;

/// <summary>
/// What a scenario runs against: the product (Irrigation.Server, provisioned through its own CLI, in a fresh data
/// dir) or the yardstick (this program's minimal relay, no auth or storage). Tokens come back for the clients.
/// </summary>
public sealed class Target : IAsyncDisposable
{
    /// <summary>The user all benchmark devices belong to.</summary>
    public const string User = "bench";

    private readonly string? _dataDir;

    private Target(ServerProcess server, string label, string userToken, string[] deviceTokens, string? dataDir)
    {
        Server = server;
        Label = label;
        UserToken = userToken;
        DeviceTokens = deviceTokens;
        _dataDir = dataDir;
    }

    /// <summary>The running server.</summary>
    public ServerProcess Server { get; }

    /// <summary>"product FULL", "product NORMAL" or "yardstick".</summary>
    public string Label { get; }

    /// <summary>The dashboard user's token.</summary>
    public string UserToken { get; }

    /// <summary>Token of device b-NNNNN at index NNNNN.</summary>
    public string[] DeviceTokens { get; }

    /// <summary>ws://HOST/clients/bench?access_token=…</summary>
    public Uri DashboardUri => new($"ws://{Server.Http.Authority}/clients/{User}?access_token={Uri.EscapeDataString(UserToken)}");

    /// <summary>
    /// Provisions a user and <paramref name="devices"/> devices with the server's CLI in a new data dir, then starts
    /// the server with synchronous=<paramref name="synchronous"/> and the given extra configuration.
    /// </summary>
    public static async Task<Target> StartProductAsync(BenchSettings settings, int devices, string synchronous, params string[] extra)
    {
        var dll = settings.ServerDll;
        var dir = Path.Combine(settings.DataRoot, $"irrigation-bench-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(dir);
        var userToken = LastLine(await RunCliAsync(dll, dir, "users", "add", User, "--data-dir", dir));
        var csv = Path.Combine(dir, "devices.csv");
        var lines = new StringBuilder();
        for (var i = 0; i < devices; i++)
        {
            lines.Append(Clients.Frames.DeviceId(i)).Append(',').Append(User).Append(",zone1\n");
        }

        await File.WriteAllTextAsync(csv, lines.ToString());
        var tokens = new string[devices];
        foreach (var line in (await RunCliAsync(dll, dir, "devices", "import", csv, "--data-dir", dir)).Split('\n'))
        {
            var parts = line.Trim().Split(',');
            if (parts.Length == 2 && parts[0].StartsWith("b-", StringComparison.Ordinal) && int.TryParse(parts[0][2..], out var index) && index < devices)
            {
                tokens[index] = parts[1];
            }
        }

        if (tokens.Any(t => t is null))
        {
            throw new InvalidOperationException("devices import did not print a token for every device");
        }

        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0", "--data-dir", dir,
            "--Storage:Synchronous=" + synchronous,
            // One log line per connection is the product's default; at thousands of connections it would measure
            // the console, not the relay. Warnings (rejected frames, drops) still print.
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Information",
        };
        args.AddRange(extra);
        var server = await ServerProcess.StartAsync(dll, args, Path.GetDirectoryName(dll)!);
        return new Target(server, "product " + synchronous, userToken, tokens, dir);
    }

    /// <summary>Starts this program's yardstick relay as a child process (tokens are ignored by it).</summary>
    public static async Task<Target> StartYardstickAsync(int devices)
    {
        var self = typeof(Target).Assembly.Location;
        var server = await ServerProcess.StartAsync(self, ["yardstick-serve"], Path.GetDirectoryName(self)!);
        return new Target(server, "yardstick", "none", Enumerable.Repeat("none", devices).ToArray(), null);
    }

    private static async Task<string> RunCliAsync(string dll, string dir, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"server CLI {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}");
        }

        return await stdout;
    }

    private static string LastLine(string text) => text.Trim().Split('\n')[^1].Trim();

    /// <summary>Stops the server and deletes the data dir.</summary>
    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        if (_dataDir is not null)
        {
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
