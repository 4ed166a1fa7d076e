using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// The administrator's acts on a school, on PostgreSQL: refusals that name the field, the import's store used for every
/// change, an account that has received money retired and never rewritten, the last account in use kept, the receipt
/// series of a new year started not before its year, and one audit row per act.
/// </summary>
public sealed class SchoolDeskTests
{
    private const string Vcb = "0281000111222";

    private static async Task<T> DoAsync<T>(Support.Fees fees, Func<SchoolDesk, Task<T>> act)
    {
        await using var db = fees.Db.Open();
        return await act(new SchoolDesk(db, new BusinessClock(fees.Clock), new Actor("web:qt@so.vn")));
    }

    private static Task<Said> AddTs03Async(Support.Fees fees, string code = "TS03", string accountNo = "11112222333") =>
        DoAsync(fees, d => d.AddSchoolAsync(new(code, "Trường Mầm non Thử Nghiệm", "MN", "Chánh Nghĩa"), new("BIDV", accountNo, "TRUONG MN THU NGHIEM"), CancellationToken.None));

    [Fact]
    public async Task AddSchool_WithBadFields_IsRefusedNamingEachFieldInVietnamese_AndWritesNothing()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();

        var bad = await Assert.ThrowsAsync<BadInputException>(() => DoAsync(fees, d => d.AddSchoolAsync(
            new("TS 03", "", "MN", null), new("ACB", "12", "TRUONG"), CancellationToken.None)));
        var taken = await Assert.ThrowsAsync<BadInputException>(() => AddTs03Async(fees, code: "ts01"));
        var owned = await Assert.ThrowsAsync<BadInputException>(() => AddTs03Async(fees, accountNo: "65210000000001"));

