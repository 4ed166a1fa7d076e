using System.Diagnostics;

namespace TdmEdu.Fees.Api.Tests.Printing;

/// <summary>The text of a PDF as poppler's pdftotext reads it (installed by ./fees test with poppler-utils).</summary>
public static class PdfText
{
    public static async Task<string> ExtractAsync(string pdf)
    {
        var tool = File.Exists("/usr/bin/pdftotext") ? "/usr/bin/pdftotext"
            : throw new InvalidOperationException("pdftotext is missing: run the tests with ./fees test, which installs poppler-utils.");
        using var p = Process.Start(new ProcessStartInfo(tool, [pdf, "-"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
        return text;
    }

    /// <summary>When screenshots are being refreshed, the PDF's first page as a PNG beside them.</summary>
    public static async Task KeepFirstPageAsync(string pdf, string name)
    {
        if (Environment.GetEnvironmentVariable("FEES_SCREENSHOTS") is not { Length: > 0 } folder) return;
        Directory.CreateDirectory(folder);
        using var p = Process.Start(new ProcessStartInfo("/usr/bin/pdftoppm", ["-r", "110", "-png", "-singlefile", "-f", "1", "-l", "1", pdf, Path.Combine(Path.GetFullPath(folder), name)]))!;
        await p.WaitForExitAsync();
        Assert.Equal(0, p.ExitCode);
    }
}
