using System.Globalization;
using System.Text.Json.Nodes;
using Irrigation.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    [Collection(BrowserCollection.Name)]
    public sealed class ChartTests(BrowserFixture browser, FarmFixture farm) : IClassFixture<FarmFixture>
    {
        /// <summary>12 readings, 5 min apart, ending 2 min ago: 20.0, 20.3 ... 23.3 °C (one per chart bucket).</summary>
        private static readonly int[] History = [.. Enumerable.Range(0, 12).Select(i => 200 + (i * 3))];

        [Fact]
        public async Task Chart_StoredHistory_DrawsEveryPointAndExtendsLive()
        {
            await using var controller = await farm.ConnectAsync("farm-01");
            var now = controller.ServerTime;
            for (var i = 0; i < History.Length; i++)
            {
                await controller.SendReadingAsync("temperature", History[i], now - 120 - ((History.Length - 1 - i) * 300));
            }

            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "chart-history");
            var chart = page.Card("farm-01").GetByTestId("chart");

            await Expect(chart).ToHaveAttributeAsync("data-points", History.Length.ToString());
            await Expect(chart).ToHaveAttributeAsync("data-last", "23.3");
            await Expect(chart.Locator("canvas")).ToBeVisibleAsync();
            Assert.True(await PaintedPixelsAsync(chart) > 200, "the chart canvas is blank");

            await controller.SendReadingAsync("temperature", 241);

            await Expect(chart).ToHaveAttributeAsync("data-points", (History.Length + 1).ToString());
            await Expect(chart).ToHaveAttributeAsync("data-last", "24.1");
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task Chart_OtherKindAndRange_LoadsThatHistory()
        {
            await using var controller = await farm.ConnectAsync("farm-02");
            var now = controller.ServerTime;
            await controller.SendReadingAsync("humidity", 610, now - (3 * 3600));
            await controller.SendReadingAsync("humidity", 580, now - 600);

            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "chart-range");
            var chart = page.Card("farm-02").GetByTestId("chart");
            await chart.GetByTestId("kind-humidity").ClickAsync();
            await Expect(chart).ToHaveAttributeAsync("data-points", "1");
            await Expect(chart).ToHaveAttributeAsync("data-last", "58.0");

            await chart.GetByTestId("range-day").ClickAsync();

            await Expect(chart).ToHaveAttributeAsync("data-range", "day");
            await Expect(chart).ToHaveAttributeAsync("data-points", "2");
        }

        [Fact]
        public async Task WaterChart_StoredRunsOfThreeDays_ShowsEachZonesLitresAsSent()
        {
            // greenhouse has no time zone in its settings: its days are UTC days, as are the page's (DashboardPage).
            await using var controller = await farm.ConnectAsync("greenhouse");
            long now = controller.ServerTime;
            long today = now - (now % 86400);
            await StopAsync(controller, "bed-a", 123, today - (2 * 86400) + (10 * 3600));
            await StopAsync(controller, "bed-a", 45, today - (2 * 86400) + (18 * 3600));
            var bedB = new JsonObject { ["zones"] = new JsonArray("bed-b"), ["reason"] = "completed", ["litres"] = 250, ["time"] = today - 86400 + (12 * 3600) };
            long bedBSeq = await controller.SendAsync("irrigation_stopped", bedB);
            // A controller without a meter sends no litres: that run adds nothing.
            await controller.SendAsync("irrigation_stopped", new JsonObject { ["zones"] = new JsonArray("bed-c"), ["reason"] = "completed" }, today - 86400 + (13 * 3600));
            await StopAsync(controller, "bed-a", 7, now);
            // bed-b's stop again under its seq, as after a lost ack: stored once, so counted once.
            await controller.SendWithSeqAsync(bedBSeq, "irrigation_stopped", bedB.ToJsonString());
            await controller.WaitAckAsync(controller.LastSeq);

            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "water-ledger");
            var card = page.Card("greenhouse");
            var water = card.GetByTestId("water");

            await Expect(water).ToHaveAttributeAsync("data-buckets", "14");
            await Expect(water).ToHaveAttributeAsync("data-total", "425");
            await ExpectZoneAsync(water, "bed-a", 175, "17.5 L");
            await ExpectZoneAsync(water, "bed-b", 250, "25.0 L");
            await ExpectZoneAsync(water, "bed-c", 0, "0.0 L");
            var caption = card.GetByTestId("water-caption");
            await Expect(caption).ToHaveTextAsync("Per day, last 14 days: bed-a 17.5 L, bed-b 25.0 L, bed-c 0.0 L; total 42.5 L.");
            await Expect(water.Locator("canvas").First).ToBeVisibleAsync();
            Assert.True(await PaintedPixelsAsync(water) > 200, "the water chart's canvas is blank");

            // Pointing at a day's bar reads that day out; the 14 bars end with today's.
            await PointAtBarAsync(page, water, 11, 14);
            await Expect(caption).ToHaveTextAsync($"{Day(today - (2 * 86400))}: bed-a 16.8 L, bed-b 0.0 L, bed-c 0.0 L");
            await PointAtBarAsync(page, water, 12, 14);
            await Expect(caption).ToHaveTextAsync($"{Day(today - 86400)}: bed-a 0.0 L, bed-b 25.0 L, bed-c 0.0 L");
            await page.Page.Mouse.MoveAsync(0, 0);

            // A run that ends while the page is open is in the recent runs at once and in the ledger after a reload of it.
            await StopAsync(controller, "bed-c", 31, controller.ServerTime);
            await Expect(card.Locator("[data-testid='run'][data-zone='bed-c'][data-litres='31']")).ToContainTextAsync("3.1 L");
            await ExpectZoneAsync(water, "bed-c", 31, "3.1 L");
            await Expect(water).ToHaveAttributeAsync("data-total", "456");

            await water.GetByTestId("water-week").ClickAsync();

            await Expect(water).ToHaveAttributeAsync("data-bucket", "week");
            await Expect(water).ToHaveAttributeAsync("data-buckets", "12");
            await ExpectZoneAsync(water, "bed-a", 175, "17.5 L");
            await ExpectZoneAsync(water, "bed-b", 250, "25.0 L");
            await ExpectZoneAsync(water, "bed-c", 31, "3.1 L");
            page.AssertNoScriptErrors();
        }

        private static Task<long> StopAsync(TestController controller, string zone, int litres, long time) =>
            controller.SendAsync("irrigation_stopped", new JsonObject { ["zones"] = new JsonArray(zone), ["reason"] = "completed", ["litres"] = litres }, time);

        // The legend's entry of a zone: its total in tenths (data-litres) and as the words a person reads.
        private static async Task ExpectZoneAsync(ILocator water, string zone, int tenths, string text)
        {
            var entry = water.Locator($"[data-testid='water-zone'][data-zone='{zone}']");
            await Expect(entry).ToHaveAttributeAsync("data-litres", tenths.ToString(CultureInfo.InvariantCulture));
            await Expect(entry).ToHaveTextAsync($"{zone} {text}");
        }

        // Moves the mouse over bar `index` of `count` (the x axis runs from -0.5 to count - 0.5 across the plot area).
        private static async Task PointAtBarAsync(DashboardPage page, ILocator water, int index, int count)
        {
            var plot = water.Locator(".u-over");
            await plot.ScrollIntoViewIfNeededAsync();
            var box = await plot.BoundingBoxAsync() ?? throw new InvalidOperationException("the water chart has no plot area");
            await page.Page.Mouse.MoveAsync(box.X + (box.Width * (index + 0.5f) / count), box.Y + (box.Height / 2));
        }

        private static string Day(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        /// <summary>Pixels of the plot canvas that are not transparent (uPlot draws the series there).</summary>
        private static async Task<int> PaintedPixelsAsync(ILocator chart) =>
            await chart.Locator("canvas").First.EvaluateAsync<int>(
                @"c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                         let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }");
    }
}
