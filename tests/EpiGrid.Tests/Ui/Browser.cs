using Microsoft.Playwright;

namespace EpiGrid.Tests.Ui;

/// <summary>
/// Debian's headless Chromium (/usr/bin/chromium, installed by test.sh) driven by Playwright. Playwright's own browser
/// download is never run. Screenshots go to the test output's artifacts/screenshots folder.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public static readonly ViewportSize Desktop = new() { Width = 1366, Height = 900 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    public static string Screenshots { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots")).FullName;

    IPlaywright playwright = null!;
    public IBrowser Chrome { get; private set; } = null!;

    public static async Task<Browser> Launch()
    {
        if (!File.Exists(Chromium)) throw new InvalidOperationException($"{Chromium} is missing: run the tests through ./test.sh, which installs Debian's chromium");
        var browser = new Browser { playwright = await Playwright.CreateAsync() };
        browser.Chrome = await browser.playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        return browser;
    }

    /// <summary>A fresh browser profile at <paramref name="baseAddress"/>, signed in with <paramref name="token"/> when given.</summary>
    public async Task<IPage> Open(Uri baseAddress, ViewportSize viewport, string? token = null, string lang = "zh")
    {
        var context = await Chrome.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(), ViewportSize = viewport, Locale = lang == "zh" ? "zh-CN" : "en-GB",
            IsMobile = viewport.Width < 600, HasTouch = viewport.Width < 600,
        });
        await context.AddInitScriptAsync($"localStorage.setItem('epigrid.lang', '{lang}');" +
            (token is null ? "" : $"if (!sessionStorage.getItem('epigrid.token')) sessionStorage.setItem('epigrid.token', '{token}');"));
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    public static async Task Screenshot(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = false });
    }

    /// <summary>Waits until the app has drawn <paramref name="view"/> (body[data-ready]).</summary>
    public static Task Ready(IPage page, string view) =>
        page.WaitForSelectorAsync($"body[data-ready='{view}']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

    /// <summary>
    /// Waits until the page's live connection is up (body[data-connection]). A selector, not waitForFunction: Playwright
    /// polls a function by evaluating a string in the page, which the Content-Security-Policy forbids.
    /// </summary>
    public static Task Connected(IPage page) =>
        page.WaitForSelectorAsync("body[data-connection='connected']", new PageWaitForSelectorOptions { State = WaitForSelectorState.Attached });

    public async ValueTask DisposeAsync()
    {
        await Chrome.DisposeAsync();
        playwright.Dispose();
    }
}
