namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// How the browser tests start the server: as a process on 127.0.0.1 with a temp data dir (deleted afterwards),
    /// in Development, with the content root in the project folder as with `dotnet run`, so the dashboard comes from
    /// its wwwroot.
    /// </summary>
    public static class BrowserServer
    {
        /// <summary>A fresh, empty data dir.</summary>
        public static string NewDataDir()
        {
            var dir = Path.Combine(Path.GetTempPath(), "irrigation-browser-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(dir);
            return dir;
        }

        /// <summary>Starts the server on <paramref name="dataDir"/> and waits until it listens.</summary>
        public static Task<ServerProcess> StartAsync(string dataDir, params string[] arguments) => ServerProcess.StartAsync(new ServerLaunch
        {
            DataDir = dataDir,
            Arguments = arguments,
            WorkingDirectory = RepoPaths.Combine("server", "Irrigation.Server"),
            Environment = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Development" },
            DeleteDataDir = true,
        });
    }
}
