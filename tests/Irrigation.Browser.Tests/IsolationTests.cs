using System.Net;
using System.Net.Http.Headers;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    [Collection(BrowserCollection.Name)]
    public sealed class IsolationTests(BrowserFixture browser, FarmFixture farm) : IClassFixture<FarmFixture>
    {
        [Fact]
        public async Task SecondUser_Page_ShowsNoneOfFirstUsersDevices()
        {
            await using var alices = await farm.ConnectAsync("farm-01");
            await using var bobs = await farm.ConnectAsync("bob-01");
            await using var alicePage = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "isolation-alice");
            await using var bobPage = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.BobToken, "isolation-bob");
            await Expect(alicePage.Cards).ToHaveCountAsync(3);

            await alices.SendReadingAsync("temperature", 199);
            await bobs.SendReadingAsync("temperature", 301);

            await Expect(alicePage.TileValue("farm-01", "temperature")).ToHaveTextAsync("19.9");
            await Expect(bobPage.TileValue("bob-01", "temperature")).ToHaveTextAsync("30.1");
            await Expect(bobPage.Cards).ToHaveCountAsync(1);
            foreach (var device in new[] { "farm-01", "farm-02", "greenhouse" })
            {
                await Expect(bobPage.Card(device)).ToHaveCountAsync(0);
            }

            await Expect(bobPage.Page.Locator("body")).Not.ToContainTextAsync("farm-01");
            await Expect(alicePage.Card("bob-01")).ToHaveCountAsync(0);
        }

        [Fact]
        public async Task SecondUser_ApiForFirstUsersDevice_NotFound()
        {
            using var http = new HttpClient { BaseAddress = farm.Server.BaseUri };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", farm.BobToken);

            var readings = await http.GetAsync("/api/devices/farm-01/readings?kind=temperature&from=0&to=9999999999&points=10");

            Assert.Equal(HttpStatusCode.NotFound, readings.StatusCode);
        }
    }
}
