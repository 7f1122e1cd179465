using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    /// <summary>The audit trail on the page: who did what to a device, when, and how it ended.</summary>
    [Collection(BrowserCollection.Name)]
    public sealed class ActivityTests(BrowserFixture browser, FarmFixture farm) : IClassFixture<FarmFixture>
    {
        [Fact]
        public async Task Activity_CommandSharingAndARefusal_ListedNewestFirstWithWhoAndOutcome()
        {
            await using var controller = await farm.ConnectAsync("farm-01");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "activity");
            await page.StartZoneAsync("farm-01", "zone2", "3");
            await controller.AnswerAsync(await controller.NextCommandAsync("irrigate"));
            await Expect(page.Zone("farm-01", "zone2")).ToHaveAttributeAsync("data-open", "true");
            // The zone opens on the dashboard as soon as the controller answers, a moment before the server records
            // alice's command: wait for that row, so bob's refusal is the newest.
            using var alice = UserApi.For(farm.Server.BaseUri, farm.AliceToken);
            await AuditedAsync(alice, "farm-01", 1);
            // bob gets to watch, then tries to water: refused, and recorded.
            Assert.Equal(HttpStatusCode.OK, (await alice.PutAsJsonAsync("/api/devices/farm-01/members/bob", new { role = "viewer" })).StatusCode);
            using var bob = UserApi.For(farm.Server.BaseUri, farm.BobToken);
            Assert.Equal(HttpStatusCode.Forbidden, (await bob.PostAsJsonAsync("/api/devices/farm-01/irrigate", new { zones = new[] { "zone1" }, duration = 60 })).StatusCode);

            var panel = await page.OpenPanelAsync("farm-01", "activity");

            var items = panel.GetByTestId("audit-item");
            await Expect(items).ToHaveCountAsync(3);
            await Expect(items.Nth(0)).ToHaveAttributeAsync("data-user", "bob");
            await Expect(items.Nth(0)).ToContainTextAsync("forbidden");
            await Expect(items.Nth(1)).ToHaveAttributeAsync("data-action", "share");
            await Expect(items.Nth(1)).ToContainTextAsync("bob as viewer");
            var command = items.Nth(2);
            await Expect(command).ToHaveAttributeAsync("data-action", "irrigate");
            await Expect(command).ToHaveAttributeAsync("data-user", "alice");
            await Expect(command).ToContainTextAsync("Start");
            await Expect(command).ToContainTextAsync("zones zone2 for 180 s");
            await Expect(command.Locator(".badge")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^sent c-"));
            page.AssertNoScriptErrors();
        }

        private static async Task AuditedAsync(HttpClient user, string device, int entries)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while ((await user.GetFromJsonAsync<JsonArray>($"/api/devices/{device}/audit?limit=10"))!.Count < entries)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{device}: fewer than {entries} audit entries after 10 s");
                await Task.Delay(50);
            }
        }
    }
}
