using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Roster;

/// <summary>
/// The administrator's acts on one school: add it, edit it, add, edit or retire one of its bank accounts, start the
/// receipt series of a new year. Every act is checked by <see cref="SchoolFields"/> and stored by
/// <see cref="SchoolImport.StoreAsync"/>, the path of `fees schools import`, so the page and the file keep one set of
/// rules; retiring, which no file says, is the one act written here. Each act is in the audit log under the school's code.
/// </summary>
public sealed class SchoolDesk(FeesDb db, BusinessClock clock, Actor actor)
{
    /// <summary>The template of new e-receipts (contracts/ereceipts.md §3); the series is the year's two digits and T.</summary>
    public const string ReceiptTemplate = "EBL01";

    public sealed record SchoolForm(string Code, string Name, string Level, string? Ward, string? TaxCode = null, string? Address = null);

    // Via: the aggregator a new account is collected through (SePay, Casso, payOS), empty for its bank itself.
    public sealed record AccountForm(string Bank, string AccountNo, string AccountName, string? Via = null);

    public async Task<Said> AddSchoolAsync(SchoolForm form, AccountForm account, CancellationToken ct)
    {
        var problems = new List<InputProblem>();
        var s = SchoolFields.School(form.Code, form.Name, form.Level, form.Ward, Collect(problems));
        var a = SchoolFields.Account(account.Bank, account.AccountNo, account.AccountName, Collect(problems), account.Via);
        var (taxCode, address) = SchoolFields.Tax(form.TaxCode, form.Address, Collect(problems));
        if (problems.Count == 0 && await db.Schools.AnyAsync(x => x.Code == s.Code, ct))
            problems.Add(Problem("school_code", $"there is already a school {s.Code}.", $"Mã trường {s.Code} đã có; hãy sửa trường đó hoặc chọn mã khác."));
        Refuse(problems);
        await StoreAsync(new(0, s.Code, s.Name, s.Level, s.Ward, a.Bank, a.Bin, a.AccountNo, a.AccountName, null, null, a.Channel, ChannelGiven: true)
            { TaxCode = taxCode, Address = address, TaxGiven = true }, "schools.add", ct);
        return new Said($"School {s.Code} is added with its {a.Bank} account.", $"Đã thêm trường {s.Code} cùng tài khoản {a.Bank}.");
    }

    public async Task<Said> EditSchoolAsync(string code, SchoolForm form, CancellationToken ct)
    {
        var school = await FindAsync(code, ct);
        var problems = new List<InputProblem>();
        var s = SchoolFields.School(school.Code, form.Name, form.Level, form.Ward, Collect(problems));
        var (taxCode, address) = SchoolFields.Tax(form.TaxCode, form.Address, Collect(problems));
        Refuse(problems);
        var r = await StoreAsync(SchoolOnly(s.Code, s.Name, s.Level, s.Ward) with { TaxCode = taxCode, Address = address, TaxGiven = true }, "schools.edit", ct);
        return r.SchoolsChanged == 0
            ? new Said($"School {s.Code} already had these details; nothing changed.", $"Trường {s.Code} đã có đúng các thông tin này; không có gì thay đổi.")
            : new Said($"School {s.Code} is saved.", $"Đã lưu thông tin trường {s.Code}.");
    }

    public async Task<Said> AddAccountAsync(string code, AccountForm form, CancellationToken ct)
    {
        var school = await FindAsync(code, ct);
        var problems = new List<InputProblem>();
        var a = SchoolFields.Account(form.Bank, form.AccountNo, form.AccountName, Collect(problems), form.Via);
        if (problems.Count == 0 && await db.BankAccounts.AnyAsync(x => x.SchoolId == school.Id && x.Bank == a.Bank && x.RetiredAt == null, ct))
            problems.Add(Problem("bank", $"school {school.Code} already uses a {a.Bank} account; edit it, or retire it first.",
                $"Trường {school.Code} đang dùng một tài khoản {a.Bank}; hãy sửa tài khoản đó, hoặc ngừng dùng nó trước."));
        Refuse(problems);
        await StoreAsync(WithAccount(school, a) with { ChannelGiven = true }, "schools.account-add", ct);
        return new Said($"A {a.Bank} account is added to school {school.Code}.", $"Đã thêm tài khoản {a.Bank} cho trường {school.Code}.");
    }

    /// <summary>
    /// An account's number and name. A number that has received money is never rewritten: that account is retired with
    /// its history and the new number takes its place (as the import does).
    /// </summary>
    public async Task<Said> EditAccountAsync(string code, Guid accountId, AccountForm form, CancellationToken ct)
    {
        var school = await FindAsync(code, ct);
        var account = await ActiveAccountAsync(school, accountId, ct);
        var problems = new List<InputProblem>();
        // The channel stays as it is (the bank page changes it): an account at another bank is read as collected through it.
        var a = SchoolFields.Account(account.Bank, form.AccountNo, form.AccountName, Collect(problems), account.Channel);
        Refuse(problems);
        var replaced = a.AccountNo != account.AccountNo && await SchoolImport.HasReceivedMoneyAsync(db, account.Id, ct);
        var r = await StoreAsync(WithAccount(school, a), "schools.account-edit", ct);
        if (r.AccountsChanged == 0)
            return new Said("The account already had these details; nothing changed.", "Tài khoản đã có đúng các thông tin này; không có gì thay đổi.");
        return replaced
            ? new Said($"The old {a.Bank} account has received money, so it is kept, retired, with its history; the new number is in use.",
                $"Tài khoản {a.Bank} cũ đã nhận tiền nên được giữ lại (ngừng dùng) cùng lịch sử; số tài khoản mới được dùng từ nay.")
            : new Said($"The {a.Bank} account of school {school.Code} is saved.", $"Đã lưu tài khoản {a.Bank} của trường {school.Code}.");
    }

