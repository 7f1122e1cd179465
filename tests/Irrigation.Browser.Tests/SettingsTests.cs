using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// Issue 18 in Chromium: settings edited on the page, saved on the server and applied (or rejected) by simulated
    /// controllers running the real core; the rain delay and the skipped run it causes, explained on the card.
    /// </summary>
    [Collection(BrowserCollection.Name)]
    public sealed class SettingsTests(BrowserFixture browser, SettingsFarmFixture farm) : IClassFixture<SettingsFarmFixture>
    {
        private static readonly LocatorAssertionsToHaveAttributeOptions Answer = new() { Timeout = 30000 };

        [Fact]
        public async Task Settings_ProgramAndSoilThresholdEdited_PendingThenAppliedBySimulatedController()
        {
            await using var page = await OpenAsync("settings-edit");
            await Expect(page.SettingsState("sim-01")).ToHaveAttributeAsync("data-state", "applied");
            await page.RecordSettingsStatesAsync("sim-01");
            var panel = await page.OpenPanelAsync("sim-01");

            await panel.GetByRole(AriaRole.Button, new() { Name = "Edit zones here" }).ClickAsync();
            var zone1 = panel.GetByRole(AriaRole.Group, new() { Name = "Zone 1 zone1" });
            await zone1.GetByLabel("Soil probe").SelectOptionAsync(new SelectOptionValue { Label = "Probe 1" });
            await zone1.GetByLabel("Water below").FillAsync("35.5");
            await panel.GetByRole(AriaRole.Button, new() { Name = "Add a program" }).ClickAsync();
            var program = panel.GetByRole(AriaRole.Group, new() { Name = "Program 1" });
            await program.GetByLabel("Zone").SelectOptionAsync("zone2");
            await program.GetByLabel("Start time").FillAsync("05:30");
            await program.GetByLabel("Saturday").UncheckAsync();
            await program.GetByLabel("Sunday").UncheckAsync();
            await program.GetByLabel("Duration").FillAsync("12");
            await panel.GetByRole(AriaRole.Button, new() { Name = "Save as version 1" }).ClickAsync();

            var state = page.SettingsState("sim-01");
            await Expect(state).ToHaveAttributeAsync("data-version", "1");
            await Expect(state).ToHaveAttributeAsync("data-state", "applied", Answer);
            await Expect(state).ToContainTextAsync("Version 1 is applied: sim-01 runs it.");
            Assert.Equal(["applied", "pending", "applied"], await page.SettingsStatesAsync("sim-01"));
            await Expect(panel.GetByTestId("settings-view-state")).ToContainTextAsync("Version 1 is applied");

            // What the controller applied is what the page meant: 35.5 % in tenths, probe 1 = index 0, minutes in seconds.
            using var api = farm.Api();
            var view = JsonNode.Parse(await api.GetStringAsync("/api/devices/sim-01/settings"))!;
            Assert.Equal(1, (int)view["applied_version"]!);
            var zone = view["settings"]!["zones"]![0]!;
            Assert.Equal((355, 0), ((int)zone["dry"]!, (int)zone["soil_probe"]!));
            var schedule = view["settings"]!["schedules"]![0]!;
            Assert.Equal("zone2", (string?)schedule["zone"]);
            Assert.Equal("05:30", (string?)schedule["at"]);
            Assert.Equal(720, (int)schedule["duration"]!);
            Assert.Equal(["mon", "tue", "wed", "thu", "fri"], schedule["days"]!.AsArray().Select(d => (string)d!));

            await panel.GetByRole(AriaRole.Tab, new() { Name = "Changes" }).ClickAsync();
            var newest = panel.GetByTestId("history-item").First;
            await Expect(newest).ToHaveAttributeAsync("data-version", "1");
            await Expect(newest).ToContainTextAsync("running on the controller");
            await Expect(newest).ToContainTextAsync("First settings");
            await Expect(newest).ToContainTextAsync("demo");
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task Settings_MoreZonesThanValves_RejectedByTheControllerWithItsErrorInPlainWords()
        {
            await using var page = await OpenAsync("settings-rejected");
            var state = page.SettingsState("sim-02");
            await Expect(state).ToHaveAttributeAsync("data-state", "applied"); // version 1: the demo's rain delay
            await page.RecordSettingsStatesAsync("sim-02");
            var panel = await page.OpenPanelAsync("sim-02");

            await panel.GetByRole(AriaRole.Button, new() { Name = "Edit zones here" }).ClickAsync();
            await panel.GetByRole(AriaRole.Button, new() { Name = "Add a zone" }).ClickAsync();
            await Expect(panel.GetByRole(AriaRole.Group, new() { Name = "Zone 3" })).ToBeVisibleAsync();
            await panel.GetByRole(AriaRole.Button, new() { Name = "Save as version 2" }).ClickAsync();

            // The server accepts three zones (it does not know the board has two valves); the controller refuses them.
            await Expect(state).ToHaveAttributeAsync("data-state", "rejected", Answer);
            await Expect(state).ToContainTextAsync("Version 2 was rejected by sim-02, which keeps running version 1");
            await Expect(page.Card("sim-02").GetByTestId("settings-errors-card")).ToHaveTextAsync("Zones: this controller has 2 valves (the settings name 3 zones)");
            await Expect(panel.GetByTestId("settings-view-errors")).ToHaveTextAsync("Zones: this controller has 2 valves (the settings name 3 zones)");
            Assert.Equal(["applied", "pending", "rejected"], await page.SettingsStatesAsync("sim-02"));
            await Expect(page.Page.Locator("[data-testid='alert'][data-kind='settings_rejected'][data-device='sim-02']"))
                .ToContainTextAsync("Settings version 2 rejected by the controller: Zones: this controller has 2 valves (the settings name 3 zones)");
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task RainDelay_SetFromTheCard_SkippedSoilRunExplainedAndClearingLetsItWater()
        {
            await using var page = await OpenAsync("settings-rain-delay");
            var card = page.Card("sim-03");

            await card.GetByRole(AriaRole.Button, new() { Name = "Rain delay of 24 hours on sim-03" }).ClickAsync();

            await Expect(card.GetByTestId("rain-delay")).ToContainTextAsync("Rain delay until");
            await Expect(card.GetByTestId("automation-status")).ToContainTextAsync("Rain delay saved");
            await Expect(page.SettingsState("sim-03")).ToHaveAttributeAsync("data-state", "applied", Answer);
            // A soil run that began before the delay keeps its lease (a delay never cuts one short) and holds the only
            // slot: stop everything, so that what follows is the delay's doing alone.
            await card.GetByRole(AriaRole.Button, new() { Name = "Stop all zones of sim-03" }).ClickAsync();
            await Expect(card.GetByTestId("command-status")).ToContainTextAsync("sim-03 confirmed", new() { Timeout = 30000 });
            await Expect(page.Zone("sim-03", "zone1")).ToHaveAttributeAsync("data-open", "false", Answer);
            await Expect(page.Zone("sim-03", "zone2")).ToHaveAttributeAsync("data-open", "false", Answer);
            // A threshold every reading is below: the soil rule wants zone1 watered now, and the rain delay holds it.
            using var api = farm.Api();
            var view = JsonNode.Parse(await api.GetStringAsync("/api/devices/sim-03/settings"))!;
            var settings = view["settings"]!.AsObject();
            settings["zones"] = new JsonArray(
                new JsonObject { ["name"] = "zone1", ["soil_probe"] = 0, ["dry"] = 990, ["wet"] = 1000, ["min_interval"] = 0, ["run"] = 60 },
                new JsonObject { ["name"] = "zone2" });
            settings["soil"] = new JsonArray(new JsonObject { ["dry_raw"] = 3400, ["wet_raw"] = 1400 });
            var put = await api.PutAsJsonAsync("/api/devices/sim-03/settings", new JsonObject { ["base_version"] = (int)view["version"]!, ["settings"] = settings.DeepClone() });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);

            // Until the skip arrives the card says what holds watering back (or an older skip); then it explains this one.
            var why = card.GetByTestId("skip-reason");
            await Expect(why).ToHaveAttributeAsync("data-reason", "rain_delay", Answer);
            await Expect(why).ToHaveAttributeAsync("data-skipped", "true", Answer);
            await Expect(why).ToContainTextAsync("Why no watering? zone1 skipped at");
            await Expect(why).ToContainTextAsync("rain delay until");
            await Expect(page.Zone("sim-03", "zone1")).ToHaveAttributeAsync("data-open", "false");

            await card.GetByRole(AriaRole.Button, new() { Name = "Clear the rain delay of sim-03" }).ClickAsync();

            await Expect(card.GetByTestId("rain-delay")).ToHaveTextAsync("No rain delay.");
            await Expect(page.Zone("sim-03", "zone1")).ToHaveAttributeAsync("data-open", "true", Answer);
            await Expect(why).Not.ToContainTextAsync("zone1 skipped"); // it watered: nothing left to explain
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task Settings_WrongValues_RefusedWithEachErrorNextToItsFieldAndNothingSaved()
        {
            await using var page = await OpenAsync("settings-refused");
            var before = await VersionAsync("sim-04");
            var panel = await page.OpenPanelAsync("sim-04");

            await panel.GetByRole(AriaRole.Button, new() { Name = "Edit zones here" }).ClickAsync();
            var zone1 = panel.GetByRole(AriaRole.Group, new() { Name = "Zone 1 zone1" });
            await zone1.GetByLabel("Water below").FillAsync("120");
            await zone1.GetByLabel("Stop above").FillAsync("50");
            await panel.GetByRole(AriaRole.Button, new() { Name = "Add a program" }).ClickAsync();
            var program = panel.GetByRole(AriaRole.Group, new() { Name = "Program 1" });
            foreach (var day in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" })
            {
                await program.GetByLabel(day).UncheckAsync();
            }

            await panel.GetByTestId("settings-save").ClickAsync();

            var dryField = zone1.Locator("[data-path='zones[0].dry']");
            await Expect(dryField.Locator(".field-error")).ToHaveTextAsync("Must be 0.0 % to 100.0 % (is 120.0 %).");
            await Expect(zone1.GetByLabel("Water below")).ToHaveAttributeAsync("aria-invalid", "true");
            await Expect(zone1.Locator("[data-path='zones[0].wet'] .field-error")).ToHaveTextAsync("Must be above dry (120.0 %) so the soil rule has hysteresis.");
            await Expect(program.Locator("[data-path='schedules[0].days'] .field-error")).ToHaveTextAsync("Name at least one day.");
            var summary = panel.GetByTestId("settings-errors");
            await Expect(summary).ToBeFocusedAsync();
            await Expect(summary.Locator("li")).ToHaveCountAsync(3);
            await Expect(summary).ToContainTextAsync("Zone 1 “zone1” · Water below: must be 0.0 % to 100.0 % (is 120.0 %)");
            await Expect(panel.GetByTestId("settings-save-status")).ToContainTextAsync("Not saved");
            Assert.Equal(before, await VersionAsync("sim-04"));

            // The summary's entries lead to their fields.
            await summary.GetByRole(AriaRole.Button, new() { Name = "Program 1 · Days: name at least one day" }).ClickAsync();
            await Expect(program.GetByLabel("Monday")).ToBeFocusedAsync();
            page.AssertNoScriptErrors();
        }

        [Fact]
        public async Task Settings_SavedElsewhereWhileEditing_EditorSaysSoAndReloadShowsTheNewVersion()
        {
            await using var page = await OpenAsync("settings-conflict-live");
            var panel = await page.OpenPanelAsync("sim-04");
            await panel.GetByLabel("Seasonal adjustment").FillAsync("80");

            await SaveElsewhereAsync("sim-04", 130);

            var conflict = panel.GetByTestId("settings-conflict");
            await Expect(conflict).ToContainTextAsync("demo saved version");
            await Expect(conflict).ToContainTextAsync("while you were editing");
            await Expect(panel.GetByTestId("settings-save")).ToBeDisabledAsync();
            await conflict.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
            await Expect(panel.GetByLabel("Seasonal adjustment")).ToHaveValueAsync("130");
            await Expect(conflict).ToBeHiddenAsync();
        }

        [Fact]
        public async Task Settings_SaveOverAVersionThePageNeverHeardOf_409OffersReload()
        {
            await using var page = await OpenAsync("settings-conflict-409");
            // This page hears of no settings change: the answer to its save is the first it learns of one.
            await page.Page.RouteWebSocketAsync("**/clients/**", ws =>
            {
                var server = ws.ConnectToServer();
                server.OnMessage(frame =>
                {
                    if (frame.Text?.Contains("\"settings_", StringComparison.Ordinal) != true) ws.Send(frame.Text!);
                });
            });
            await SaveElsewhereAsync("sim-04", 100); // so that the version below changes something, whatever ran before
            await page.Page.ReloadAsync();
            await Expect(page.Connection).ToHaveAttributeAsync("data-state", "live");
            var panel = await page.OpenPanelAsync("sim-04");
            await panel.GetByLabel("Seasonal adjustment").FillAsync("70");

            var current = await SaveElsewhereAsync("sim-04", 110);
            await panel.GetByTestId("settings-save").ClickAsync();

            var conflict = panel.GetByTestId("settings-conflict");
            await Expect(conflict).ToContainTextAsync($"version {current} while you were editing");
            await Expect(panel.GetByTestId("settings-save-status")).ToHaveTextAsync("Not saved: the settings changed meanwhile.");
            await conflict.GetByRole(AriaRole.Button, new() { Name = "Reload" }).ClickAsync();
            await Expect(panel.GetByLabel("Seasonal adjustment")).ToHaveValueAsync("110");
            await Expect(panel.GetByTestId("settings-save")).ToHaveTextAsync($"Save as version {current + 1}");
            await panel.GetByRole(AriaRole.Tab, new() { Name = "Changes" }).ClickAsync();
            await Expect(panel.GetByTestId("history-item").First).ToContainTextAsync($"Version {current}");
            await Expect(panel.GetByTestId("history-item").First).ToContainTextAsync("Changed seasonal adjustment");
        }

        [Fact]
        public async Task SettingsPanel_OnAPhone_FullScreenWithoutSidewaysScroll_KeyboardOpensMovesAndCloses()
        {
            await using var page = await OpenAsync("settings-phone", new ViewportSize { Width = 390, Height = 844 });
            var opener = page.Card("sim-04").GetByTestId("open-settings");
            await opener.FocusAsync();
            await page.Page.Keyboard.PressAsync("Enter");
            var panel = page.Panel("sim-04");
            await Expect(panel).ToBeVisibleAsync();
            var box = await panel.BoundingBoxAsync();
            Assert.Equal(390, box!.Width, 1);
            Assert.True(await panel.EvaluateAsync<bool>("p => [...p.querySelectorAll('*')].every(e => e.getBoundingClientRect().right <= innerWidth + 0.5)"), "something sticks out of the panel");
            await page.ScreenshotAsync("settings-phone-panel", fullPage: false);

            await panel.GetByRole(AriaRole.Tab, new() { Name = "Settings" }).FocusAsync();
            await page.Page.Keyboard.PressAsync("ArrowRight");
            await Expect(panel.GetByRole(AriaRole.Tab, new() { Name = "Changes" })).ToHaveAttributeAsync("aria-selected", "true");
            await Expect(panel.GetByTestId("panel-changes")).ToBeVisibleAsync();
            await page.Page.Keyboard.PressAsync("End");
            await Expect(panel.GetByRole(AriaRole.Tab, new() { Name = "Members" })).ToBeFocusedAsync();
            await page.Page.Keyboard.PressAsync("Escape");

            await Expect(panel).ToBeHiddenAsync();
            await Expect(opener).ToBeFocusedAsync();
            page.AssertNoScriptErrors();
        }

        private async Task<DashboardPage> OpenAsync(string name, ViewportSize? viewport = null)
        {
            var page = await DashboardPage.OpenAsync(browser, farm.Server.BaseUri, farm.DemoToken, name, viewport);
            await Expect(page.Cards).ToHaveCountAsync(4);
            return page;
        }

        private async Task<int> VersionAsync(string device)
        {
            using var api = farm.Api();
            return (int)JsonNode.Parse(await api.GetStringAsync($"/api/devices/{device}/settings"))!["version"]!;
        }

        // Another session of the same user saves a seasonal adjustment over the newest version; returns the new version.
        private async Task<int> SaveElsewhereAsync(string device, int seasonalPercent)
        {
            using var api = farm.Api();
            var view = JsonNode.Parse(await api.GetStringAsync($"/api/devices/{device}/settings"))!;
            var settings = view["settings"]!.DeepClone().AsObject();
            settings["seasonal_percent"] = seasonalPercent;
            var put = await api.PutAsJsonAsync($"/api/devices/{device}/settings", new JsonObject { ["base_version"] = (int)view["version"]!, ["settings"] = settings });
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            return (int)JsonNode.Parse(await put.Content.ReadAsStringAsync())!["version"]!;
        }
    }
}
