using Microsoft.Playwright;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// Headless Chromium from Debian (./fees test installs it and sets FEES_CHROMIUM), driven by Playwright.
/// One Chromium serves the whole test run (starting Playwright's driver and a browser costs more than most page
/// tests); each test gets contexts of its own, as separate as two people's browsers, closed when it ends.
/// With FEES_SCREENSHOTS set, the tests keep their screens there (./fees screenshots refreshes docs/screenshots).
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    private static readonly SemaphoreSlim Starting = new(1, 1);
    private static IPlaywright? _playwright;
    private static IBrowser? _shared;
    private readonly List<IBrowserContext> _contexts = [];

    private Browser(IBrowser chromium) => Chromium = chromium;

    public IBrowser Chromium { get; }

    public static async Task<Browser> LaunchAsync() => new(await SharedAsync());

    private static async Task<IBrowser> SharedAsync()
    {
        await Starting.WaitAsync();
        try
        {
            if (_shared is { IsConnected: true } running) return running;
            var path = Environment.GetEnvironmentVariable("FEES_CHROMIUM") is { Length: > 0 } p ? p
                : File.Exists("/usr/bin/chromium") ? "/usr/bin/chromium"
                : throw new InvalidOperationException("Chromium is missing: run the tests with ./fees test, which installs it from Debian packages.");
            if (_playwright is null)
            {
                _playwright = await Playwright.CreateAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _playwright.Dispose();
            }
            _shared = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true, Args = ["--no-sandbox"] });
            return _shared;
        }
        finally
        {
            Starting.Release();
        }
    }

    public async Task<IPage> PageAsync(Uri baseAddress, int width = 1280, int height = 800)
    {
        var context = await ContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(), ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "vi-VN",
        });
        return await context.NewPageAsync();
    }

    /// <summary>A context of this test's own (another person's browser), closed with the test.</summary>
    public async Task<IBrowserContext> ContextAsync(BrowserNewContextOptions options)
    {
        var context = await Chromium.NewContextAsync(options);
        lock (_contexts) _contexts.Add(context);
        return context;
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
        List<IBrowserContext> mine;
        lock (_contexts) mine = [.. _contexts];
        foreach (var context in mine) await context.CloseAsync();
    }
}
