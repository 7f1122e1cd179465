using System.Diagnostics;

namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// The server's command line against a running server's data dir (e.g. `users rotate-token`), for the commands
    /// <see cref="ServerProcess"/> has no method for.
    /// </summary>
    public static class ServerCli
    {
        /// <summary>Runs `dotnet Irrigation.Server.dll ARGS --data-dir DIR`; returns the last line of stdout (a token).</summary>
        public static async Task<string> RunAsync(ServerProcess server, params string[] args)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { ServerProcess.ServerDll }.Concat(args).Concat(["--data-dir", server.DataDir]))
            {
                start.ArgumentList.Add(arg);
            }

            using var cli = Process.Start(start)!;
            var output = cli.StandardOutput.ReadToEndAsync();
            var errors = cli.StandardError.ReadToEndAsync();
            await cli.WaitForExitAsync();
            var last = (await output).TrimEnd().Split('\n')[^1].Trim();
            return cli.ExitCode == 0 && last.Length > 0
                ? last
                : throw new InvalidOperationException($"`{string.Join(' ', args)}` exited {cli.ExitCode}: {await output}{await errors}");
        }
    }
}
