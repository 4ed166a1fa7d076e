using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.BankAdapters.Statements.Files;
using static TdmEdu.Fees.Api.Tests.Support.StatementDesk;

namespace TdmEdu.Fees.Api.Tests.Hostile;

/// <summary>
/// Outside attack on the column map of statement exports, each a test then a fix: another account's export named in
/// the ways exports name it, totals and balances on a dated row, a known layout imported by a map saved after its
/// preview, and a map taking over a bank's layout.
/// </summary>
public sealed class ColumnMapAttackTests
{

    private static ColumnChoice Split => new(HeaderLine: 3, Date: 0, Amount: 2, ColumnMaps.BySplit, null, Debit: 3, Description: 4, Reference: 1, MonthFirst: false);

    /// <summary>The existing fixture's layout ("Tài khoản:" then the number), but naming another account.</summary>
    [Fact]
    public async Task AnExportNamingAnotherAccount_AsTaiKhoan_IsRefused_NotImportedAsTheSchools()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var an = await CodeAsync(fees, "7900000001");
        var file = fees.File("so-phu-khac.csv",
            "Sổ phụ tài khoản,,,,\nTài khoản:,9999888877776,,,\nNgày,Mã giao dịch,Tiền vào,Tiền ra,Diễn giải\n" +
            $"10/09/2025,GX01,1371800,,{an} hoc phi\n");
        var held = await uploads.HoldAsync("TS01", await AccountIdAsync(db), file);

        var refused = await Assert.ThrowsAsync<BadInputException>(() => uploads.MapAsync("TS01", held.UploadId, Split));

        Assert.Contains("tài khoản 9999888877776", refused.Problems[0].ReasonVi);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        // Money of account 9999888877776 never pays the school's notice.
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
    }

    /// <summary>"Số tài khoản: 9999…" in one cell, as CSV exports often write it: the number is in the label's own cell.</summary>
    [Fact]
    public async Task AnExportNamingAnotherAccount_InTheLabelsOwnCell_IsRefused_NotImportedAsTheSchools()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var an = await CodeAsync(fees, "7900000001");
        var file = fees.File("so-phu-khac2.csv",
            "Sổ phụ tài khoản,,,,\nSố tài khoản: 9999888877776,,,,\nNgày,Mã giao dịch,Tiền vào,Tiền ra,Diễn giải\n" +
            $"10/09/2025,GX02,1371800,,{an} hoc phi\n");
        var held = await uploads.HoldAsync("TS01", await AccountIdAsync(db), file);

        var refused = await Assert.ThrowsAsync<BadInputException>(() => uploads.MapAsync("TS01", held.UploadId, Split));
        Assert.Equal(("so-phu-khac2.csv", 4), (refused.Problems[0].Source, refused.Problems[0].Line));
        Assert.Contains("tài khoản 9999888877776", refused.Problems[0].ReasonVi);
    }

    /// <summary>A closing balance and a total that carry the period's last day are read as money in.</summary>
    [Fact]
    public async Task ATotalOrBalanceRowWithADate_IsNotReadAsMoney()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var an = await CodeAsync(fees, "7900000001");
        var file = fees.File("so-phu-tong.csv",
            "Sổ phụ tài khoản,,,,\nTài khoản:,0281000111222,,,\nNgày,Mã giao dịch,Tiền vào,Tiền ra,Diễn giải\n" +
            $"10/09/2025,GT01,1371800,,{an} hoc phi\n11/09/2025,GT02,,11000,phi SMS\n" +
            "30/09/2025,,1371800,,Tổng cộng\n30/09/2025,,25000000,,Số dư cuối kỳ\n");
        var held = await uploads.HoldAsync("TS01", await AccountIdAsync(db), file);

        var preview = await uploads.MapAsync("TS01", held.UploadId, Split);

        Assert.Equal(["credit 1371800", "debit 11000"], preview.Lines.Select(l => $"{l.Line.Direction} {l.Line.AmountVnd}"));
        Assert.Equal(2, preview.Import.WarningsVi.Count(w => w.Contains("dòng tổng hoặc số dư")));
    }

    private static string Vcb(string an) =>
        "NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM - VIETCOMBANK,,,,\nSố tài khoản:,0281000111222,,,\n" +
        "Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Nội dung chi tiết\n" +
        $"10/09/2025,VC01,,1371800,{an} hoc phi\n11/09/2025,VC02,11000,,phi SMS\n12/09/2025,VC03,250000,,rut tien\n";

    /// <summary>A credits-only report of the same account (no bank's layout), mapped and imported through the page's path: its map is saved.</summary>
    private static async Task SaveCreditsOnlyMapAsync(Support.Fees fees, StatementUploads uploads, Guid account)
    {
        var g = fees.File("bao-cao-thu.csv", "Báo cáo tiền vào,,\nNgày giao dịch,Số tiền ghi có,Nội dung chi tiết\n12/09/2025,500000,nop tien\n");
        var held = await uploads.HoldAsync("TS01", account, g);
        var p = await uploads.MapAsync("TS01", held.UploadId, new ColumnChoice(2, 0, 1, ColumnMaps.BySign, null, null, 2, null, false));
        await uploads.ImportAsync("TS01", p.UploadId, p.Sha256);
    }

    /// <summary>A VCB export previewed by its layout (3 lines), then a map saved meanwhile: the import reads by that map instead.</summary>
    [Fact]
    public async Task AKnownLayoutPreviewed_IsImportedAsPreviewed_NotByAMapSavedSince()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var account = await AccountIdAsync(db);
        var preview = await uploads.PreviewAsync("TS01", account, fees.File("vcb-09.csv", Vcb(await CodeAsync(fees, "7900000001"))), "auto");
        Assert.Equal(("vcb-xlsx", 3), (preview.Import.Format, preview.Import.Lines));

        await SaveCreditsOnlyMapAsync(fees, uploads, account);
        var imported = await uploads.ImportAsync("TS01", preview.UploadId, preview.Sha256);

        Assert.Equal(3, imported.Import.Lines);
        Assert.Equal(["VC01 credit 1371800", "VC02 debit 11000", "VC03 debit 250000"],
            await fees.Db.ListAsync("SELECT concat_ws(' ', bank_ref, direction, amount_vnd) FROM statement_lines WHERE bank_ref LIKE 'VC%' ORDER BY bank_ref"));
    }

    /// <summary>The account's map goes before the bank's layout: a VCB export then loses its debits without a word.</summary>
    [Fact]
    public async Task ASavedMap_DoesNotSilentlyDropTheDebitsOfAKnownBankLayout()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var account = await AccountIdAsync(db);
        await SaveCreditsOnlyMapAsync(fees, uploads, account);

        var preview = await uploads.PreviewAsync("TS01", account, fees.File("vcb-09.csv", Vcb(await CodeAsync(fees, "7900000001"))), "auto");

        Assert.Equal(("vcb-xlsx", 3), (preview.Import.Format, preview.Import.Lines));
    }
}
