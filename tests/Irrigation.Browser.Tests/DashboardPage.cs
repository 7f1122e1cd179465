using Irrigation.Tests.Support;
using Microsoft.Playwright;

namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// The dashboard in its own browser context, signed in with ?token=. Locators use the page's data-testid
    /// attributes. On dispose it saves a screenshot to artifacts/screenshots/NAME.png (pass or fail).
    /// </summary>
    public sealed class DashboardPage : IAsyncDisposable
    {
        private readonly IBrowserContext _context;
        private readonly string _name;
        private readonly List<string> _scriptErrors = [];

        private DashboardPage(IBrowserContext context, IPage page, string name)
        {
            _context = context;
            Page = page;
            _name = name;
            page.PageError += (_, e) => _scriptErrors.Add(e);
            page.Console += (_, m) =>
            {
                // Refused requests (409, 400) and dropped WebSockets are logged by Chromium itself; they are expected here.
                if (m.Type == "error" && !m.Text.Contains("WebSocket", StringComparison.Ordinal) && !m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal)) _scriptErrors.Add(m.Text);
            };
        }

        /// <summary>Where screenshots go (gitignored /artifacts/).</summary>
        public static string ScreenshotDir => RepoPaths.Combine("artifacts", "screenshots");

        /// <summary>The page.</summary>
        public IPage Page { get; }

        /// <summary>The connection pill (data-state: connecting, live, waiting, reconnecting ...).</summary>
        public ILocator Connection => Page.GetByTestId("connection");

        /// <summary>Every device card on the page.</summary>
        public ILocator Cards => Page.GetByTestId("device-card");

        /// <summary>Opens /?token=TOKEN and waits until the live connection is up.</summary>
        public static async Task<DashboardPage> OpenAsync(BrowserFixture browser, Uri server, string token, string name,
            ViewportSize? viewport = null, ColorScheme colorScheme = ColorScheme.Light)
        {
            var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = server.ToString(),
                ViewportSize = viewport ?? new ViewportSize { Width = 1440, Height = 1000 },
                ColorScheme = colorScheme,
                Locale = "en-GB",
                TimezoneId = "UTC",
            });
            context.SetDefaultTimeout(15000);
            var page = await context.NewPageAsync();
            var dashboard = new DashboardPage(context, page, name);
            await page.GotoAsync("/?token=" + Uri.EscapeDataString(token));
            await Assertions.Expect(dashboard.Connection).ToHaveAttributeAsync("data-state", "live", new() { Timeout = 15000 });
            return dashboard;
        }

        /// <summary>The card of one device.</summary>
        public ILocator Card(string device) => Page.Locator($"[data-testid='device-card'][data-device='{device}']");

        /// <summary>The number of a tile (temperature, humidity, soil_moisture), e.g. "22.3".</summary>
        public ILocator TileValue(string device, string kind) => Card(device).GetByTestId($"tile-{kind}").GetByTestId("value");

        /// <summary>The unit of a tile, e.g. "°C".</summary>
        public ILocator TileUnit(string device, string kind) => Card(device).GetByTestId($"tile-{kind}").GetByTestId("unit");

        /// <summary>One zone row (data-open="true|false").</summary>
        public ILocator Zone(string device, string zone) => Card(device).Locator($"[data-testid='zone'][data-zone='{zone}']");

        /// <summary>Types minutes for a zone and presses its Start button.</summary>
        public async Task StartZoneAsync(string device, string zone, string minutes)
        {
            await Zone(device, zone).GetByLabel($"Minutes for {zone}").FillAsync(minutes);
            await Zone(device, zone).GetByRole(AriaRole.Button, new() { Name = $"Start {zone}" }).ClickAsync();
        }

        /// <summary>Presses a zone's Stop button.</summary>
        public Task StopZoneAsync(string device, string zone) =>
            Zone(device, zone).GetByRole(AriaRole.Button, new() { Name = $"Stop {zone}" }).ClickAsync();

        /// <summary>Fails with the script errors the page logged (a broken module shows up here, not as a timeout).</summary>
        public void AssertNoScriptErrors() => Assert.Empty(_scriptErrors);

        /// <summary>Saves a screenshot (full page by default) as artifacts/screenshots/NAME.png and returns the path.</summary>
        public async Task<string> ScreenshotAsync(string? name = null, bool fullPage = true)
        {
            Directory.CreateDirectory(ScreenshotDir);
            var path = Path.Combine(ScreenshotDir, (name ?? _name) + ".png");
            await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = fullPage });
            return path;
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await ScreenshotAsync();
            }
            catch (PlaywrightException)
            {
                // A closed page has nothing to show; the test's own failure says what happened.
            }

            await _context.CloseAsync();
        }
    }
}
