using System.Diagnostics;
using SkiaSharp;
using TdmEdu.Fees.Api.Printing;
using ZXing;
using ZXing.Common;

namespace TdmEdu.Fees.Api.Tests.Printing;

/// <summary>Printed notices, read back as a scanner reads them: rendered to images (pdftoppm), the QR and the barcode decoded.</summary>
public sealed class NoticePdfTests
{
    internal static string? Decode(string png, BarcodeFormat format)
    {
        using var bitmap = SKBitmap.Decode(png);
        using var bgra = bitmap.Copy(SKColorType.Bgra8888);
        var source = new RGBLuminanceSource(bgra.Bytes, bgra.Width, bgra.Height, RGBLuminanceSource.BitmapFormat.BGRA32);
        return new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [format], TryHarder = true } }.Decode(source)?.Text;
    }

    internal static async Task<string[]> RenderAsync(string pdf, string folder)
    {
        var pdftoppm = File.Exists("/usr/bin/pdftoppm") ? "/usr/bin/pdftoppm"
            : throw new InvalidOperationException("pdftoppm is missing: run the tests with ./fees test, which installs poppler-utils.");
        using var p = Process.Start(new ProcessStartInfo(pdftoppm, ["-r", "150", "-png", pdf, Path.Combine(folder, "page")]) { RedirectStandardError = true })!;
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
        return Directory.GetFiles(folder, "page-*.png").Order(StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public async Task NoticesPdf_APageEachWithAScannableVietQrAndCode128PaymentCode()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var pdf = Path.Combine(fees.Folder, "ts01.pdf");
        var export = Path.Combine(fees.Folder, "n.csv");
        await fees.OkAsync("notices", "export", "--period", "2025-09", "--out", export);

        var output = await fees.OkAsync("notices", "pdf", "--period", "2025-09", "--school", "TS01", "--out", pdf);
        var pages = await RenderAsync(pdf, fees.Folder);

        Assert.Contains("Wrote 3 notice(s) of TS01 for 2025-09", output);
        Assert.Equal(3, pages.Length);
        string code;
        await using (var db = fees.Db.Open()) code = db.Students.Single(s => s.StudentCode == "7900000002").PaymentCode;
        var vietqr = File.ReadAllLines(export).Single(l => l.Contains("TS01-202509-00002", StringComparison.Ordinal)).Split(',')[^1];
        Assert.Equal(vietqr, Decode(pages[1], BarcodeFormat.QR_CODE));
        Assert.Equal(code, Decode(pages[1], BarcodeFormat.CODE_128));
        if (Environment.GetEnvironmentVariable("FEES_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            File.Copy(pages[1], Path.Combine(folder, "notice-pdf.png"), true);
        }
    }

    [Fact]
    public async Task NoticesPdf_TwoToAPage_HalvesThePages_AndBothQrCodesScan()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        var pdf = Path.Combine(fees.Folder, "two.pdf");
        var export = Path.Combine(fees.Folder, "n.csv");
        await fees.OkAsync("notices", "export", "--period", "2025-09", "--out", export);

        Assert.Contains("two to a page", await fees.OkAsync("notices", "pdf", "--period", "2025-09", "--school", "TS01", "--per-page", "2", "--out", pdf));
        var pages = await RenderAsync(pdf, fees.Folder);

        Assert.Equal(2, pages.Length);
        using var bitmap = SKBitmap.Decode(pages[0]);
        using var bgra = bitmap.Copy(SKColorType.Bgra8888);
        var found = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true } }
            .DecodeMultiple(new RGBLuminanceSource(bgra.Bytes, bgra.Width, bgra.Height, RGBLuminanceSource.BitmapFormat.BGRA32))?.Select(r => r.Text).Order().ToArray();
        var expected = File.ReadAllLines(export).Where(l => l.Contains("TS01-202509-0000", StringComparison.Ordinal)).Take(2).Select(l => l.Split(',')[^1]).Order().ToArray();
        Assert.Equal(expected, found);
        var text = await PdfText.ExtractAsync(pdf);
        Assert.Equal(3, text.Split("THÔNG BÁO CÁC KHOẢN THU").Length - 1);
        await PdfText.KeepFirstPageAsync(pdf, "notices-two-per-page");
        Assert.Equal(2, (await fees.RunAsync("notices", "pdf", "--period", "2025-09", "--school", "TS01", "--per-page", "4", "--out", pdf)).ExitCode);
    }

    [Fact]
    public void Code128_OfAPaymentCode_HasStartDataCheckAndStop()
    {
        var widths = Code128.Widths("HS10000012");

        // Start B, ten symbols, the check symbol (6 modules each, 11 wide) and the stop (13 wide).
        Assert.Equal(12 * 6 + 7, widths.Count);
        Assert.Equal(12 * 11 + 13, widths.Sum());
        Assert.Equal([2, 1, 1, 2, 1, 4], widths.Take(6));
        Assert.Equal([2, 3, 3, 1, 1, 1, 2], widths.TakeLast(7));
        Assert.Throws<ArgumentException>(() => Code128.Widths("Hồ"));
    }
}
