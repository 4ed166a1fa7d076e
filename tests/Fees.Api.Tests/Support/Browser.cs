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

    /// <summary>The password every test login gets (given by environment variable, as `users add` takes it).</summary>
    public const string Password = "Chuan-Mat-Khau-2025";

    public static async Task AddLoginAsync(Fees fees, string email, string name, string role, string? school = null)
    {
        var variable = "FEES_TEST_PW_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Password);
        List<string> args = ["users", "add", "--email", email, "--name", name, "--role", role, "--password-env", variable];
        if (school is not null) args.AddRange(["--school", school]);
        await fees.OkAsync([.. args]);
    }

    /// <summary>Signs in through the form, as a person would; the caller waits for the page it expects.</summary>
    public static async Task SignInAsync(IPage page, string email, string password = Password)
    {
        await page.GotoAsync("/dang-nhap");
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
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
