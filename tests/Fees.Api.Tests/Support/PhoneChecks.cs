using Deque.AxeCore.Commons;
using Microsoft.Playwright;
using TdmEdu.Fees.BankAdapters.VietQr;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>What every parent page must hold on a 390×844 phone, and the parent's steps the tests share.</summary>
public static class PhoneChecks
{
    public const int Width = 390, Height = 844;

    /// <summary>axe-core's script, as Deque ships it for .NET (an embedded resource of Deque.AxeCore.Commons).</summary>
    private static readonly Lazy<string> AxeScript = new(() =>
    {
        using var stream = typeof(AxeResult).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is not in Deque.AxeCore.Commons");
        return new StreamReader(stream).ReadToEnd();
    });

    /// <summary>
    /// axe on the page itself: the WCAG 2.0, 2.1 and 2.2 rules of levels A and AA (labels, names, contrast, target size
    /// among them), violations only. Deque's Playwright wrapper finishes every run in a fresh page of its own (about
    /// 1.7 s a call against 0.15 s for the run itself); our pages have no frames, so the run in the page is the same check.
    /// </summary>
    private const string AxeRun = """
        async () => {
            const r = await axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                resultTypes: ['violations'],
            });
            return r.violations.map(v => `${v.id} (${v.help}): ${v.nodes.map(n => n.html).join(' | ')}`);
        }
        """;

    /// <summary>What axe finds wrong on the page as it stands (its script is put in once per document).</summary>
    public static async Task<string[]> AxeViolationsAsync(IPage page)
    {
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'")) await page.EvaluateAsync(AxeScript.Value);
        return await page.EvaluateAsync<string[]>(AxeRun);
    }

    public static Task<IPage> PhoneAsync(Browser browser, BankHost host) => browser.PageAsync(host.BaseAddress, Width, Height);

    /// <summary>The look-up form as a parent fills it; waits for the pupil's page.</summary>
    public static async Task LookUpAsync(IPage page, string code, string dateOfBirth)
    {
        await page.GotoAsync("/phu-huynh");
        await page.FillAsync("#code", code);
        await page.FillAsync("#dob", dateOfBirth);
        await page.ClickAsync("button[type=submit]");
        await page.Locator(".pupil").First.WaitForAsync();
    }

    /// <summary>Unfolds every month, so that what is checked next includes their lines, QR codes and buttons.</summary>
    public static Task OpenEveryMonthAsync(IPage page) =>
        page.EvaluateAsync("() => document.querySelectorAll('details.month').forEach(d => d.open = true)");

    /// <summary>
    /// Nothing scrolls sideways; every link, button, field and fold is at least 44×44 px; every element shows the page's
    /// font; and axe finds no violation of the WCAG A and AA rules.
    /// </summary>
    public static async Task AssertFitsAPhoneAsync(IPage page, string name)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"{name}: the page scrolls sideways ({widths[0]} px in {widths[1]} px)");
        Assert.Equal(Width, widths[1]);

        var small = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('a[href], button, input, select, textarea, summary')]
                .filter(e => e.getClientRects().length > 0)
                .map(e => [e, e.getBoundingClientRect()])
                .filter(([, r]) => r.width < 44 || r.height < 44)
                .map(([e, r]) => `${e.outerHTML.slice(0, 90)} is ${Math.round(r.width)}×${Math.round(r.height)}`)
            """);
        Assert.True(small.Length == 0, $"{name}: touch targets under 44 px:\n{string.Join("\n", small)}");

        var fonts = await page.EvaluateAsync<string[]>("""
            () => {
                const font = getComputedStyle(document.body).fontFamily;
                return [...document.body.querySelectorAll('*')]
                    .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).fontFamily !== font)
                    .map(e => `${e.tagName.toLowerCase()}: ${getComputedStyle(e).fontFamily}`);
            }
            """);
        Assert.True(fonts.Length == 0, $"{name}: elements not in the page's font:\n{string.Join("\n", fonts.Distinct())}");

        var axe = await AxeViolationsAsync(page);
        Assert.True(axe.Length == 0, $"{name}: axe found\n" + string.Join("\n", axe));
    }

    /// <summary>The VietQR an image of the page carries, read from the PNG the browser was given.</summary>
    public static async Task<VietQrPayload> QrAsync(IPage page, string address)
    {
        var response = await page.APIRequest.GetAsync(address);
        Assert.Equal(200, response.Status);
        var text = QrImageReader.Read(await response.BodyAsync());
        Assert.NotNull(text);
        return VietQrDecoder.Decode(text);
    }

    /// <summary>The VietQR of the image an element shows (after checking the browser itself loaded it).</summary>
    public static async Task<VietQrPayload> QrOfAsync(IPage page, ILocator img)
    {
        await img.ScrollIntoViewIfNeededAsync();
        Assert.True(await img.EvaluateAsync<int>("img => img.decode().then(() => img.naturalWidth)") > 100, "the QR image loads in the page");
        return await QrAsync(page, (await img.GetAttributeAsync("src"))!);
    }
}
