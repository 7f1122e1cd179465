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

        /// <summary>Pixels of the plot canvas that are not transparent (uPlot draws the series there).</summary>
        private static async Task<int> PaintedPixelsAsync(Microsoft.Playwright.ILocator chart) =>
            await chart.Locator("canvas").First.EvaluateAsync<int>(
                @"c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                         let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }");
    }
}
