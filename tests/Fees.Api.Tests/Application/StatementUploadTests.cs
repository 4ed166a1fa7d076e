using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Matching;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using static TdmEdu.Fees.Api.Tests.Support.StatementDesk;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// A statement uploaded on the school's page, on a real PostgreSQL: the preview runs the real import and reconciliation
/// and leaves no row behind; the import is what the command line's import and reconcile give; a file of another school's
/// account, a broken file and a file changed since its preview are refused, in Vietnamese, with nothing written.
/// </summary>
public sealed class StatementUploadTests
{

    /// <summary>Every table a preview could write to (the upload kept for the import aside).</summary>
    private const string Counts = """
        SELECT concat_ws(' ', (SELECT count(*) FROM statement_lines), (SELECT count(*) FROM statement_imports), (SELECT count(*) FROM reconciliations),
               (SELECT count(*) FROM payments), (SELECT count(*) FROM allocations), (SELECT count(*) FROM receipts), (SELECT count(*) FROM bank_ref_claims),
               (SELECT count(*) FROM audit_log), (SELECT count(*) FROM messages), (SELECT sum(amount_paid_vnd) FROM notices),
               (SELECT string_agg(next_number::text, ',' ORDER BY id) FROM receipt_series))
        """;

    /// <summary>A morning's statement: An's fee by code, Bích's with two digits swapped, a gift for the class fund.</summary>
    private static async Task<string> MorningAsync(Support.Fees fees, string name = "morning.sta", string account = Account)
    {
        var an = await CodeAsync(fees, "7900000001");
        var bich = await CodeAsync(fees, "7900000002");
        var swapped = bich[..^2] + bich[^1] + bich[^2];
        return fees.File(name, $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1371800,NTRFNONREF//FT001\n:86:{an} hoc phi\n" +
            $":61:2509100910C1001800,NTRFNONREF//FT002\n:86:hoc phi be Bich {swapped}\n" +
            ":61:2509100910C7000,NTRFNONREF//FT003\n:86:ung ho quy lop\n:62F:C250910VND2380600,\n");
    }

    [Fact]
    public async Task Preview_ShowsWhatReconciliationWouldDo_AndWritesNothing()
    {
        await using var fees = await IssuedAsync();
        var an = await CodeAsync(fees, "7900000001");
        // FT001 came in an earlier file: the preview shows it as imported before, with the outcome it has.
        await fees.OkAsync("statements", "import", fees.File("earlier.sta", $":20:S0\n:25:{Account}\n:61:2509100910C1371800,NTRFNONREF//FT001\n:86:{an} hoc phi\n"),
            "--bank", "VCB", "--account", Account);
        await fees.OkAsync("reconcile");
        var before = (await fees.Db.ListAsync(Counts)).Single();
        await using var db = fees.Db.Open();

        var preview = await Uploads(fees, db).PreviewAsync("TS01", await AccountIdAsync(db, Account), await MorningAsync(fees), "auto");

        Assert.Equal(before, (await fees.Db.ListAsync(Counts)).Single());
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_uploads"));
        Assert.Equal((3, 2, 1), (preview.Import.Lines, preview.Import.Inserted, preview.Import.Skipped));
        Assert.Equal(["FT001", "FT002", "FT003"], preview.Lines.Select(l => l.Line.BankRef));
        var (earlier, bich, gift) = (preview.Lines[0], preview.Lines[1], preview.Lines[2]);
        Assert.Equal((true, "matched", "TS01-202509-00001", "7900000001"), (earlier.ImportedBefore, earlier.Line.Outcome, earlier.Line.NoticeNos, earlier.Line.StudentCodes));
        Assert.Equal((false, "suggested"), (bich.ImportedBefore, bich.Line.Outcome));
        Assert.Contains("sai chữ số kiểm tra", bich.Line.ReasonVi);
        // Bích's classmate one code away is one slip away too; Bích owes exactly the amount and comes first.
        var suggestions = SuggestionJson.Read(bich.Line.Suggestions);
        Assert.Equal((await CodeAsync(fees, "7900000002"), true), (suggestions[0].PaymentCode, suggestions[0].Best));
        Assert.All(suggestions.Skip(1), s => Assert.False(s.Best));
        Assert.Equal((false, "unmatched"), (gift.ImportedBefore, gift.Line.Outcome));
        Assert.Equal(64, preview.Sha256.Length);
    }

