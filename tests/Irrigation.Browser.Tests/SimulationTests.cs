using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// Issue 8's end-to-end check: the demo's simulated controllers (the real shared core over real WebSockets) seen
    /// only through the server's public interfaces.
    /// </summary>
    [Collection(BrowserCollection.Name)]
    public sealed class SimulationTests(BrowserFixture browser, SimulatedFarmFixture farm) : IClassFixture<SimulatedFarmFixture>
    {
        private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

        [Fact]
        public void Simulate_Start_PrintsDashboardLinkWithDemoToken()
        {
            Assert.Equal(farm.Server.BaseUri.Port, farm.DashboardLink.Port);
            Assert.Equal("/", farm.DashboardLink.AbsolutePath);
            Assert.True(farm.DemoToken.Length >= 32, farm.DemoToken);
        }

        [Fact]
        public async Task Simulate_Running_ReadingsStoredAndStreamedForEveryController()
        {
            using var http = Client();
            foreach (var device in new[] { "sim-01", "sim-02" })
            {
                long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                await Eventually(async () =>
                {
                    var body = JsonNode.Parse(await http.GetStringAsync($"/api/devices/{device}/readings?kind=temperature&from={now - 3600}&to={now + 3600}&points=10"))!;
                    return body["buckets"]!.AsArray().Sum(b => (int)b!["count"]!) >= 3;
                }, $"{device}: three stored temperature readings");
            }

            await Eventually(() => Task.FromResult(farm.Frames.Count(f => (string?)f["event"] == "temperature" && (string?)f["device"] == "sim-02") >= 2), "temperatures streamed to the dashboard");
            var reading = farm.Frames.First(f => (string?)f["event"] == "temperature");
            Assert.InRange((int)reading["data"]!["record"]!, -400, 800);
        }

        [Fact]
        public async Task Simulate_DrySoil_StartsIrrigationThenWetSoilStopsIt()
        {
            using var http = Client();
            JsonNode? started = null;
            JsonNode? stopped = null;
            await Eventually(async () =>
            {
                var events = JsonNode.Parse(await http.GetStringAsync("/api/devices/sim-01/events?kind=irrigation&limit=200"))!["events"]!.AsArray()
                    .OrderBy(e => (long)e!["seq"]!).ToList();
                started = events.FirstOrDefault(e => (string?)e!["event"] == "irrigation_started" && (string?)e["data"]!["reason"] == "soil_dry");
                stopped = started is null ? null : events.FirstOrDefault(e =>
                    (string?)e!["event"] == "irrigation_stopped" && (string?)e["data"]!["reason"] == "soil_wet" && (long)e["seq"]! > (long)started["seq"]!);
                return stopped is not null;
            }, "a soil_dry start followed by a soil_wet stop on sim-01");

            var zone = (string?)started!["data"]!["zones"]![0];
            Assert.Equal(zone, (string?)stopped!["data"]!["zones"]![0]);
            Assert.InRange((long)started["data"]!["duration"]!, 1, 1800);
            Assert.True((long)stopped["data"]!["time"]! >= (long)started["data"]!["time"]!);
        }

        [Fact]
        public async Task Simulate_LinkDrops_NoStoredReadingMissing()
        {
            // Link drops are random (6 a minute per controller): wait for two, and for each to be followed by a reconnect.
            await Eventually(() => Task.FromResult(
                farm.Server.OutputLines.Count(l => l.Contains("link dropped", StringComparison.Ordinal)) >= 2 &&
                farm.Server.OutputLines.SkipWhile(l => !l.Contains("link dropped", StringComparison.Ordinal)).Any(l => l.Contains("reconnected", StringComparison.Ordinal))),
                "two simulated link drops and a reconnect");
            await Task.Delay(TimeSpan.FromSeconds(5)); // let the replays after the last drop arrive

            foreach (var device in new[] { "sim-01", "sim-02" })
            {
                // Dashboards get each stored event once, in commit order, and a boot's commits follow its seq: so from
                // the first event this dashboard saw, every seq up to the newest must be there, drops or not.
                var seqs = farm.Frames.Where(f => (string?)f["device"] == device && f["seq"] is not null).Select(f => (long)f["seq"]!).ToList();
                Assert.True(seqs.Count >= 10, $"{device}: only {seqs.Count} events streamed");
                long first = seqs[0];
                var missing = Enumerable.Range((int)first, (int)(seqs.Max() - first + 1)).Select(i => (long)i).Except(seqs).ToList();
                Assert.True(missing.Count == 0, $"{device}: seqs missing after link drops: {string.Join(",", missing)}");
                Assert.Equal(seqs.Count, seqs.Distinct().Count());
            }

            var statuses = farm.Frames.Where(f => (string?)f["event"] == "status").ToList();
            Assert.All(statuses, s => Assert.Equal(0, (int)s["data"]!["dropped"]!));
        }

        [Fact]
        public async Task Simulate_Dashboard_ShowsLiveSimulatedControllers()
        {
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.DemoToken, "simulated-farm");

            foreach (var device in new[] { "sim-01", "sim-02" })
            {
                await Expect(page.Card(device)).ToBeVisibleAsync();
                await Expect(page.TileValue(device, "temperature")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^-?\d+\.\d$"), new() { Timeout = 20000 });
                await Expect(page.TileValue(device, "soil_moisture")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+\.\d$"), new() { Timeout = 20000 });
            }

            await Expect(page.Cards).ToHaveCountAsync(2);
            page.AssertNoScriptErrors();
        }

        private HttpClient Client()
        {
            var http = new HttpClient { BaseAddress = farm.Server.BaseUri };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", farm.DemoToken);
            return http;
        }

        private static async Task Eventually(Func<Task<bool>> condition, string what)
        {
            var deadline = DateTime.UtcNow + Patience;
            while (DateTime.UtcNow < deadline)
            {
                if (await condition())
                {
                    return;
                }

                await Task.Delay(250);
            }

            Assert.Fail("timed out waiting for " + what);
        }
    }
}
