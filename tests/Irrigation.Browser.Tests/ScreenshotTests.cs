using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    /// <summary>A realistic farm for the screenshots in artifacts/screenshots/ (desktop light and dark, phone).</summary>
    [Collection(BrowserCollection.Name)]
    public sealed class ScreenshotTests(BrowserFixture browser, FarmFixture farm) : IClassFixture<FarmFixture>
    {
        [Fact]
        public async Task Dashboard_LiveFarm_SavesScreenshots()
        {
            await using var farm01 = await farm.ConnectAsync("farm-01");
            await using var greenhouse = await farm.ConnectAsync("greenhouse");
            await SeedAsync(farm01, baseTemp: 214, baseHum: 552, soil: 384);
            await SeedAsync(greenhouse, baseTemp: 262, baseHum: 705, soil: 521);
            await farm01.SendAsync("status", Status(uptime: 93780, rssi: -61, dropped: 0));
            await greenhouse.SendAsync("status", Status(uptime: 5400, rssi: -78, dropped: 2));
            await farm01.SendAsync("irrigation_started", new JsonObject { ["zones"] = new JsonArray("zone1"), ["reason"] = "manual", ["duration"] = 600 });
            await greenhouse.SendAsync("irrigation_stopped", new JsonObject { ["zones"] = new JsonArray("bed-b"), ["reason"] = "failsafe" });
            await greenhouse.SendAsync("sensor_disconnected", new JsonObject { ["sensor"] = "humidity" });

            var shots = new List<string>();
            await using (var desktop = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "dashboard-desktop"))
            {
                await Expect(desktop.Card("farm-01").GetByTestId("chart")).ToHaveAttributeAsync("data-points", "12");
                await Expect(desktop.Zone("farm-01", "zone1")).ToHaveAttributeAsync("data-open", "true");
                shots.Add(await desktop.ScreenshotAsync());
                desktop.AssertNoScriptErrors();
            }

            await using (var dark = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "dashboard-dark", colorScheme: ColorScheme.Dark))
            {
                await Expect(dark.Card("greenhouse").GetByTestId("chart")).ToHaveAttributeAsync("data-points", "12");
                shots.Add(await dark.ScreenshotAsync());
            }

            await using (var phone = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "dashboard-phone", new ViewportSize { Width = 390, Height = 844 }))
            {
                await Expect(phone.Card("farm-01").GetByTestId("chart")).ToHaveAttributeAsync("data-points", "12");
                // Nothing may stick out sideways on a phone.
                Assert.True(await phone.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "horizontal scroll on a phone");
                shots.Add(await phone.ScreenshotAsync());
                shots.Add(await phone.ScreenshotAsync("dashboard-phone-top", fullPage: false));
            }

            Assert.All(shots, s => Assert.True(new FileInfo(s).Length > 10_000, s + " is suspiciously small"));
        }

        private static async Task SeedAsync(TestController c, int baseTemp, int baseHum, int soil)
        {
            var now = c.ServerTime;
            for (var i = 0; i < 12; i++)
            {
                var t = now - 60 - ((11 - i) * 300);
                var wave = (int)(Math.Sin(i / 2.0) * 12);
                await c.SendReadingAsync("temperature", baseTemp + wave + i, t);
                await c.SendReadingAsync("humidity", baseHum - (wave * 2), t);
                await c.SendReadingAsync("soil_moisture", soil - i, t);
            }
        }

        private static JsonObject Status(int uptime, int rssi, int dropped) => new()
        {
            ["uptime"] = uptime, ["free_heap"] = 91000, ["rssi"] = rssi, ["open_zones"] = new JsonArray(), ["buffered"] = 0, ["dropped"] = dropped,
        };
    }
}