        Assert.Equal(["school_code", "name", "bank", "account_no"], bad.Problems.Select(p => p.Column));
        Assert.Equal(["Mã trường \"TS 03\" không hợp lệ: chỉ gồm chữ, số, '-' và '_', tối đa 20 ký tự.", "Tên trường còn trống.",
            "Ngân hàng \"ACB\" không phải ngân hàng hệ thống thu qua (BIDV, VCB, MSB); tài khoản ngân hàng khác thu qua kênh trung gian (cột Thu qua: SePay, Casso hoặc payOS).", "Số tài khoản không hợp lệ: từ 6 đến 19 chữ hoặc số."],
            bad.Problems.Select(p => p.ReasonVi));
        Assert.Equal("Mã trường TS01 đã có; hãy sửa trường đó hoặc chọn mã khác.", taken.Problems.Single().ReasonVi);
        Assert.Equal("Số tài khoản này đã thuộc về một trường khác.", owned.Problems.Single().ReasonVi);
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM schools"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE actor = 'web:qt@so.vn'"));
    }

    [Fact]
    public async Task AddSchool_ThenEditIt_StoresTheSchoolItsAccountAndASeries_WithOneAuditRowPerActUnderItsCode()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();

        var added = await AddTs03Async(fees);
        var edited = await DoAsync(fees, d => d.EditSchoolAsync("ts03", new("", "Trường Mầm non Hoa Sen", "MG", "Phú Cường"), CancellationToken.None));
        var again = await DoAsync(fees, d => d.EditSchoolAsync("TS03", new("", "Trường Mầm non Hoa Sen", "MG", null), CancellationToken.None));

        Assert.Equal("Đã thêm trường TS03 cùng tài khoản BIDV.", added.Vi);
        Assert.Equal("Đã lưu thông tin trường TS03.", edited.Vi);
        Assert.Contains("không có gì thay đổi", again.Vi);
        Assert.Equal(["TS03|Trường Mầm non Hoa Sen|MG|Phú Cường|BIDV|11112222333|1"], await fees.Db.ListAsync("""
            SELECT s.code || '|' || s.name || '|' || s.level || '|' || w.name || '|' || a.bank || '|' || a.account_no || '|' ||
                   (SELECT count(*) FROM receipt_series r WHERE r.school_id = s.id AND r.is_default)
            FROM schools s JOIN wards w ON w.id = s.ward_id JOIN school_bank_accounts a ON a.school_id = s.id WHERE s.code = 'TS03'
            """));
        Assert.Equal(["schools.add|school|TS03|web:qt@so.vn", "schools.edit|school|TS03|web:qt@so.vn"], await fees.Db.ListAsync(
            "SELECT action || '|' || entity || '|' || entity_key || '|' || actor FROM audit_log WHERE actor = 'web:qt@so.vn' ORDER BY id"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE details::text LIKE '%11112222333%'"));
    }

    [Fact]
    public async Task EditSchool_GivesTheTaxCodeAndAddressItsEReceiptsState_AndABadTaxCodeIsRefusedByItsField()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await AddTs03Async(fees);

        var bad = await Assert.ThrowsAsync<BadInputException>(() => DoAsync(fees, d => d.EditSchoolAsync("TS03",
            new("", "Trường Mầm non Hoa Sen", "MG", null, "37-0000", "Phú Cường"), CancellationToken.None)));
        await DoAsync(fees, d => d.EditSchoolAsync("TS03", new("", "Trường Mầm non Hoa Sen", "MG", null, "3700000003", "5 Yersin, Phú Cường"), CancellationToken.None));

        Assert.Equal(["tax_code"], bad.Problems.Select(p => p.Column));
        Assert.Contains("Mã số thuế \"37-0000\" không hợp lệ", bad.Problems.Single().ReasonVi);
        Assert.Equal(["3700000003|5 Yersin, Phú Cường"], await fees.Db.ListAsync("SELECT tax_code || '|' || address FROM schools WHERE code = 'TS03'"));
    }

    [Fact]
    public async Task EditAccount_ThatHasReceivedMoney_RetiresItWithItsLines_AndTheNewNumberTakesItsPlace_WhileAnUnusedOneIsEditedInPlace()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S\n:25:{Vcb}\n:60F:C250901VND0,\n:61:2509020902C70000,NTRFNONREF//FT1\n:86:ung ho\n"),
            "--bank", "VCB", "--account", Vcb);
        await using (var db = fees.Db.Open())
        {
            var vcb = db.BankAccounts.Single(a => a.AccountNo == Vcb).Id;
            var said = await new SchoolDesk(db, new BusinessClock(fees.Clock), new Actor("web:qt@so.vn"))
                .EditAccountAsync("TS01", vcb, new("", "0281000999888", "TRUONG TIEU HOC THU NGHIEM"), CancellationToken.None);
            Assert.Contains("đã nhận tiền nên được giữ lại", said.Vi);
        }
        await AddTs03Async(fees);
        await using (var db = fees.Db.Open())
        {
            var unused = db.BankAccounts.Single(a => a.AccountNo == "11112222333").Id;
            await new SchoolDesk(db, new BusinessClock(fees.Clock), new Actor("web:qt@so.vn"))
                .EditAccountAsync("TS03", unused, new("", "11112222444", "TRUONG MN HOA SEN"), CancellationToken.None);
        }

        Assert.Equal([$"{Vcb}|retired|1", "0281000999888|in use|0"], await fees.Db.ListAsync("""
            SELECT a.account_no || '|' || CASE WHEN a.retired_at IS NULL THEN 'in use' ELSE 'retired' END || '|' ||
                   (SELECT count(*) FROM statement_lines l WHERE l.account_id = a.id)
            FROM school_bank_accounts a JOIN schools s ON s.id = a.school_id WHERE s.code = 'TS01' ORDER BY a.retired_at NULLS LAST
            """));
        Assert.Equal(["11112222444|TRUONG MN HOA SEN"], await fees.Db.ListAsync(
            "SELECT account_no || '|' || account_name FROM school_bank_accounts a JOIN schools s ON s.id = a.school_id WHERE s.code = 'TS03'"));
        // The file path keeps the same rule: the retired number is not taken back, and the import says so in words.
        var back = await fees.RunAsync("schools", "import", fees.File("back.csv",
            $"school_code,name,level,bank,account_no,account_name\nTS01,Trường Tiểu học Thử Nghiệm,TH,VCB,{Vcb},TRUONG TIEU HOC THU NGHIEM\n"));
        Assert.Equal(2, back.ExitCode);
        Assert.Contains("this account was retired; a retired account is not used again.", back.Err);
    }

    [Fact]
    public async Task RetireAccount_KeepsTheRow_IsRefusedForTheLastAccountInUse_AndNoticesNoLongerOfferIt()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Support.Samples.StudentHeader +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Đặng Văn Hùng,0912000040,,,\n"));
        await using var db = fees.Db.Open();
        var desk = new SchoolDesk(db, new BusinessClock(fees.Clock), new Actor("web:qt@so.vn"));
        var bidv = db.BankAccounts.Single(a => a.AccountNo == "65210000000001").Id;
        var msb = db.BankAccounts.Single(a => a.AccountNo == "03000000000001").Id;

        var said = await desk.RetireAccountAsync("TS02", bidv, CancellationToken.None);
        var last = await Assert.ThrowsAsync<BusinessRuleException>(() => desk.RetireAccountAsync("TS02", msb, CancellationToken.None));
        var twice = await Assert.ThrowsAsync<BusinessRuleException>(() => desk.RetireAccountAsync("TS02", bidv, CancellationToken.None));
        var other = await Assert.ThrowsAsync<BusinessRuleException>(() => desk.RetireAccountAsync("TS01", msb, CancellationToken.None));
        await fees.OkAsync("notices", "issue", "--period", "2025-09", "--school", "TS02");
        var export = await fees.OkAsync("notices", "export", "--period", "2025-09", "--school", "TS02", "--out", Path.Combine(fees.Folder, "n.csv"));

        Assert.Contains("không còn hiện cho người nộp", said.Vi);
        Assert.StartsWith("Đây là tài khoản cuối cùng trường TS02 đang dùng", last.Vietnamese);
        Assert.Contains("không có tài khoản này đang dùng", twice.Vietnamese);
        Assert.Contains("không có tài khoản này đang dùng", other.Vietnamese);
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM school_bank_accounts a JOIN schools s ON s.id = a.school_id WHERE s.code = 'TS02'"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'schools.account-retire' AND entity_key = 'TS02'"));
        var csv = await File.ReadAllTextAsync(Path.Combine(fees.Folder, "n.csv"));
        Assert.Contains("03000000000001", csv);
        Assert.DoesNotContain("65210000000001", csv);
        Assert.NotEmpty(export);
    }

    [Fact]
    public async Task AnOldStyleSeries_IsKeptButNeverNumbersANewReceipt_AndNextYearsSeriesWaitsForItsFirstDay()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("schools", "import", fees.File("old.csv", "school_code,name,level,bank,account_no,account_name,receipt_template,receipt_series\n" +
            $"TS01,Trường Tiểu học Thử Nghiệm,TH,VCB,{Vcb},TRUONG TIEU HOC THU NGHIEM,01BLP0-001,AA-24E\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-09", "--school", "TS01");
        var notice = (await fees.Db.ListAsync("SELECT notice_no FROM notices n JOIN schools s ON s.id = n.school_id WHERE s.code = 'TS01' ORDER BY notice_no LIMIT 1")).Single();
        var paid = await fees.OkAsync("payments", "cash", "--notice", notice, "--amount", "100000");

        var early = await Assert.ThrowsAsync<BusinessRuleException>(() => DoAsync(fees, d => d.StartNextSeriesAsync("TS01", CancellationToken.None)));
        fees.Clock.Now = new DateTimeOffset(2025, 12, 31, 17, 0, 0, TimeSpan.Zero); // 1 January 2026, 00:00 in Vietnam
        var started = await DoAsync(fees, d => d.StartNextSeriesAsync("TS01", CancellationToken.None));
        var next = await fees.OkAsync("payments", "cash", "--notice", notice, "--amount", "100000");

        // Accepted on import, shown on old receipts, never used for new ones (contracts/ereceipts.md §3).
        Assert.Contains("EBL01/25T/0000001", paid);
        Assert.StartsWith("Dãy biên lai năm 2026 chỉ bắt đầu được từ ngày 01/01/2026", early.Vietnamese);
        Assert.Equal("Từ nay biên lai của trường TS01 được đánh số theo ký hiệu EBL01 26T, bắt đầu từ 1.", started.Vi);
        Assert.Contains("EBL01/26T/0000001", next);
        Assert.Equal(["01BLP0-001|AA-24E|0|false", "EBL01|26T|1|true", "EBL01|25T|1|false"], await fees.Db.ListAsync("""
            SELECT r.template || '|' || r.series || '|' || (r.next_number - 1) || '|' || r.is_default
            FROM receipt_series r JOIN schools s ON s.id = r.school_id WHERE s.code = 'TS01' AND r.series IN ('AA-24E', '25T', '26T') ORDER BY r.series DESC
            """));
        Assert.Equal(2025, SchoolDesk.NextSeriesYear("AA-24E", new DateOnly(2025, 9, 5)));
        Assert.Equal(2026, SchoolDesk.NextSeriesYear("25T", new DateOnly(2025, 12, 31)));
        Assert.Equal(2026, SchoolDesk.NextSeriesYear("25T", new DateOnly(2026, 1, 1)));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'schools.series' AND entity_key = 'TS01'"));
    }

    [Fact]
    public async Task AnAccountAtAnotherBank_IsAddedThroughAnAggregator_AndAnEditOfItsNameKeepsTheChannel()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();

        await DoAsync(fees, d => d.AddAccountAsync("TS01", new("ICB", "1020304050", "TRUONG TIEU HOC", "SEPAY"), CancellationToken.None));
        var id = Guid.Parse((await fees.Db.ListAsync("SELECT id FROM school_bank_accounts WHERE account_no = '1020304050'")).Single());
        await DoAsync(fees, d => d.EditAccountAsync("TS01", id, new("ICB", "1020304050", "TRUONG TIEU HOC THU NGHIEM"), CancellationToken.None));

        Assert.Equal("SEPAY/970415/TRUONG TIEU HOC THU NGHIEM",
            (await fees.Db.ListAsync("SELECT channel || '/' || bin || '/' || account_name FROM school_bank_accounts WHERE account_no = '1020304050'")).Single());
    }
}
