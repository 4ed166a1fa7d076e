using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Books;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Pages.Shared;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// The month's bank book of each school account against the bank's statement (docs/contracts/bank-book.md): the balances
/// the bank stated, the book's entries, and why each line or entry is on one side only. The accountant's, like the vouchers.
/// </summary>
[MovesMoney]
public sealed class BankBookModel(FeesDb db, NoticeMonths months) : PageModel
{
    public string School { get; private set; } = "";
    public BillingMonth Month { get; private set; }
    public MonthPicker Picker { get; private set; } = null!;
    public List<BankBook.Account> Accounts { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string school, string period, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!await LoadAsync(school, period, ct)) return NotFound();
        return Page();
    }

    public async Task<IActionResult> OnGetFileAsync(string school, string period, string? format, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!await LoadAsync(school, period, ct)) return NotFound();
        var xlsx = format != "csv";
        return File(await BankBookFile.BytesAsync(Accounts, xlsx, ct), xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv",
            $"so-tien-gui-{School}-{Month}.{(xlsx ? "xlsx" : "csv")}");
    }

    private async Task<bool> LoadAsync(string school, string period, CancellationToken ct)
    {
        if (!BillingMonth.TryParse(period, out var month) || !Lang.IsSensibleDay(month.FirstDay)) return false;
        var code = school.ToUpperInvariant();
        if (!await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Schools, s => s.Code == code, ct)) return false;
        (School, Month) = (code, month);
        Picker = await MonthPicker.ForAsync(months, code, month, m => $"/truong/{code}/{m}/so-tien-gui", ct);
        Accounts = await new BankBook(db).QueryAsync(code, month, null, ct);
        return true;
    }
}
