using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    [Collection(BrowserCollection.Name)]
    public sealed class ConnectionTests(BrowserFixture browser, FarmFixture farm) : IClassFixture<FarmFixture>
    {
        [Fact]
        public async Task ControllerDisconnect_ShowsOffline_ReconnectShowsOnlineWithoutReload()
        {
            var controller = await farm.ConnectAsync("farm-01");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "device-offline-online");
            var card = page.Card("farm-01");
            await Expect(card.GetByTestId("online-badge")).ToHaveTextAsync("Online");
            await page.Page.EvaluateAsync("() => { window.__sameDocument = true; }");

            await controller.DisposeAsync();

            await Expect(card.GetByTestId("online-badge")).ToHaveTextAsync("Offline");
            await Expect(card).ToHaveAttributeAsync("data-online", "false");
            await Expect(page.Page.Locator("[data-testid='alert'][data-kind='device_offline'][data-device='farm-01']")).ToHaveCountAsync(1);

            await using var again = await farm.ConnectAsync("farm-01");

            await Expect(card.GetByTestId("online-badge")).ToHaveTextAsync("Online");
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");
        }

        [Fact]
        public async Task Alerts_SensorAndFailsafe_ListedWithTheDevice()
        {
            await using var controller = await farm.ConnectAsync("greenhouse");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "alerts");

            await controller.SendAsync("sensor_disconnected", new JsonObject { ["sensor"] = "humidity" });
            await controller.SendAsync("irrigation_started", new JsonObject { ["zones"] = new JsonArray("bed-b"), ["reason"] = "schedule", ["duration"] = 600 });
            await controller.SendAsync("irrigation_stopped", new JsonObject { ["zones"] = new JsonArray("bed-b"), ["reason"] = "failsafe" });
            await controller.SendAsync("sensor_reconnected", new JsonObject { ["sensor"] = "humidity" });

            var alerts = page.Page.GetByTestId("alerts");
            await Expect(alerts.Locator("[data-kind='sensor_disconnected']")).ToContainTextAsync("Humidity sensor disconnected");
            await Expect(alerts.Locator("[data-kind='failsafe']")).ToContainTextAsync("bed-b");
            await Expect(alerts.Locator("[data-kind='sensor_reconnected']")).ToContainTextAsync("greenhouse");
            await Expect(page.Zone("greenhouse", "bed-b")).ToHaveAttributeAsync("data-open", "false");
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task Alerts_FlowAlarms_SayWhatHappenedAndWhatToDo()
        {
            // bob's own device: the alerts of this test are on bob's page only, never among alice's of the other tests.
            await using var controller = await farm.ConnectAsync("bob-01");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.BobToken, "alerts-flow");

            await controller.SendAsync("flow_alert", new JsonObject { ["zone"] = "zone1", ["kind"] = "high", ["expected"] = 180, ["measured"] = 545 });
            await controller.SendAsync("irrigation_stopped", new JsonObject { ["zones"] = new JsonArray("zone1"), ["reason"] = "failsafe", ["litres"] = 123 });
            await controller.SendAsync("flow_alert", new JsonObject { ["zone"] = "zone1", ["kind"] = "low", ["expected"] = 180, ["measured"] = 60 });
            await controller.SendAsync("flow_alert", new JsonObject { ["zone"] = "zone1", ["kind"] = "none", ["expected"] = 180, ["measured"] = 0 });
            await controller.SendAsync("sensor_disconnected", new JsonObject { ["sensor"] = "flow" });

            var alerts = page.Page.GetByTestId("alerts");
            var high = alerts.Locator("[data-kind='flow_alert'][data-alarm='high']");
            await Expect(high.Locator(".alert-text")).ToHaveTextAsync("zone1 used 3× its usual flow (54.5 L/min, usually 18.0 L/min): the controller stopped it");
            await Expect(high.GetByTestId("alert-advice")).ToHaveTextAsync("Check for a broken pipe or a missing sprinkler head before watering it again.");
            await Expect(alerts.Locator("[data-kind='failsafe']")).ToContainTextAsync("Failsafe stopped zone1 after 12.3 L");
            await Expect(alerts.Locator("[data-kind='flow_alert'][data-alarm='low'] .alert-text")).ToHaveTextAsync(
                "zone1 got a third of its usual flow (6.0 L/min, usually 18.0 L/min); it keeps watering");
            var none = alerts.Locator("[data-kind='flow_alert'][data-alarm='none']");
            await Expect(none.Locator(".alert-text")).ToHaveTextAsync("No water reached zone1: the controller stopped it");
            await Expect(none.GetByTestId("alert-advice")).ToHaveTextAsync("Check its valve (wiring, solenoid) and that the water supply is open.");
            await Expect(alerts.Locator("[data-kind='sensor_disconnected']")).ToContainTextAsync("The flow meter gives no pulses: volumes are unknown and runs go by time");
            // The recent runs list the failsafe stop with its volume; no leak lock came of any of it.
            await Expect(page.Card("bob-01").Locator("[data-testid='run'][data-zone='zone1']")).ToContainTextAsync("12.3 L");
            await Expect(page.Card("bob-01").GetByTestId("leak-lock")).ToBeHiddenAsync();
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task SensorDisconnected_MarksItsTile()
        {
            await using var controller = await farm.ConnectAsync("farm-02");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "sensor-tile");

            await controller.SendAsync("sensor_disconnected", new JsonObject { ["sensor"] = "temperature" });

            var tile = page.Card("farm-02").GetByTestId("tile-temperature");
            await Expect(tile.GetByTestId("tile-sub")).ToHaveTextAsync("sensor disconnected");
        }

        [Fact]
        public async Task SignIn_TokenInUrl_RemovedFromAddressBarAndKeptOnReload()
        {
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "signin-url");

            Assert.DoesNotContain("token", page.Page.Url, StringComparison.OrdinalIgnoreCase);
            await page.Page.ReloadAsync();
            await Expect(page.Connection).ToHaveAttributeAsync("data-state", "live");
            await Expect(page.Page.GetByTestId("signin")).ToBeHiddenAsync();
            await Expect(page.Card("farm-01")).ToBeVisibleAsync();
        }

        [Fact]
        public async Task SignIn_TypedToken_WrongThenRight()
        {
            await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = farm.Server.BaseUri.ToString() });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/");
            await Expect(page.GetByTestId("signin")).ToBeVisibleAsync();

            await page.GetByLabel("Access token").FillAsync("not-a-token");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByTestId("signin-error")).ToContainTextAsync("not accepted");
            Directory.CreateDirectory(DashboardPage.ScreenshotDir);
            await page.ScreenshotAsync(new() { Path = Path.Combine(DashboardPage.ScreenshotDir, "signin-error.png") });

            await page.GetByLabel("Access token").FillAsync(farm.BobToken);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Expect(page.GetByTestId("connection")).ToHaveAttributeAsync("data-state", "live");
            await Expect(page.Locator("[data-testid='device-card'][data-device='bob-01']")).ToBeVisibleAsync();
        }

        [Fact]
        public async Task ServerRestart_PageReconnectsWithBackoffAndResyncsWithoutReload()
        {
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "server-restart");
            // Every connection state the pill goes through, recorded in the page (transient states are too quick to poll).
            await page.Page.EvaluateAsync(@"() => {
                window.__sameDocument = true;
                window.__states = [];
                const pill = document.querySelector('[data-testid=connection]');
                new MutationObserver(() => window.__states.push(pill.dataset.state)).observe(pill, { attributes: true, attributeFilter: ['data-state'] });
            }");

            await farm.Server.RestartAsync();

            await Expect(page.Connection).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 30000 });
            var states = await page.Page.EvaluateAsync<string[]>("() => window.__states");
            Assert.Contains("waiting", states);
            await using var controller = await farm.ConnectAsync("farm-01");
            await controller.SendReadingAsync("temperature", 205);
            await Expect(page.TileValue("farm-01", "temperature")).ToHaveTextAsync("20.5");
            await Expect(page.Card("farm-01")).ToHaveAttributeAsync("data-online", "true");
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the page reloaded");
        }
    }
}
