using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.BankAdapters.Statements.Files;
using static TdmEdu.Fees.Api.Tests.Support.StatementDesk;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// A statement export no layout knows, on a real PostgreSQL: kept to be mapped, read by the columns chosen, previewed
/// with nothing written, imported and reconciled, and its map kept for the account, so that the next export of that
/// layout (columns moved or not) is read at once, on the page and by `statements import`. The map an import reads by
/// is the one its preview showed; another school can neither see nor use the upload.
/// </summary>
public sealed class StatementColumnMapTests
{

    /// <summary>An export of the school's VCB account from an accounting tool: a title block, in and out in two columns.</summary>
    private static async Task<string> ExportAsync(Support.Fees fees, string name, string refs = "GD01,GD02", bool moved = false)
    {
        var an = await CodeAsync(fees, "7900000001");
        var r = refs.Split(',');
        return fees.File(name, moved
            ? $"Sổ phụ tài khoản,,,,\nTài khoản:,{Account},,,\nDiễn giải,Tiền ra,Tiền vào,Ngày,Mã giao dịch\n" +
              $"{an} hoc phi,,1371800,10/09/2025,{r[0]}\nphi SMS,11000,,11/09/2025,{r[1]}\n"
            : $"Sổ phụ tài khoản,,,,\nTài khoản:,{Account},,,\nNgày,Mã giao dịch,Tiền vào,Tiền ra,Diễn giải\n" +
              $"10/09/2025,{r[0]},1371800,,{an} hoc phi\n11/09/2025,{r[1]},,11000,phi SMS\n,,1371800,11000,Tổng cộng\n");
    }

    private static ColumnChoice Choice => new(HeaderLine: 3, Date: 0, Amount: 2, ColumnMaps.BySplit, null, Debit: 3, Description: 4, Reference: 1, MonthFirst: false);

    [Fact]
    public async Task ASheetNoLayoutKnows_IsRefusedAsColumnsUnknown_ThenMappedPreviewedImported_AndTheNextExportIsReadByTheKeptMap()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var account = await AccountIdAsync(db);
        var first = await ExportAsync(fees, "so-phu-09.csv");

        // Unknown: the page is told so (it offers the map), the command line gets the reason in words.
        var unknown = await Assert.ThrowsAsync<BadInputException>(() => uploads.PreviewAsync("TS01", account, first, "auto"));
        Assert.True(unknown.ColumnsUnknown);
        var cli = await fees.RunAsync("statements", "import", first, "--bank", "VCB", "--account", Account);
        Assert.Equal(2, cli.ExitCode);
        Assert.Contains("map its columns once on the statement page", cli.Err);

        // Held, then mapped: the preview reads two lines and the total as a note, and writes nothing.
        var held = await uploads.HoldAsync("TS01", account, first);
        Assert.Equal([1, 2, 3, 4, 5, 6], held.Rows.Select(r => r.Line));
        Assert.Null(held.Saved);
        var preview = await uploads.MapAsync("TS01", held.UploadId, Choice);
        Assert.Equal((2, 2), (preview.Import.Lines, preview.Import.Inserted));
        Assert.Equal(["matched", "ignored"], preview.Lines.Select(l => l.Line.Outcome));
        Assert.Equal(["credit", "debit"], preview.Lines.Select(l => l.Line.Direction));
        Assert.Contains(preview.Import.WarningsVi, w => w.Contains("dòng 6") && w.Contains("tong cong"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_column_maps"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_uploads"));