    /// <summary>Stops offering an account to payers; it stays with its history, and money that still reaches it is still counted.</summary>
    public async Task<Said> RetireAccountAsync(string code, Guid accountId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var school = await FindAsync(code, ct);
        await db.Database.ExecuteSqlAsync($"SELECT id FROM schools WHERE id = {school.Id} FOR UPDATE", ct);
        var account = await ActiveAccountAsync(school, accountId, ct);
        if (!await db.BankAccounts.AnyAsync(x => x.SchoolId == school.Id && x.RetiredAt == null && x.Id != account.Id, ct))
            throw new BusinessRuleException($"This is the last account of school {school.Code} in use; add another account before retiring it, or parents would have nowhere to pay.",
                $"Đây là tài khoản cuối cùng trường {school.Code} đang dùng; hãy thêm tài khoản khác trước khi ngừng dùng, nếu không phụ huynh không có nơi chuyển tiền.");
        account.RetiredAt = clock.Now;
        AuditLog.Record(db, clock, actor, "schools.account-retire", "school", school.Code, new { bank = account.Bank, account = account.Id });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Said($"The {account.Bank} account of school {school.Code} is retired; it keeps its history and is no longer offered to payers.",
            $"Đã ngừng dùng tài khoản {account.Bank} của trường {school.Code}; tài khoản được giữ lại cùng lịch sử và không còn hiện cho người nộp.");
    }

    /// <summary>The year whose receipt series comes next for a school using <paramref name="current"/>: this year's, once the one in use is older.</summary>
    public static int NextSeriesYear(string? current, DateOnly today) =>
        YearOf(current) is { } year && year >= today.Year ? year + 1 : today.Year;

    /// <summary>The year a series symbol names by its two digits (26T, AA-25E), or null when it names none.</summary>
    public static int? YearOf(string? series)
    {
        var digits = System.Text.RegularExpressions.Regex.Match(series ?? "", "[0-9]{2}");
        return digits.Success ? 2000 + int.Parse(digits.Value, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>
    /// The new year's e-receipt series (EBL01, yyT) becomes the one receipts are numbered in, from 1. Not before its year:
    /// the series names the year, so receipts of December are never numbered in next year's series.
    /// </summary>
    public async Task<Said> StartNextSeriesAsync(string code, CancellationToken ct)
    {
        var school = await FindAsync(code, ct);
        var current = await db.ReceiptSeries.AsNoTracking().Where(x => x.SchoolId == school.Id && x.IsDefault).Select(x => x.Series).FirstOrDefaultAsync(ct);
        var today = clock.Today;
        var year = NextSeriesYear(current, today);
        if (year > today.Year)
            throw new BusinessRuleException($"The {year} receipt series can start on 01/01/{year}, not before: the series names its year.",
                $"Dãy biên lai năm {year} chỉ bắt đầu được từ ngày 01/01/{year}: ký hiệu mang số năm, số biên lai bắt đầu lại từ 1 mỗi năm.");
        var series = $"{year % 100:D2}T";
        await StoreAsync(SchoolOnly(school.Code, school.Name, school.Level, null) with { Template = ReceiptTemplate, Series = series }, "schools.series", ct);
        return new Said($"Receipts of school {school.Code} are now numbered in {ReceiptTemplate} {series}, from 1.",
            $"Từ nay biên lai của trường {school.Code} được đánh số theo ký hiệu {ReceiptTemplate} {series}, bắt đầu từ 1.");
    }

    private Task<SchoolImportResult> StoreAsync(SchoolImport.Row row, string action, CancellationToken ct) =>
        new SchoolImport(db, clock, actor).StoreAsync([row], ct, action);

    private static SchoolImport.Row SchoolOnly(string code, string name, string level, string? ward) =>
        new(0, code, name, level, ward, "", "", "", "", null, null);

    private static SchoolImport.Row WithAccount(School s, SchoolFields.AccountPart a) =>
        new(0, s.Code, s.Name, s.Level, null, a.Bank, a.Bin, a.AccountNo, a.AccountName, null, null, a.Channel);

    private async Task<School> FindAsync(string code, CancellationToken ct) =>
        await db.Schools.SingleOrDefaultAsync(x => x.Code == code.Trim().ToUpperInvariant(), ct)
        ?? throw new BadInputException("", null, "school_code", $"there is no school {code}.", $"Không có trường {code}.");

    private async Task<SchoolBankAccount> ActiveAccountAsync(School school, Guid accountId, CancellationToken ct) =>
        await db.BankAccounts.SingleOrDefaultAsync(x => x.Id == accountId && x.SchoolId == school.Id && x.RetiredAt == null, ct)
        ?? throw new BusinessRuleException($"School {school.Code} has no such account in use (it may be retired already).",
            $"Trường {school.Code} không có tài khoản này đang dùng (có thể đã ngừng dùng).");

    private static SchoolFields.Refuse Collect(List<InputProblem> problems) => (column, en, vi) => problems.Add(Problem(column, en, vi));

    private static InputProblem Problem(string column, string en, string vi) => new("", null, column, en, vi);

    private static void Refuse(List<InputProblem> problems)
    {
        if (problems.Count > 0) throw new BadInputException(problems);
    }
}
