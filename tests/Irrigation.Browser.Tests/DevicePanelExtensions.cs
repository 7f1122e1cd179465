using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Irrigation.Browser.Tests
{
    /// <summary>The device panel (settings, changes, activity, members) and the card's automatic-watering part.</summary>
    public static class DevicePanelExtensions
    {
        /// <summary>The panel dialog of a device (present once opened).</summary>
        public static ILocator Panel(this DashboardPage page, string device) =>
            page.Page.Locator($"[data-testid='device-panel'][data-device='{device}']");

        /// <summary>The card's settings state line (data-state: applied | pending | rejected, data-version).</summary>
        public static ILocator SettingsState(this DashboardPage page, string device) => page.Card(device).GetByTestId("settings-state");

        /// <summary>Opens the panel from the card's button and picks a tab (settings, changes, activity, members).</summary>
        public static async Task<ILocator> OpenPanelAsync(this DashboardPage page, string device, string tab = "settings")
        {
            var card = page.Card(device);
            await (tab == "activity" ? card.GetByTestId("open-activity") : card.GetByTestId("open-settings")).ClickAsync();
            var panel = page.Panel(device);
            await Expect(panel).ToBeVisibleAsync();
            if (tab != "settings" && tab != "activity")
            {
                await panel.GetByRole(AriaRole.Tab, new() { Name = char.ToUpperInvariant(tab[0]) + tab[1..] }).ClickAsync();
            }

            await Expect(panel.GetByTestId($"panel-{tab}")).ToBeVisibleAsync();
            return panel;
        }

        /// <summary>
        /// Records every value the card's settings state takes from now on in window.__settingsStates[device] (a
        /// pending that lasts a few milliseconds is too quick to poll for).
        /// </summary>
        public static Task RecordSettingsStatesAsync(this DashboardPage page, string device) => page.Page.EvaluateAsync(@"device => {
                window.__settingsStates = window.__settingsStates || {};
                const node = document.querySelector(`[data-testid=device-card][data-device='${device}'] [data-testid=settings-state]`);
                const seen = window.__settingsStates[device] = [node.dataset.state];
                // Records come in batches: each one's new value is the next one's old value, the last one's is current.
                new MutationObserver(records => records.forEach((r, i) =>
                    seen.push(i + 1 < records.length ? records[i + 1].oldValue : r.target.dataset.state)))
                    .observe(node, { attributes: true, attributeFilter: ['data-state'], attributeOldValue: true });
            }", device);

        /// <summary>The states recorded by <see cref="RecordSettingsStatesAsync"/>, consecutive repeats removed.</summary>
        public static async Task<string[]> SettingsStatesAsync(this DashboardPage page, string device)
        {
            var all = await page.Page.EvaluateAsync<string[]>("device => window.__settingsStates[device]", device);
            return all.Where((s, i) => i == 0 || s != all[i - 1]).ToArray();
        }
    }
}