        // Imported: the money is paid and the map is kept for the account.
        var imported = await uploads.ImportAsync("TS01", preview.UploadId, preview.Sha256);
        Assert.Equal(1, imported.Outcomes["matched"]);
        Assert.Equal(1_371_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal(["columns"], await fees.Db.ListAsync("SELECT format FROM statement_imports"));
        Assert.Equal(["tien vao|tien ra|web:kt@ts01.vn"],
            await fees.Db.ListAsync("SELECT concat_ws('|', map->'amount'->>'header', map->'debit'->>'header', saved_by) FROM statement_column_maps"));

        // October's export puts the columns elsewhere: read at once by the same words, on the page and by the command line.
        var october = await ExportAsync(fees, "so-phu-10.csv", "GD03,GD04", moved: true);
        var again = await uploads.PreviewAsync("TS01", account, october, "auto");
        Assert.Equal(("columns", 2), (again.Import.Format, again.Import.Inserted));
        Assert.Equal(["credit", "debit"], again.Lines.Select(l => l.Line.Direction));
        await fees.OkAsync("statements", "import", await ExportAsync(fees, "so-phu-10b.csv", "GD05,GD06", moved: true), "--bank", "VCB", "--account", Account);
        await fees.OkAsync("statements", "import", await ExportAsync(fees, "so-phu-10c.csv", "GD07,GD08"), "--bank", "VCB", "--account", Account, "--format", "columns");
        Assert.Equal(6, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Equal(3, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines WHERE direction = 'debit'"));
    }

    [Fact]
    public async Task AnXlsxExport_ItsAmountsNumbersAndItsDatesExcelSerials_IsMappedAndReadAsWritten()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var an = await CodeAsync(fees, "7900000001");
        static string Text(string cell, string text) => $"<c r=\"{cell}\" t=\"inlineStr\"><is><t>{text}</t></is></c>";
        var serial = new DateTime(2025, 9, 10).ToOADate();
        var path = Path.Combine(fees.Folder, "giao-dich.xlsx");
        await File.WriteAllBytesAsync(path, Support.HostileFiles.Xlsx("<sheetData>" +
            $"<row r=\"1\">{Text("A1", "Thời điểm")}{Text("B1", "Số tiền")}{Text("C1", "Loại")}{Text("D1", "Nội dung")}</row>" +
            $"<row r=\"2\"><c r=\"A2\"><v>{serial}</v></c><c r=\"B2\"><v>1371800</v></c>{Text("C2", "C")}{Text("D2", an + " hoc phi")}</row>" +
            $"<row r=\"3\"><c r=\"A3\"><v>{serial}</v></c><c r=\"B3\"><v>-22000</v></c>{Text("C3", "D")}{Text("D3", "phi")}</row></sheetData>"));

        var held = await uploads.HoldAsync("TS01", await AccountIdAsync(db), path);
        var preview = await uploads.MapAsync("TS01", held.UploadId, new ColumnChoice(1, 0, 1, ColumnMaps.ByColumn, 2, null, 3, null, false));
        await uploads.ImportAsync("TS01", preview.UploadId, preview.Sha256);

        Assert.Equal(["2025-09-10 credit 1371800", "2025-09-10 debit 22000"],
            await fees.Db.ListAsync("SELECT concat_ws(' ', booking_date, direction, amount_vnd) FROM statement_lines ORDER BY amount_vnd DESC"));
        Assert.Equal(1_371_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
    }

    [Fact]
    public async Task TheImport_ReadsByTheMapItsPreviewShowed_NotByOneSavedSince()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var held = await uploads.HoldAsync("TS01", await AccountIdAsync(db), await ExportAsync(fees, "so-phu-09.csv"));
        var preview = await uploads.MapAsync("TS01", held.UploadId, Choice);
        // Meanwhile another accountant's import kept a map with money in and out the other way round.
        var swapped = ColumnMaps.Build("x.csv", 3, ["Ngày", "Mã giao dịch", "Tiền vào", "Tiền ra", "Diễn giải"], 0, amount: 3, ColumnMaps.BySplit, null, debit: 2, 4, 1, false);
        await fees.Db.ExecAsync($"INSERT INTO statement_column_maps (account_id, map, saved_by, saved_at) SELECT id, '{swapped.ToJson()}'::jsonb, 'other', now() FROM school_bank_accounts WHERE account_no = '{Account}'");

        await uploads.ImportAsync("TS01", preview.UploadId, preview.Sha256);

        Assert.Equal(["GD01 credit 1371800", "GD02 debit 11000"],
            await fees.Db.ListAsync("SELECT concat_ws(' ', bank_ref, direction, amount_vnd) FROM statement_lines ORDER BY bank_ref"));
        Assert.Equal(["tien vao"], await fees.Db.ListAsync("SELECT map->'amount'->>'header' FROM statement_column_maps"));
    }

    [Fact]
    public async Task AMapThatReadsNoMoney_IsRefusedByLineAndColumn_NothingKept_AndTheFileStillWaitsToBeMappedAgain()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var held = await uploads.HoldAsync("TS01", await AccountIdAsync(db), await ExportAsync(fees, "so-phu-09.csv"));

        // The description column taken for the date, and a column without a name.
        var wrong = await Assert.ThrowsAsync<BadInputException>(() => uploads.MapAsync("TS01", held.UploadId, Choice with { Date = 4, Description = 0 }));
        Assert.Equal(("so-phu-09.csv", 4, "Diễn giải"), (wrong.Problems[0].Source, wrong.Problems[0].Line, wrong.Problems[0].Column));
        var noName = await Assert.ThrowsAsync<BadInputException>(() => uploads.MapAsync("TS01", held.UploadId, Choice with { HeaderLine = 1 }));
        Assert.Contains("không có tên", noName.Problems[0].ReasonVi);
        var notAHeader = await Assert.ThrowsAsync<BadInputException>(() => uploads.MapAsync("TS01", held.UploadId, Choice with { HeaderLine = 99 }));
        Assert.Contains("dòng tiêu đề", notAHeader.Problems[0].ReasonVi);

        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_lines"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_column_maps"));
        var preview = await uploads.MapAsync("TS01", held.UploadId, Choice);
        Assert.Equal(2, preview.Import.Lines);
    }

    [Fact]
    public async Task AnotherSchool_CanNeitherSeeNorMapNorHoldForAnAccountNotItsOwn()
    {
        await using var fees = await IssuedAsync();
        await using var db = fees.Db.Open();
        var uploads = Uploads(fees, db);
        var file = await ExportAsync(fees, "so-phu-09.csv");
        var account = await AccountIdAsync(db);
        var held = await uploads.HoldAsync("TS01", account, file);

        var see = await Assert.ThrowsAsync<BusinessRuleException>(() => uploads.ColumnsAsync("TS02", held.UploadId));
        var map = await Assert.ThrowsAsync<BusinessRuleException>(() => uploads.MapAsync("TS02", held.UploadId, Choice));
        var hold = await Assert.ThrowsAsync<BadInputException>(() => uploads.HoldAsync("TS02", account, file));

        Assert.Contains("không còn chờ nhập", see.Vietnamese);
        Assert.Contains("không còn chờ nhập", map.Vietnamese);
        Assert.Contains("trường TS02", hold.Problems[0].ReasonVi);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_uploads"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM statement_column_maps"));
    }
}
