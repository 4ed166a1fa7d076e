using System.Diagnostics;
using System.Text;

namespace TdmEdu.Fees.Api.Tests.Receipts;

/// <summary>
/// The check, as an operator runs it: every receipt of a month exported as kept (`fees ereceipts export-xml`)
/// and verified by xmlsec1, not our code, trusting only each school's certificate (scripts/verify-receipts); one
/// amount changed in one file makes that file, and only it, fail.
/// </summary>
public sealed class IndependentVerificationTests
{
    private static string Root() => Support.Repository.Root;

    private static async Task<(int Code, string Output)> VerifyAsync(string dir)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(Root(), "scripts", "verify-receipts"), dir, Support.SandboxSigning.Folder }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task EveryReceiptOfAMonth_IsVerifiedByXmlsec1_AndAChangedAmountFailsThatReceiptOnly()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        foreach (var (notice, amount) in new[] { ("TS01-202509-00001", "1371800"), ("TS01-202509-00002", "200000"), ("TS01-202509-00003", "150000") })
            await fees.OkAsync("payments", "cash", "--notice", notice, "--amount", amount);
        await fees.OkAsync("receipts", "cancel", "--receipt", "TS01/EBL01/25T/0000002", "--reason", "Sai tên người nộp");
        var dir = Path.Combine(fees.Folder, "export");

        Assert.Contains("4 signed receipt(s) of 1 school(s) issued in 2025-09", await fees.OkAsync("ereceipts", "export-xml", "--month", "2025-09", "--out", dir));
        var (code, output) = await VerifyAsync(dir);
        Assert.True(code == 0, output);
        Assert.Contains("total: 4 verified, 0 failed", output);

        var file = Path.Combine(dir, "TS01", "EBL01-25T-0000003.xml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(file, Encoding.UTF8)).Replace("<TgTien>150000</TgTien>", "<TgTien>950000</TgTien>", StringComparison.Ordinal),
            new UTF8Encoding(false));
        (code, output) = await VerifyAsync(dir);
        Assert.Equal(1, code);
        Assert.Contains("FAIL " + file, output);
        Assert.Contains("total: 3 verified, 1 failed", output);
    }
}
