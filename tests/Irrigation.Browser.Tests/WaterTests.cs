using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// Issue 19 in Chromium on a simulated farm (the real core measuring the simulated water through its flow meter):
    /// a run started by volume from the card, its litres on the water chart and in the recent runs; and a slow leak
    /// that ends in a leak alarm and a leak lock, with the banner that explains it, its "clear" button for the owner
    /// and none for a viewer.
    /// </summary>
    [Collection(BrowserCollection.Name)]
    public sealed class WaterTests(BrowserFixture browser, WaterFarmFixture farm) : IClassFixture<WaterFarmFixture>
    {
        private static readonly LocatorAssertionsToHaveAttributeOptions Run = new() { Timeout = 60000 };

        [Fact]
        public async Task WaterChart_RunByVolumeFromTheCard_ShowsItsLitres()
        {
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.DemoToken, "water-chart");
            var card = page.Card("sim-01");
            var zone2 = page.Zone("sim-01", "zone2");

            await zone2.GetByRole(AriaRole.Combobox, new() { Name = "Water zone2 by" }).SelectOptionAsync("L");
            await zone2.GetByLabel("Litres for zone2").FillAsync("6.5");
            await zone2.GetByRole(AriaRole.Button, new() { Name = "Start zone2" }).ClickAsync();

            await Expect(card.GetByTestId("command-status")).ToContainTextAsync("sim-01 confirmed “start zone2 for 6.5 L”", new() { Timeout = 30000 });
            await Expect(zone2).ToHaveAttributeAsync("data-open", "true");
            // The meter's flow, live while the zone waters (the controller reports it every 10 s).
            await Expect(page.TileValue("sim-01", "flow")).ToHaveTextAsync(new Regex(@"^[1-9]\d*\.\d$"), new() { Timeout = 30000 });
            await Expect(page.TileUnit("sim-01", "flow")).ToHaveTextAsync("L/min");
            await Expect(zone2).ToHaveAttributeAsync("data-open", "false", Run);

            // The run stopped at its volume; its litres are in the recent runs and in zone2's bar of today.
            var stop = await StoppedAsync("sim-01", "zone2", "completed");
            long litres = (long)stop["litres"]!;
            Assert.InRange(litres, 65, 66);
            var run = card.Locator($"[data-testid='run'][data-zone='zone2'][data-litres='{litres}']");
            await Expect(run).ToContainTextAsync($"{litres / 10}.{litres % 10} L");
            await Expect(run).ToContainTextAsync("ran its course");
            var water = card.GetByTestId("water");
            await Expect(water).ToHaveAttributeAsync("data-bucket", "day");
            await Expect(water.Locator("canvas").First).ToBeVisibleAsync();
            var zone2Total = water.Locator("[data-testid='water-zone'][data-zone='zone2']");
            // The ledger's zone2 total over the chart's days is every measured zone2 run stored (the soil rule may add one).
            await Eventually(async () => await zone2Total.GetAttributeAsync("data-litres") == (await StoredLitresAsync("sim-01", "zone2")).ToString(), "zone2's total on the chart equals its stored runs");
            Assert.True(long.Parse((await zone2Total.GetAttributeAsync("data-litres"))!) >= litres);
            await Expect(card.GetByTestId("water-caption")).ToContainTextAsync("Per day, last 14 days: zone1 ");

            await water.GetByTestId("water-week").ClickAsync();

            await Expect(water).ToHaveAttributeAsync("data-bucket", "week");
            await Expect(water).ToHaveAttributeAsync("data-buckets", "12");
            await Expect(zone2Total).ToHaveAttributeAsync("data-litres", (await StoredLitresAsync("sim-01", "zone2")).ToString());
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task LeakLock_SlowLeakAfterARun_AlertAndBannerUntilTheOwnerClearsIt_ViewerGetsNoButton()
        {
            var viewerToken = await farm.Server.AddUserAsync("vera");
            using (var api = farm.Api())
            {
                var share = await api.PutAsJsonAsync("/api/devices/sim-02/members/vera", new { role = "viewer" });
                Assert.Equal(HttpStatusCode.OK, share.StatusCode);
            }

            await using var owner = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.DemoToken, "leak-owner");
            var card = owner.Card("sim-02");
            var banner = card.GetByTestId("leak-lock");
            await Expect(banner).ToBeHiddenAsync();

            // A run puts the line under pressure; the master valve stays open a minute after it, and the leak behind it
            // flows with every zone closed: after flow_settle and leak_delay the controller locks the master valve.
            await owner.StartZoneAsync("sim-02", "zone1", "1");
            await Expect(card.GetByTestId("command-status")).ToContainTextAsync("sim-02 confirmed “start zone1 for 1 min”", new() { Timeout = 30000 });
            await Expect(banner).ToBeVisibleAsync(new() { Timeout = 150000 });

            await Expect(banner).ToContainTextAsync("Water was flowing with every valve closed (");
            await Expect(banner).ToContainTextAsync("no zone waters, not even Start, until the lock is cleared. Check for a leak first");
            var alert = owner.Page.Locator("[data-testid='alert'][data-kind='flow_alert'][data-alarm='leak'][data-device='sim-02']");
            await Expect(alert).ToContainTextAsync("Water is flowing with every valve closed");
            await Expect(alert.GetByTestId("alert-advice")).ToHaveTextAsync(
                "Find the leak first (a valve that does not close, a broken pipe behind the master valve), then clear the lock on the card.");
            await Expect(card.GetByTestId("skip-reason")).ToHaveAttributeAsync("data-reason", "leak_lock");

            await using (var viewer = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, viewerToken, "leak-viewer"))
            {
                var viewersBanner = viewer.Card("sim-02").GetByTestId("leak-lock");
                await Expect(viewersBanner).ToBeVisibleAsync();
                await Expect(viewersBanner.GetByTestId("clear-leak")).ToBeHiddenAsync();
                await Expect(viewersBanner.GetByTestId("leak-lock-reason")).ToHaveTextAsync("Only the owner or an operator of sim-02 can clear the lock.");
                await Expect(viewersBanner.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
                viewer.AssertNoScriptErrors();
            }

            await banner.GetByRole(AriaRole.Button, new() { Name = "Clear the leak lock of sim-02" }).ClickAsync();

            // The banner goes with the controller's answer, not with the server's 202.
            await Expect(card.GetByTestId("leak-status")).ToHaveTextAsync("sim-02 confirmed “clear the leak lock”.", new() { Timeout = 30000 });
            await Expect(banner).ToBeHiddenAsync();
            // The controller got the clear: its core let go of the lock (the simulator logs what the core did).
            await Eventually(() => Task.FromResult(farm.Server.OutputLines.Any(l => l.StartsWith("sim-02   leak lock cleared", StringComparison.Ordinal))), "sim-02 logging its leak lock cleared");
            using var check = farm.Api();
            var devices = JsonNode.Parse(await check.GetStringAsync("/api/devices"))!["devices"]!.AsArray();
            Assert.False((bool)devices.Single(d => (string?)d!["device"] == "sim-02")!["leak_locked"]!);
            var audit = JsonNode.Parse(await check.GetStringAsync("/api/devices/sim-02/audit?limit=5"))!.AsArray();
            Assert.Contains(audit, a => (string?)a!["action"] == "clear_leak" && (string?)a["user"] == "demo");
            owner.AssertNoScriptErrors();
        }

        // The newest stored irrigation_stopped of a zone with that reason (waits for it: the page can be quicker than storage).
        private async Task<JsonNode> StoppedAsync(string device, string zone, string reason)
        {
            JsonNode? found = null;
            await Eventually(async () =>
            {
                found = (await StopsAsync(device)).LastOrDefault(e => (string?)e["data"]!["zones"]![0] == zone && (string?)e["data"]!["reason"] == reason);
                return found is not null;
            }, $"{device}: an irrigation_stopped of {zone} ({reason})");
            return found!["data"]!;
        }

        // Every stored litres of a zone's stops in the chart's 14 days: what the ledger must sum to.
        private async Task<long> StoredLitresAsync(string device, string zone) =>
            (await StopsAsync(device)).Where(e => (string?)e["data"]!["zones"]![0] == zone && e["data"]!["litres"] is not null).Sum(e => (long)e["data"]!["litres"]!);

        private async Task<List<JsonNode>> StopsAsync(string device)
        {
            using var api = farm.Api();
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var body = JsonNode.Parse(await api.GetStringAsync($"/api/devices/{device}/events?kind=irrigation&from={now - 86400}&to={now + 60}&limit=500"))!;
            return body["events"]!.AsArray().Select(e => e!).Where(e => (string?)e["event"] == "irrigation_stopped").OrderBy(e => (long)e["time"]!).ToList();
        }

        private static async Task Eventually(Func<Task<bool>> condition, string what)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                if (await condition()) return;
                await Task.Delay(250);
            }

            Assert.Fail("timed out waiting for " + what);
        }
    }
}
