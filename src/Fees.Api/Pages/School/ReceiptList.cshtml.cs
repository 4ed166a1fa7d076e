using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Printing;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>The receipts a school issued on one day, by series and number (bảng kê biên lai): on screen, as a PDF, as a workbook.</summary>
[ShowsPupils]
public sealed class ReceiptListModel(FeesDb db, BusinessClock clock, Lang lang) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Ngay { get; set; }
    public CounterBooks.ReceiptList List { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct) =>
        !SchoolAccess.CanSeePupils(User, school) ? Forbid() : await LoadAsync(school, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetPdfAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        if (!await LoadAsync(school, ct)) return NotFound();
        var pdf = TablePdf.Render($"BẢNG KÊ BIÊN LAI THU TIỀN · {List.School}", [$"Ngày {Lang.Date(List.Day)}"], Columns, List.Receipts.Select(Cells),
            [["", "", "", "Cộng biên lai có hiệu lực", "", "", Lang.Number(List.ValidVnd), ""], ["", "", "", "Cộng biên lai đã huỷ", "", "", Lang.Number(List.CancelledVnd), ""]]);
        return File(pdf, "application/pdf", $"bang-ke-bien-lai-{List.School}-{List.Day:yyyy-MM-dd}.pdf");
    }

    public async Task<IActionResult> OnGetXlsxAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return Forbid();
        if (!await LoadAsync(school, ct)) return NotFound();
        var bytes = await BookSheets.ReceiptListAsync(List, lang, ct);
        return File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{(lang.English ? "receipts" : "bang-ke-bien-lai")}-{List.School}-{List.Day:yyyy-MM-dd}.xlsx");
    }

    private static readonly TablePdf.Column[] Columns =
        [new("Ký hiệu", 80), new("Số biên lai", 170), new("Giờ", 40), new("Người nộp", 120), new("Học sinh", 120), new("Hình thức", 70), new("Số tiền", 80, true), new("Trạng thái", 70)];

    private static string[] Cells(CounterBooks.ReceiptEntry r) =>
        [r.Series, r.Reference, CashBookModel.Local(r.IssuedAt), r.Payer ?? "", r.Pupil, Method(r.Method), Lang.Number(r.AmountVnd), Status(r.Status)];

    public static string Method(string method) => method == PaymentMethods.Cash ? "Tiền mặt" : "Chuyển khoản";

    public static string Status(string status) => status switch
    {
        ReceiptStates.PendingSignature => "Có hiệu lực, chờ ký số",
        ReceiptStates.Replaced => "Đã thay thế",
        ReceiptStates.Rejected => "Bị cơ quan thuế từ chối",
        _ => ReceiptStates.IsLive(status) ? "Có hiệu lực" : "Đã huỷ",
    };

    public static string Method(Lang l, string method) => l[method == PaymentMethods.Cash ? "receipt-method-cash" : "receipt-method-bank"];

    public static string Status(Lang l, string status) => l["receipt-status-" + status];

    private async Task<bool> LoadAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanSeePupils(User, school)) return false;
        var day = clock.Today;
        if (Ngay is not null && !DateOnly.TryParseExact(Ngay, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day)) return false;
        if (!Lang.IsSensibleDay(day)) return false;
        List = (await new CounterBooks(db).ReceiptsAsync(school.ToUpperInvariant(), day, ct))!;
        return List is not null;
    }
}
