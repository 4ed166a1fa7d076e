using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Printing;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>The counter's cash book of one day (sổ quỹ tiền mặt): on screen, as a PDF to sign and file, as a workbook.</summary>
[ShowsPupils]
public sealed class CashBookModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Ngay { get; set; }
    public CounterBooks.CashBook Book { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct) =>
        !SchoolAccess.CanSeePupils(User, school) ? Forbid() : await LoadAsync(school, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetPdfAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        if (!await LoadAsync(school, ct)) return NotFound();
        var pdf = TablePdf.Render($"SỔ QUỸ TIỀN MẶT · {Book.School}", [$"Ngày {Lang.Date(Book.Day)}", $"Tồn đầu ngày: {Lang.Money(Book.OpeningVnd)}"], Columns,
            Book.Entries.Select(Cells), [["", "", "Cộng trong ngày", "", Lang.Number(Book.InVnd), Lang.Number(Book.OutVnd), ""], ["", "", "Tồn cuối ngày", "", "", "", Lang.Number(Book.ClosingVnd)]]);
        return File(pdf, "application/pdf", $"so-quy-{Book.School}-{Book.Day:yyyy-MM-dd}.pdf");
    }

    public async Task<IActionResult> OnGetXlsxAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        if (!await LoadAsync(school, ct)) return NotFound();
        var bytes = await BookSheets.CashBookAsync(Book, lang, ct);
        return File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{(lang.English ? "cash-book" : "so-quy")}-{Book.School}-{Book.Day:yyyy-MM-dd}.xlsx");
    }

    private static readonly TablePdf.Column[] Columns =
        [new("Giờ", 40), new("Số chứng từ", 170), new("Diễn giải", 200), new("Học sinh", 130), new("Thu", 80, true), new("Chi", 80, true), new("Tồn", 90, true)];

    private static string[] Cells(CounterBooks.CashEntry e) =>
        [Local(e.At), e.Document, e.Text, e.Pupil ?? "", e.InVnd == 0 ? "" : Lang.Number(e.InVnd), e.OutVnd == 0 ? "" : Lang.Number(e.OutVnd), Lang.Number(e.BalanceVnd)];

    public static string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, BusinessClock.Zone).ToString("HH:mm", CultureInfo.InvariantCulture);

    private async Task<bool> LoadAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return false;
        var day = clock.Today;
        if (Ngay is not null && !DateOnly.TryParseExact(Ngay, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)) return false;
        if (!Lang.IsSensibleDay(day)) return false;
        Book = (await new CounterBooks(db).CashBookAsync(school.ToUpperInvariant(), day, ct))!;
        return Book is not null;
    }
}
