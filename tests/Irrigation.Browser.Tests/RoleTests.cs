using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// Issue 17's shared farms in Chromium: what a viewer's and an operator's page offer, and an owner managing members
    /// while the member's page follows (new role at once, access taken away said plainly).
    /// </summary>
    [Collection(BrowserCollection.Name)]
    public sealed class RoleTests(BrowserFixture browser, FarmFixture farm) : IClassFixture<FarmFixture>
    {
        [Fact]
        public async Task Viewer_Page_ShowsNoControls_AndSettingsReadOnly()
        {
            await ShareAsync("farm-02", "bob", "viewer");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.BobToken, "role-viewer");
            var card = page.Card("farm-02");
            await Expect(card.GetByTestId("role-badge")).ToHaveTextAsync("Viewer");

            // Nothing that acts: no minutes, no Start or Stop, no Stop all, no rain delay; only looking (the chart's
            // reading and range toggles are the other buttons of a card).
            await Expect(card.Locator("input:visible")).ToHaveCountAsync(0);
            var buttons = await card.Locator(".zones-section button:visible, .automation button:visible").AllInnerTextsAsync();
            Assert.Equal(["View settings", "Activity"], buttons.Select(b => b.Trim()));
            await Expect(card.GetByTestId("rain-delay")).ToHaveTextAsync("No rain delay.");
            // The contrast on the same page: bob's own device has every control.
            await Expect(page.Card("bob-01").GetByRole(AriaRole.Button, new() { Name = "Start zone1" })).ToBeVisibleAsync();
            await Expect(page.Card("bob-01").GetByRole(AriaRole.Button, new() { Name = "Rain delay of 24 hours on bob-01" })).ToBeVisibleAsync();

            var panel = await page.OpenPanelAsync("farm-02");
            await Expect(panel.GetByTestId("settings-read-only")).ToContainTextAsync("your role on farm-02 is viewer");
            await Expect(panel.GetByTestId("settings-form").Locator("input:enabled, select:enabled")).ToHaveCountAsync(0);
            await Expect(panel.GetByTestId("settings-save")).ToBeHiddenAsync();
            await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Edit zones here" })).ToHaveCountAsync(0);
            await Expect(panel.GetByRole(AriaRole.Tab, new() { Name = "Members" })).ToBeHiddenAsync();
            await panel.GetByRole(AriaRole.Tab, new() { Name = "Activity" }).ClickAsync();
            await Expect(panel.GetByTestId("audit-item").First).ToContainTextAsync("bob as viewer");
            page.AssertNoScriptErrors();

            // The server agrees: the page hides what the server refuses.
            using var bob = UserApi.For(farm.Server.BaseUri, farm.BobToken);
            var irrigate = await bob.PostAsJsonAsync("/api/devices/farm-02/irrigate", new { zones = new[] { "zone1" }, duration = 60 });
            Assert.Equal(HttpStatusCode.Forbidden, irrigate.StatusCode);
        }

        [Fact]
        public async Task Owner_AddsChangesAndRemovesAMember_TheMembersPageFollowsWithoutReload()
        {
            await using var alice = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "members-owner");
            var panel = await alice.OpenPanelAsync("greenhouse", "members");
            var members = panel.GetByTestId("members");
            await Expect(members.Locator("[data-user='alice'][data-role='owner']")).ToBeVisibleAsync();

            await panel.GetByLabel("User id").FillAsync("carol");
            await panel.GetByTestId("member-add").ClickAsync();
            await Expect(panel.GetByTestId("members-status")).ToHaveTextAsync("There is no user “carol”. An administrator creates users (users add carol).");

            await panel.GetByLabel("User id").FillAsync("bob");
            await panel.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("viewer");
            await panel.GetByTestId("member-add").ClickAsync();
            await Expect(members.Locator("[data-user='bob'][data-role='viewer']")).ToBeVisibleAsync();
            await Expect(panel.GetByTestId("members-status")).ToHaveTextAsync("bob is now a viewer of greenhouse.");

            await using var bob = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.BobToken, "members-member");
            var bobsCard = bob.Card("greenhouse");
            await Expect(bobsCard.GetByTestId("role-badge")).ToHaveTextAsync("Viewer");
            await Expect(bobsCard.GetByRole(AriaRole.Button, new() { Name = "Start bed-a" })).ToBeHiddenAsync();
            await bob.Page.EvaluateAsync("() => { window.__sameDocument = true; }");

            await members.GetByRole(AriaRole.Combobox, new() { Name = "Role of bob" }).SelectOptionAsync("operator");

            await Expect(members.Locator("[data-user='bob'][data-role='operator']")).ToBeVisibleAsync();
            await Expect(bobsCard.GetByTestId("role-badge")).ToHaveTextAsync("Operator");
            await Expect(bobsCard.GetByRole(AriaRole.Button, new() { Name = "Start bed-a" })).ToBeVisibleAsync();
            await Expect(bobsCard.GetByRole(AriaRole.Button, new() { Name = "Rain delay of 48 hours on greenhouse" })).ToBeVisibleAsync();
            await Expect(bobsCard.GetByTestId("open-settings")).ToHaveTextAsync("View settings");
            await bobsCard.GetByRole(AriaRole.Button, new() { Name = "Rain delay of 48 hours on greenhouse" }).ClickAsync();
            await Expect(bobsCard.GetByTestId("automation-status")).ToContainTextAsync("Rain delay saved (settings version 1)");
            await Expect(bobsCard.GetByTestId("rain-delay")).ToContainTextAsync("Rain delay until");

            await members.GetByRole(AriaRole.Button, new() { Name = "Remove bob" }).ClickAsync();

            await Expect(members.Locator("[data-user='bob']")).ToHaveCountAsync(0);
            await Expect(panel.GetByTestId("members-status")).ToHaveTextAsync("bob no longer has access to greenhouse.");
            await Expect(bob.Page.Locator("#error-banner")).ToHaveTextAsync("Your access to greenhouse was removed by its owner.");
            await Expect(bobsCard).ToHaveCountAsync(0);
            await Expect(bob.Card("bob-01")).ToBeVisibleAsync();
            await Expect(bob.Connection).ToHaveAttributeAsync("data-state", "live");
            Assert.True(await bob.Page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "bob's page reloaded");

            using var api = UserApi.For(farm.Server.BaseUri, farm.AliceToken);
            var list = JsonNode.Parse(await api.GetStringAsync("/api/devices/greenhouse/members"))!;
            Assert.Empty(list["members"]!.AsArray());
            alice.AssertNoScriptErrors();
            bob.AssertNoScriptErrors();
        }

        [Fact]
        public async Task RotatedToken_PageOpen_SignedOutWithTheReasonAndNoRetry()
        {
            var token = await farm.Server.AddUserAsync("dave");
            await ShareAsync("farm-01", "dave", "operator");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, token, "role-token-rotated");
            await Expect(page.Card("farm-01").GetByTestId("role-badge")).ToHaveTextAsync("Operator");
            var sockets = 0;
            page.Page.WebSocket += (_, _) => Interlocked.Increment(ref sockets);

            await ServerCli.RunAsync(farm.Server, "users", "rotate-token", "dave");

            await Expect(page.Page.GetByTestId("signin-error")).ToHaveTextAsync(
                "The server withdrew this sign-in (token no longer valid): the token was rotated or revoked, or the account removed. Sign in with a current token.");
            await Expect(page.Page.GetByTestId("signin")).ToBeVisibleAsync();
            await Expect(page.Cards).ToHaveCountAsync(0);
            await Task.Delay(TimeSpan.FromSeconds(3)); // longer than the first reconnect delay (1 s)
            Assert.Equal(0, Volatile.Read(ref sockets));
        }

        private async Task ShareAsync(string device, string user, string role)
        {
            using var api = UserApi.For(farm.Server.BaseUri, farm.AliceToken);
            var put = await api.PutAsJsonAsync($"/api/devices/{device}/members/{user}", new { role });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }
    }
}
