using Microsoft.Playwright;

namespace Irrigation.Browser.Tests
{
    /// <summary>
    /// One Playwright driver and one Chromium for the whole test run (they are the expensive part); each test gets
    /// its own browser context, so cookies and session storage never leak between tests.
    /// </summary>
    public sealed class BrowserFixture : IAsyncLifetime
    {
        /// <summary>Debian's Chromium (apt-get install chromium); Playwright's own browser download is never used.</summary>
        public const string ChromiumPath = "/usr/bin/chromium";

        private IPlaywright? _playwright;

        /// <summary>The shared browser.</summary>
        public IBrowser Browser { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            if (!File.Exists(ChromiumPath))
            {
                throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install -y --no-install-recommends chromium (tests/run-all.sh does this).");
            }

            _playwright = await Playwright.CreateAsync();
            Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
        }

        public async Task DisposeAsync()
        {
            if (Browser is not null) await Browser.CloseAsync();
            _playwright?.Dispose();
        }
    }
}
