using System.Globalization;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// A school's notices of a month as the page's workbook: the facts of `notices export` (cli.md keeps its English
/// columns for files that programs read), with headings, statuses, dates and the sheet in the page's language.
/// </summary>
public static class NoticeSheet
{
    public static async Task<byte[]> WriteAsync(IReadOnlyList<NoticeExportRow> rows, Lang l, CancellationToken ct)
    {
        var sheet = rows.Select(r => new Dictionary<string, object?>
        {
            [l["sheet-notice-no"]] = r.NoticeNo, [l["class"]] = r.ClassName, [l["sheet-student-code"]] = r.StudentCode, [l["pupil"]] = r.StudentName,
            [l["payment-code"]] = r.PaymentCode, [l["sheet-month"]] = r.Period, [l["sheet-due"]] = r.AmountDue, [l["sheet-paid"]] = r.AmountPaid,
            [l["sheet-balance"]] = r.Balance, [l["status"]] = PupilWords.Status(l, r.Status, r.Overdue == "yes"),
            [l["sheet-due-date"]] = DateOnly.ParseExact(r.DueDate, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
            [l["sheet-account"]] = r.AccountNo, [l["sheet-vietqr"]] = r.VietQr,
        }).ToList();
        using var ms = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(ms, new Dictionary<string, object> { [l["sheet-notices"]] = sheet }, cancellationToken: ct);
        return ms.ToArray();
    }
}
