using Microsoft.Playwright;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// Headless Chromium from Debian (./fees test installs it and sets FEES_CHROMIUM), driven by Playwright.
/// With FEES_SCREENSHOTS set, the tests keep their screens there (./fees screenshots refreshes docs/screenshots).
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;

    private Browser(IPlaywright playwright, IBrowser chromium) => (_playwright, Chromium) = (playwright, chromium);

    public IBrowser Chromium { get; }

    public static async Task<Browser> LaunchAsync()
    {
        var path = Environment.GetEnvironmentVariable("FEES_CHROMIUM") is { Length: > 0 } p ? p
            : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
            : throw new InvalidOperationException("Chromium is missing: run the tests with ./fees test, which installs it from Debian packages.");
        var playwright = await Playwright.CreateAsync();
        var chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true, Args = ["--no-sandbox"] });
        return new Browser(playwright, chromium);
    }

    public async Task<IPage> PageAsync(Uri baseAddress, int width = 1280, int height = 800)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "vi-VN",
        });
        return await context.NewPageAsync();
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("FEES_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, name + ".png"), FullPage = true });
    }

    public async ValueTask DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright.Dispose();
    }
}
