using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    /// <summary>The dashboard under the server's Content-Security-Policy (no inline script or style) in real Chromium.</summary>
    [Collection(BrowserCollection.Name)]
    public sealed class SecurityPolicyTests(BrowserFixture browser, FarmFixture farm) : IClassFixture<FarmFixture>
    {
        // Records every violation the browser reports, from the first line of the page on.
        private const string RecordViolations =
            "window.__violations = []; document.addEventListener('securitypolicyviolation', " +
            "e => window.__violations.push(e.violatedDirective + ' ' + (e.blockedURI || e.sample || '')));";

        [Fact]
        public async Task Dashboard_UnderItsContentSecurityPolicy_WorksWithoutAViolation_AndInlineHandlersAreBlocked()
        {
            await using var controller = await farm.ConnectAsync("farm-01");
            await using var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.AliceToken, "csp");
            await page.Page.AddInitScriptAsync(RecordViolations);
            // Again with the recorder in place; the token is in session storage by now.
            var response = await page.Page.ReloadAsync();
            await Expect(page.Connection).ToHaveAttributeAsync("data-state", "live");

            await controller.SendReadingAsync("temperature", 223);
            await Expect(page.TileValue("farm-01", "temperature")).ToHaveTextAsync("22.3");
            await Expect(page.Card("farm-01").GetByTestId("chart").Locator("canvas")).ToBeVisibleAsync();
            await page.StartZoneAsync("farm-01", "zone1", "5");
            await controller.AnswerAsync(await controller.NextCommandAsync("irrigate"));
            await Expect(page.Zone("farm-01", "zone1")).ToHaveAttributeAsync("data-open", "true");
            // The device panel (a dialog with forms and lists) and each of its tabs, under the same policy.
            var panel = await page.OpenPanelAsync("farm-01");
            await panel.GetByRole(AriaRole.Button, new() { Name = "Edit zones here" }).ClickAsync();
            foreach (var tab in new[] { "Changes", "Activity", "Members" })
            {
                await panel.GetByRole(AriaRole.Tab, new() { Name = tab }).ClickAsync();
                await Expect(panel.GetByRole(AriaRole.Tabpanel, new() { Name = tab })).ToBeVisibleAsync();
            }

            await page.Page.Keyboard.PressAsync("Escape");
            await Expect(panel).ToBeHiddenAsync();
            var duringUse = await ViolationsAsync(page.Page);
            page.AssertNoScriptErrors(); // before the control below, whose refusal Chromium logs as an error
            // The control: what the policy forbids is blocked and reported.
            await page.Page.EvaluateAsync(
                "() => { const b = document.createElement('button'); b.setAttribute('onclick', 'window.__inline = 1'); document.body.append(b); b.click(); }");
            await page.Page.WaitForFunctionAsync("() => window.__violations.length > 0");

            Assert.Contains("frame-ancestors 'none'", (await response!.AllHeadersAsync())["content-security-policy"]);
            Assert.Empty(duringUse);
            Assert.StartsWith("script-src", Assert.Single(await ViolationsAsync(page.Page)));
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.__inline === undefined"), "an inline handler ran");
        }

        private static async Task<string[]> ViolationsAsync(IPage page) =>
            JsonSerializer.Deserialize<string[]>(await page.EvaluateAsync<string>("() => JSON.stringify(window.__violations)"))!;
    }
}
