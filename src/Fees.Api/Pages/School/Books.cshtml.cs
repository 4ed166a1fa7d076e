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
/// The month for the school's books (docs/contracts/vouchers.md, support.md): the vouchers by account, to download for
/// the accounting software, and the claim for what the state paid. The accountant's only: the claim names the
/// evidence of each pupil's ground, which no other role sees.
/// </summary>
[MovesMoney]
public sealed class BooksModel(FeesDb db, NoticeMonths months) : PageModel
{
    public string School { get; private set; } = "";
    public BillingMonth Month { get; private set; }
    public MonthPicker Picker { get; private set; } = null!;
    public List<VoucherLine> Lines { get; private set; } = [];
    public List<SupportMonthTotal> Support { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string school, string period, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!await LoadAsync(school, period, ct)) return NotFound();
        Lines = await new Vouchers(db).QueryAsync(School, Month, ct);
        Support = (await new SupportClaim(db).QueryAsync(School, Month.Key, Month.Key, ct)).Totals;
        return Page();
    }

    public async Task<IActionResult> OnGetVouchersAsync(string school, string period, string? format, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!await LoadAsync(school, period, ct)) return NotFound();
        var xlsx = format != "csv";
        var bytes = await Vouchers.BytesAsync(await new Vouchers(db).QueryAsync(School, Month, ct), xlsx, ct);
        return File(bytes, xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv", $"chung-tu-{School}-{Month}.{(xlsx ? "xlsx" : "csv")}");
    }

    public async Task<IActionResult> OnGetSupportAsync(string school, string period, string? scope, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (!await LoadAsync(school, period, ct)) return NotFound();
        var year = SchoolYear.Containing(Month);
        var (from, to, label) = scope == "year"
            ? (year.MonthOf(SchoolYear.FirstMonth).Key, year.MonthOf(SchoolYear.FirstMonth - 1).Key, year.ToString())
            : (Month.Key, Month.Key, Month.ToString());
        var (rows, totals) = await new SupportClaim(db).QueryAsync(School, from, to, ct);
        return File(await SupportClaim.BytesAsync(rows, totals, xlsx: true, ct), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"ho-tro-{School}-{label}.xlsx");
    }

    private async Task<bool> LoadAsync(string school, string period, CancellationToken ct)
    {
        if (!BillingMonth.TryParse(period, out var month) || !Lang.IsSensibleDay(month.FirstDay)) return false;
        var code = school.ToUpperInvariant();
        if (!await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.Schools, s => s.Code == code, ct)) return false;
        (School, Month) = (code, month);
        Picker = await MonthPicker.ForAsync(months, code, month, m => $"/truong/{code}/{m}/so-sach", ct);
        return true;
    }
}