    [Fact]
    public async Task Import_AfterThePreview_IsWhatTheCommandLinesImportAndReconcileGive()
    {
        await using var page = await IssuedAsync();
        await using var cli = await IssuedAsync();
        await using var db = page.Db.Open();
        var uploads = Uploads(page, db);
        var preview = await uploads.PreviewAsync("TS01", await AccountIdAsync(db, Account), await MorningAsync(page), "auto");

        var done = await uploads.ImportAsync("ts01", preview.UploadId, preview.Sha256);
        await cli.OkAsync("statements", "import", await MorningAsync(cli), "--bank", "VCB", "--account", Account);
        await cli.OkAsync("reconcile");

        Assert.Equal((3, 3, 0), (done.Import.Lines, done.Import.Inserted, done.Import.Skipped));
        Assert.Equal(new Dictionary<string, int> { ["matched"] = 1, ["suggested"] = 1, ["unmatched"] = 1 }, done.Outcomes);
        const string Decided = """
            SELECT l.bank_ref || ' ' || r.outcome || ' ' || r.reason || ' | ' || coalesce(r.reason_vi, '-') || ' ' || r.suggestions::text
                   || ' ' || coalesce((SELECT p.amount_vnd::text || ' ' || s.student_code FROM payments p JOIN students s ON s.id = p.student_id WHERE p.id = r.payment_id), '')
            FROM statement_lines l JOIN reconciliations r ON r.statement_line_id = l.id ORDER BY l.bank_ref
            """;
        Assert.Equal(await cli.Db.ListAsync(Decided), await page.Db.ListAsync(Decided));
        Assert.Equal(1_371_800, await page.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal(0, await page.Db.ScalarAsync("SELECT count(*) FROM statement_uploads"));
        // The same upload again is gone: imported once.
        var again = await Assert.ThrowsAsync<BusinessRuleException>(() => uploads.ImportAsync("TS01", preview.UploadId, preview.Sha256));
        Assert.Contains("không còn chờ nhập", again.Vietnamese);
    }

    [Fact]
    public async Task Preview_OfAnotherSchoolsAccount_IsRefusedNamingThatAccount_AndKeepsNothing()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var before = (await fees.Db.ListAsync(Counts)).Single();

        var refused = await Assert.ThrowsAsync<BadInputException>(async () =>
            await Uploads(fees, db).PreviewAsync("TS01", await AccountIdAsync(db, Account), await MorningAsync(fees, "bidv.sta", "65210000000001"), "auto"));

        Assert.All(refused.Problems, p => Assert.Contains("sao kê là của tài khoản 65210000000001, không phải tài khoản VCB 0281000111222", p.ReasonVi));
        Assert.Equal(4, refused.Problems[0].Line);
        Assert.Equal(before, (await fees.Db.ListAsync(Counts)).Single());
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_uploads"));
        // Nor may a school preview onto an account of another school.
        var other = await Assert.ThrowsAsync<BadInputException>(async () =>
            await Uploads(fees, db).PreviewAsync("TS01", await AccountIdAsync(db, "65210000000001"), await MorningAsync(fees, "x.sta", "65210000000001"), "auto"));
        Assert.Contains("tài khoản ngân hàng của trường TS01", other.Problems[0].ReasonVi);
    }

    [Fact]
    public async Task Preview_OfABrokenFile_NamesTheLineAndWhyInVietnamese()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var broken = fees.File("broken.sta", $":20:S1\n:25:{Account}\n:61:2509100910C1371800\n:86:hoc phi\n");

        var refused = await Assert.ThrowsAsync<BadInputException>(async () =>
            await Uploads(fees, db).PreviewAsync("TS01", await AccountIdAsync(db, Account), broken, "auto"));

        var problem = Assert.Single(refused.Problems);
        Assert.Equal(("broken.sta", 3), (problem.Source, problem.Line));
        Assert.StartsWith("broken.sta, dòng 3: dòng :61: \"2509100910C1371800\" không đọc được", problem.Render(vietnamese: true));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
    }

    [Fact]
    public async Task Import_OfAFileChangedSinceItsPreview_IsRefused_AndImportsNothing()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var preview = await uploads.PreviewAsync("TS01", await AccountIdAsync(db, Account), await MorningAsync(fees), "auto");
        await fees.Db.ExecAsync("UPDATE statement_uploads SET content = content || '\\x0a'::bytea");

        var changed = await Assert.ThrowsAsync<BusinessRuleException>(() => uploads.ImportAsync("TS01", preview.UploadId, preview.Sha256));
        var otherHash = await Assert.ThrowsAsync<BusinessRuleException>(() => uploads.ImportAsync("TS01", preview.UploadId, new string('0', 64)));
        var otherSchool = await Assert.ThrowsAsync<BusinessRuleException>(() => uploads.ImportAsync("TS02", preview.UploadId, preview.Sha256));

        Assert.Contains("không phải tệp đã xem trước", changed.Vietnamese);
        Assert.Contains("không phải tệp đã xem trước", otherHash.Vietnamese);
        Assert.Contains("không còn chờ nhập", otherSchool.Vietnamese);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
    }

    [Fact]
    public async Task Preview_WhileAnotherStatementIsRead_IsToldToTryAgain_AndAfterItRuns()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var gate = new StatementGate { Wait = TimeSpan.Zero };
        var uploads = new StatementUploads(db, new BusinessClock(fees.Clock), Accountant) { Gate = gate };
        var account = await AccountIdAsync(db, Account);
        var file = await MorningAsync(fees);

        // Another preview holds the server's turn (four at once used to take every connection and answer 503).
        BusinessRuleException busy;
        using (await gate.EnterAsync(CancellationToken.None))
            busy = await Assert.ThrowsAsync<BusinessRuleException>(() => uploads.PreviewAsync("TS01", account, file, "auto"));
        var later = await uploads.PreviewAsync("TS01", account, file, "auto");

        Assert.Equal("Máy chủ đang đọc một sao kê khác; chưa đọc hay nhập gì. Hãy thử lại sau một phút.", busy.Vietnamese);
        Assert.Equal(3, later.Import.Lines);
    }

    [Fact]
    public async Task Uploads_WaitingForImport_AreAtMostThreePerSchool_TheNewestKept()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var account = await AccountIdAsync(db, Account);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            fees.Clock.Now = fees.Clock.Now.AddMinutes(1);
            ids.Add((await Uploads(fees, db).PreviewAsync("TS01", account, await MorningAsync(fees, $"m{i}.sta"), "auto")).UploadId);
        }

        var kept = await db.StatementUploads.AsNoTracking().OrderBy(u => u.At).Select(u => u.Id).ToListAsync();
        Assert.Equal(ids[^3..], kept);
        // An upload pushed out is refused at import like one that is too old.
        var gone = await Assert.ThrowsAsync<BusinessRuleException>(() => Uploads(fees, db).ImportAsync("TS01", ids[0], "0"));
        Assert.Contains("không còn chờ nhập", gone.Vietnamese);
    }
}
