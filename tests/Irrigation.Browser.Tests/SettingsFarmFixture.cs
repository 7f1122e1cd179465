namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// The real server with four simulated controllers (`--simulate 4`: the shared core over real WebSockets, each with
    /// two valves, two soil probes, a flow meter and a master valve), kept quiet so that settings and skipped runs are
    /// the only thing going on: no link drops, no sensor dropouts, no water faults, the soil rule resting 3 s. sim-02
    /// starts with the demo's 24 h rain delay. One controller per test, so the tests of a class never see each other's
    /// settings. Subclasses run another number of controllers, or add settings (e.g. water faults).
    /// </summary>
    public class SettingsFarmFixture : IAsyncLifetime
    {
        private const string LinkPrefix = "Dashboard: ";
        private readonly string _count;
        private readonly string[] _extra;

        public SettingsFarmFixture()
            : this(4)
        {
        }

        /// <param name="count">How many simulated controllers (sim-01 …).</param>
        /// <param name="extra">More server arguments, e.g. "--Simulation:WaterFaults", "sim-02=slow_leak".</param>
        protected SettingsFarmFixture(int count, params string[] extra)
        {
            _count = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
            _extra = extra;
        }

        public ServerProcess Server { get; } = ServerProcess.Create();

        /// <summary>The demo user's token, from the printed dashboard link.</summary>
        public string DemoToken { get; private set; } = "";

        public async Task InitializeAsync()
        {
            await Server.StartAsync(0, [
                "--simulate", _count,
                "--Simulation:ClimateIntervalSeconds", "2",
                "--Simulation:SoilRuleMinIntervalSeconds", "3",
                "--Simulation:LinkDropChancePerMinute", "0",
                "--Simulation:SensorDropoutChance", "0",
                "--Simulation:WaterFaultChancePerHour", "0",
                "--Simulation:Seed", "20261208",
                .. _extra]);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            string? link;
            while ((link = Server.OutputLines.FirstOrDefault(l => l.StartsWith(LinkPrefix, StringComparison.Ordinal))) is null)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException("no dashboard link printed:\n" + Server.Output);
                await Task.Delay(100);
            }

            var query = System.Web.HttpUtility.ParseQueryString(new Uri(link[LinkPrefix.Length..].Trim()).Query);
            DemoToken = query["token"] ?? throw new InvalidOperationException("the dashboard link carries no token: " + link);
        }

        /// <summary>REST as the demo user.</summary>
        public HttpClient Api() => UserApi.For(Server.BaseUri, DemoToken);

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }
}
