using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.BankAdapters.Statements.Files;
using static TdmEdu.Fees.Api.Tests.Support.StatementDesk;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// Second attack round on the column map, on the money, each a test then a fix: the same bank line imported twice when
/// one file is read by two maps, or by a bank layout and a map; the audit blind to it.
/// </summary>
public sealed class ColumnMapDoubleImportAttackTests
{
    /// <summary>An export of TS01's VCB account in a layout no bank has: An's fee by code and a bank fee.</summary>
    internal static string Unknown(string an) =>
        "Lịch sử giao dịch,,,,\nSố tài khoản:,0281000111222,,,\nNgày giao dịch,Số tham chiếu,Ghi có,Ghi nợ,Nội dung\n" +
        $"10/09/2025,GD01,1371800,,{an} hoc phi\n11/09/2025,GD02,,11000,phi SMS\n";

    /// <summary>
    /// The same export mapped twice: once with its reference column, once (on "Map the columns again") with the reference
    /// left "none". The lines are keyed by reference the first time and by date/amount/content the second: every line is
    /// stored twice, the pupil's 1,371,800 đồng counted twice.
    /// </summary>
    [Fact]
    public async Task TheSameFile_MappedWithAndWithoutItsReferenceColumn_DoesNotImportItsLinesTwice()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var account = await AccountIdAsync(db);
        var file = fees.File("lich-su-gd-09.csv", Unknown(await CodeAsync(fees, "7900000001")));

        var held = await uploads.HoldAsync("TS01", account, file);
        var p1 = await uploads.MapAsync("TS01", held.UploadId, new ColumnChoice(3, 0, 2, ColumnMaps.BySplit, null, 3, 4, Reference: 1, false));
        await uploads.ImportAsync("TS01", p1.UploadId, p1.Sha256);

        var again = await uploads.HoldAsync("TS01", account, file);
        var p2 = await uploads.MapAsync("TS01", again.UploadId, new ColumnChoice(3, 0, 2, ColumnMaps.BySplit, null, 3, 4, Reference: null, false));
        await uploads.ImportAsync("TS01", p2.UploadId, p2.Sha256);

        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Equal(1371800, await fees.Db.ScalarAsync("SELECT coalesce(sum(amount_vnd), 0) FROM statement_lines WHERE direction = 'credit'"));
    }

    private static string Vcb(string an) =>
        "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM - VIETCOMBANK,,,,\nSố tài khoản:,0281000111222,,,\n" +
        "Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Nội dung chi tiết\n" +
        $"10/09/2025,VC01,,1371800,{an} hoc phi\n11/09/2025,VC02,11000,,phi SMS\n";

    /// <summary>
    /// A VCB export imported by the bank's layout, then the same file uploaded with the format "columns" (offered in the
    /// upload form) and mapped without the reference: the lines come in a second time.
    /// </summary>
    [Fact]
    public async Task AFileImportedByItsBankLayout_ThenByAMapWithoutReference_DoesNotImportItsLinesTwice()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var account = await AccountIdAsync(db);
        var file = fees.File("vcb-09.csv", Vcb(await CodeAsync(fees, "7900000001")));
        var byLayout = await uploads.PreviewAsync("TS01", account, file, "auto");
        Assert.Equal("vcb-xlsx", byLayout.Import.Format);
        await uploads.ImportAsync("TS01", byLayout.UploadId, byLayout.Sha256);

        var held = await uploads.HoldAsync("TS01", account, file);
        var byMap = await uploads.MapAsync("TS01", held.UploadId, new ColumnChoice(3, 0, 3, ColumnMaps.BySplit, null, 2, 4, Reference: null, false));
        await uploads.ImportAsync("TS01", byMap.UploadId, byMap.Sha256);

        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Equal(1371800, await fees.Db.ScalarAsync("SELECT coalesce(sum(amount_vnd), 0) FROM statement_lines WHERE direction = 'credit'"));
    }

    /// <summary>
    /// The audit sees a bank line stored twice, once with its reference and once without (what two maps of one file did
    /// before the importer joined them): the negative control is that line written twice by hand.
    /// </summary>
    [Fact]
    public async Task ALineStoredTwice_WithAndWithoutItsReference_IsCaughtByTheAudit()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var account = await AccountIdAsync(db);
        var file = fees.File("lich-su-gd-09.csv", Unknown(await CodeAsync(fees, "7900000001")));
        var held = await uploads.HoldAsync("TS01", account, file);
        var p = await uploads.MapAsync("TS01", held.UploadId, new ColumnChoice(3, 0, 2, ColumnMaps.BySplit, null, 3, 4, 1, false));
        await uploads.ImportAsync("TS01", p.UploadId, p.Sha256);
        await fees.OkAsync("audit");

        await fees.Db.ExecAsync("""
            INSERT INTO statement_lines (id, account_id, import_id, bank, dedupe_key, bank_ref, booking_date, direction, reversal, amount_vnd, content, file_line)
            SELECT gen_random_uuid(), account_id, import_id, bank, 'nr:twice', NULL, booking_date, direction, reversal, amount_vnd, '  ' || upper(content), file_line
            FROM statement_lines WHERE bank_ref IS NOT NULL AND direction = 'credit'
            """);

        var audit = await fees.RunAsync("audit");
        Assert.NotEqual(0, audit.ExitCode);
        Assert.Contains("stored twice, once with a bank reference and once without", audit.Out + audit.Err);
        fees.PlantsBrokenState();
    }

    /// <summary>The doubled line is not only stored: reconciliation books the pupil's one transfer as money received twice.</summary>
    [Fact]
    public async Task TheSameFile_MappedTwice_DoesNotBookThePupilsTransferTwice()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var account = await AccountIdAsync(db);
        var file = fees.File("lich-su-gd-09.csv", Unknown(await CodeAsync(fees, "7900000001")));
        foreach (var reference in new int?[] { 1, null })
        {
            var held = await uploads.HoldAsync("TS01", account, file);
            var p = await uploads.MapAsync("TS01", held.UploadId, new ColumnChoice(3, 0, 2, ColumnMaps.BySplit, null, 3, 4, reference, false));
            await uploads.ImportAsync("TS01", p.UploadId, p.Sha256);
        }

        Assert.Equal(1371800, await fees.Db.ScalarAsync("SELECT coalesce(sum(amount_vnd), 0) FROM payments"));
    }
}
