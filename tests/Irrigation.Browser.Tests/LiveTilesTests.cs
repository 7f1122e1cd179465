using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    [Collection(BrowserCollection.Name)]
    public sealed class LiveTilesTests(BrowserFixture browser, FarmFixture farm) : IClassFixture<FarmFixture>
    {
        [Fact]
        public async Task Temperature_SentByController_AppearsWithinOneSecondInCelsius()
        {
            await using var controller = await farm.ConnectAsync("farm-01");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "live-temperature");
            await Expect(page.Card("farm-01")).ToHaveAttributeAsync("data-online", "true");

            await controller.SendReadingAsync("temperature", 223);

            // The acceptance criterion itself: on the page within 1 s of the controller sending it.
            await Expect(page.TileValue("farm-01", "temperature")).ToHaveTextAsync("22.3", new() { Timeout = 1000 });
            await Expect(page.TileUnit("farm-01", "temperature")).ToHaveTextAsync("°C");
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task Readings_InTenths_ShownWithOneDecimalInTheirUnits()
        {
            await using var controller = await farm.ConnectAsync("farm-02");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "live-tiles");

            await controller.SendReadingAsync("temperature", -35);
            await controller.SendReadingAsync("humidity", 456);
            await controller.SendReadingAsync("soil_moisture", 1000);

            await Expect(page.TileValue("farm-02", "temperature")).ToHaveTextAsync("-3.5");
            await Expect(page.TileValue("farm-02", "humidity")).ToHaveTextAsync("45.6");
            await Expect(page.TileUnit("farm-02", "humidity")).ToHaveTextAsync("%RH");
            await Expect(page.TileValue("farm-02", "soil_moisture")).ToHaveTextAsync("100.0");
            await Expect(page.TileUnit("farm-02", "soil_moisture")).ToHaveTextAsync("%");
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task Tiles_KindsTheServerLists_OneTileEachInItsUnit_FlowLiveOrStill()
        {
            await using var controller = await farm.ConnectAsync("bob-01");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.BobToken, "live-kinds");
            // The page knows the kinds only from GET /api/reading-kinds: one more row there is one more tile.
            await page.Page.RouteAsync("**/api/reading-kinds", async route =>
            {
                var response = await route.FetchAsync();
                var table = JsonNode.Parse(await response.TextAsync())!;
                table["kinds"]!.AsArray().Add(new JsonObject
                {
                    ["name"] = "leaf_wetness", ["code"] = 99, ["field"] = "record", ["unit"] = "%", ["scale"] = 10, ["min"] = 0, ["max"] = 1000,
                    ["telemetry"] = true, ["zone"] = false, ["raw"] = false,
                });
                await route.FulfillAsync(new() { Response = response, Body = table.ToJsonString() });
            });
            await page.Page.ReloadAsync();
            await Expect(page.Connection).ToHaveAttributeAsync("data-state", "live");

            var extra = page.Card("bob-01").GetByTestId("tile-leaf_wetness");
            await Expect(extra).ToHaveAttributeAsync("aria-label", "Leaf wetness");
            await Expect(extra.GetByTestId("unit")).ToHaveTextAsync("%");
            await Expect(extra.GetByTestId("tile-sub")).ToHaveTextAsync("no reading yet");

            // Flow is reported every 10 s while water flows: one from a minute ago says the line is still now.
            await controller.SendAsync("flow", new JsonObject { ["rate"] = 184, ["zone"] = "zone1" }, controller.ServerTime - 60);
            var flow = page.Card("bob-01").GetByTestId("tile-flow");
            await Expect(flow.GetByTestId("value")).ToHaveTextAsync("0.0");
            await Expect(flow.GetByTestId("tile-sub")).ToContainTextAsync("none now · last at");
            await controller.SendAsync("flow", new JsonObject { ["rate"] = 184, ["zone"] = "zone1" });

            await Expect(flow.GetByTestId("value")).ToHaveTextAsync("18.4");
            await Expect(flow.GetByTestId("unit")).ToHaveTextAsync("L/min");
            await Expect(flow.GetByTestId("tile-sub")).ToContainTextAsync("zone1 · at");
            var chart = page.Card("bob-01").GetByTestId("chart");
            await chart.GetByTestId("kind-flow").ClickAsync();
            await Expect(chart).ToHaveAttributeAsync("data-points", "2");
            await Expect(chart).ToHaveAttributeAsync("data-last", "18.4");
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task Status_FromController_ShowsSignalUptimeBufferedDropped()
        {
            await using var controller = await farm.ConnectAsync("greenhouse");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "live-status");

            await controller.SendAsync("status", new JsonObject
            {
                ["uptime"] = 7260, ["free_heap"] = 81234, ["rssi"] = -67, ["open_zones"] = new System.Text.Json.Nodes.JsonArray(),
                ["buffered"] = 3, ["dropped"] = 1,
            });

            var card = page.Card("greenhouse");
            await Expect(card.GetByTestId("status-rssi")).ToHaveTextAsync("-67 dBm");
            await Expect(card.GetByTestId("status-uptime")).ToHaveTextAsync("2 h 1 min");
            await Expect(card.GetByTestId("status-buffered")).ToHaveTextAsync("3");
            await Expect(card.GetByTestId("status-dropped")).ToHaveTextAsync("1");
        }

        [Fact]
        public async Task StaleBadge_NewestReadingOlderThanThreeIntervals_ShownUntilFreshData()
        {
            // greenhouse gets no reading in the other tests of this class (status is not a reading).
            await using var controller = await farm.ConnectAsync("greenhouse");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "live-stale");
            var stale = page.Card("greenhouse").GetByTestId("stale-badge");
            await Expect(stale).ToBeHiddenAsync();

            await controller.SendReadingAsync("temperature", 180, controller.ServerTime - 400);

            await Expect(stale).ToBeVisibleAsync();
            await Expect(page.Card("greenhouse").GetByTestId("online-badge")).ToHaveTextAsync("Online");

            await controller.SendReadingAsync("temperature", 181);

            await Expect(stale).ToBeHiddenAsync();
        }

        [Fact]
        public async Task Status_SentBeforeThePageOpened_ShownFromStoredHistory()
        {
            await using var controller = await farm.ConnectAsync("farm-02");
            await controller.SendAsync("status", new JsonObject
            {
                ["uptime"] = 59, ["free_heap"] = 90000, ["rssi"] = -72, ["open_zones"] = new System.Text.Json.Nodes.JsonArray(),
                ["buffered"] = 0, ["dropped"] = 0,
            });

            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "live-status-stored");

            await Expect(page.Card("farm-02").GetByTestId("status-rssi")).ToHaveTextAsync("-72 dBm");
            await Expect(page.Card("farm-02").GetByTestId("status-uptime")).ToHaveTextAsync("59 s");
        }
    }
}
