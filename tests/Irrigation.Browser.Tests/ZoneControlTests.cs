using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    [Collection(BrowserCollection.Name)]
    public sealed class ZoneControlTests(BrowserFixture browser, FarmFixture farm) : IClassFixture<FarmFixture>
    {
        [Fact]
        public async Task StartZone_FiveMinutes_ControllerGetsIrrigate300AndZoneOpensThenStops()
        {
            await using var controller = await farm.ConnectAsync("farm-01");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "zone-start-stop");
            var zone = page.Zone("farm-01", "zone1");
            await Expect(zone).ToHaveAttributeAsync("data-open", "false");

            await page.StartZoneAsync("farm-01", "zone1", "5");

            var irrigate = await controller.NextCommandAsync("irrigate");
            Assert.Equal(300, (int)irrigate["data"]!["duration"]!);
            Assert.Equal(["zone1"], irrigate["data"]!["zones"]!.AsArray().Select(z => (string)z!));
            await controller.AnswerAsync(irrigate);
            await Expect(zone).ToHaveAttributeAsync("data-open", "true");
            await Expect(zone.GetByTestId("zone-state")).ToContainTextAsync("left");
            await Expect(page.Zone("farm-01", "zone2")).ToHaveAttributeAsync("data-open", "false");
            await Expect(page.Card("farm-01").GetByTestId("command-status")).ToContainTextAsync("confirmed");

            await page.StopZoneAsync("farm-01", "zone1");

            var stop = await controller.NextCommandAsync("stop");
            Assert.Equal(["zone1"], stop["data"]!["zones"]!.AsArray().Select(z => (string)z!));
            await controller.AnswerAsync(stop);
            await Expect(zone).ToHaveAttributeAsync("data-open", "false");
            await Expect(zone.GetByTestId("zone-state")).ToHaveTextAsync("Closed");
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task StopAll_Clicked_ControllerGetsStopWithNoZones()
        {
            await using var controller = await farm.ConnectAsync("greenhouse");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "zone-stop-all");
            await controller.SendAsync("irrigation_started", new JsonObject { ["zones"] = new JsonArray("bed-a", "bed-c"), ["reason"] = "schedule", ["duration"] = 900 });
            await Expect(page.Zone("greenhouse", "bed-c")).ToHaveAttributeAsync("data-open", "true");

            await page.Card("greenhouse").GetByRole(AriaRole.Button, new() { Name = "Stop all zones of greenhouse" }).ClickAsync();

            var stop = await controller.NextCommandAsync("stop");
            Assert.Empty(stop["data"]!["zones"]!.AsArray());
            await controller.AnswerAsync(stop);
            await Expect(page.Zone("greenhouse", "bed-a")).ToHaveAttributeAsync("data-open", "false");
            await Expect(page.Zone("greenhouse", "bed-c")).ToHaveAttributeAsync("data-open", "false");
        }

        [Fact]
        public async Task StartZone_ControllerRefuses_ShowsItsReason()
        {
            await using var controller = await farm.ConnectAsync("farm-02");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "zone-refused");

            await page.StartZoneAsync("farm-02", "zone1", "2");
            var irrigate = await controller.NextCommandAsync("irrigate");
            await controller.AnswerAsync(irrigate, ok: false, error: "valve_fault");

            var status = page.Card("farm-02").GetByTestId("command-status");
            await Expect(status).ToHaveAttributeAsync("data-kind", "error");
            await Expect(status).ToContainTextAsync("valve fault");
            await Expect(page.Zone("farm-02", "zone1")).ToHaveAttributeAsync("data-open", "false");
        }

        [Fact]
        public async Task StartZone_DurationAboveMaximum_ShowsServerRefusalInPlainWords()
        {
            await using var controller = await farm.ConnectAsync("farm-01");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "zone-bad-duration");

            await page.StartZoneAsync("farm-01", "zone2", "100000");

            var status = page.Card("farm-01").GetByTestId("command-status");
            await Expect(status).ToHaveAttributeAsync("data-kind", "error");
            await Expect(status).ToContainTextAsync("The server refused the request");
        }

        [Fact]
        public async Task StartZone_DeviceOffline_SaysNothingWasSent()
        {
            // No controller for farm-02 in this test: the server answers 409 and the page must say so.
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "zone-offline");
            await Expect(page.Card("farm-02")).ToHaveAttributeAsync("data-online", "false");

            await page.StartZoneAsync("farm-02", "zone1", "5");

            var status = page.Card("farm-02").GetByTestId("command-status");
            await Expect(status).ToHaveAttributeAsync("data-kind", "error");
            await Expect(status).ToContainTextAsync("farm-02 is offline, so nothing was sent");
        }

        [Fact]
        public async Task StartZone_NotAWholeNumber_AsksForMinutesWithoutSending()
        {
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "zone-bad-input");

            await page.StartZoneAsync("farm-01", "zone1", "0");

            await Expect(page.Card("farm-01").GetByTestId("command-status")).ToContainTextAsync("whole number of minutes");
        }
    }
}
