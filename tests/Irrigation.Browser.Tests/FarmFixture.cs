namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// A fresh server per test class with one known world, provisioned through the server's command line before it
    /// starts: user alice owns farm-01 (zone1, zone2), farm-02 (zone1) and greenhouse (bed-a, bed-b, bed-c);
    /// user bob owns bob-01 (zone1).
    /// </summary>
    public sealed class FarmFixture : IAsyncLifetime
    {
        private readonly Dictionary<string, string> _deviceTokens = [];

        /// <summary>The running server.</summary>
        public ServerProcess Server { get; } = ServerProcess.Create();

        /// <summary>alice's user token.</summary>
        public string AliceToken { get; private set; } = "";

        /// <summary>bob's user token.</summary>
        public string BobToken { get; private set; } = "";

        /// <summary>Zones of each provisioned device.</summary>
        public static IReadOnlyDictionary<string, string[]> Zones { get; } = new Dictionary<string, string[]>
        {
            ["farm-01"] = ["zone1", "zone2"],
            ["farm-02"] = ["zone1"],
            ["greenhouse"] = ["bed-a", "bed-b", "bed-c"],
            ["bob-01"] = ["zone1"],
        };

        public async Task InitializeAsync()
        {
            AliceToken = await Server.AddUserAsync("alice");
            BobToken = await Server.AddUserAsync("bob");
            foreach (var (device, zones) in Zones)
            {
                _deviceTokens[device] = await Server.AddDeviceAsync(device, device.StartsWith("bob") ? "bob" : "alice", zones);
            }

            await Server.StartAsync();
        }

        /// <summary>A test controller for a provisioned device, said hello and welcomed.</summary>
        public Task<TestController> ConnectAsync(string device) =>
            TestController.ConnectAsync(Server.BaseUri, device, _deviceTokens[device], Zones[device]);

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
