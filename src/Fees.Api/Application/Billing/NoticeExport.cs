using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.VietQr;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace TdmEdu.Fees.Api.Application.Billing;

public sealed record NoticeExportRow(
    string NoticeNo, string SchoolCode, string ClassName, string StudentCode, string StudentName, string PaymentCode,
    string Period, long AmountDue, long AmountPaid, long Balance, string Status, string Overdue, string DueDate,
    string BankBin, string AccountNo, string VietQr);

/// <summary>The VietQR a notice carries: dynamic, for its current balance, with the payment code and the month in the purpose.</summary>
public static class NoticeQr
{
    public static string? Payload(NoticeStatus status, long balanceVnd, string? bin, string? account, string paymentCode, BillingMonth month) =>
        status is NoticeStatus.Issued or NoticeStatus.PartiallyPaid ? Encode(balanceVnd, bin, account, Purpose(paymentCode, month)) : null;

    /// <summary>The purpose a notice's QR carries, as the bank will show it: the payment code and the month (yyyyMM).</summary>
    public static string Purpose(string paymentCode, BillingMonth month) => VietQrPayload.FoldPurpose($"{paymentCode} {month.Key}");

    /// <summary>
    /// One QR for every open month a school is owed for a pupil. Its purpose names no month: the ledger then pays the
    /// oldest open months first, so the exact total pays each of them.
    /// </summary>
    public static string? ForOpenMonths(long totalVnd, string? bin, string? account, string paymentCode) =>
        Encode(totalVnd, bin, account, Purpose(paymentCode));

    /// <summary>The purpose of the QR for all open months: the payment code alone.</summary>
    public static string Purpose(string paymentCode) => VietQrPayload.FoldPurpose(paymentCode);

    private static string? Encode(long amountVnd, string? bin, string? account, string purpose) =>
        // A transfer is capped below 500,000,000 đồng; a larger sum is paid in parts, without a QR amount.
        amountVnd <= 0 || bin is null || account is null || amountVnd > VietQrPayload.MaxAmountVnd
            ? null
            : VietQrPayload.ForPayment(bin, account, amountVnd, purpose).Encode();
}

/// <summary>Notices of a period as CSV or XLSX with the columns cli.md fixes.</summary>
public sealed class NoticeExport(FeesDb db, BusinessClock clock)
{
    public static readonly string[] Columns =
    [
        "notice_no", "school_code", "class_name", "student_code", "student_name", "payment_code", "period", "amount_due",
        "amount_paid", "balance", "status", "overdue", "due_date", "bank_bin", "account_no", "vietqr",
    ];

    public async Task<List<NoticeExportRow>> QueryAsync(BillingMonth month, string? schoolCode, CancellationToken ct = default)
    {
        var today = clock.Today;
        var rows = await (from n in db.Notices.AsNoTracking()
                          join s in db.Students.AsNoTracking() on n.StudentId equals s.Id
                          join sc in db.Schools.AsNoTracking() on n.SchoolId equals sc.Id
                          where n.PeriodKey == month.Key && (schoolCode == null || sc.Code == schoolCode)
                          orderby sc.Code, n.ClassName, n.NoticeNo
                          select new { n, s.StudentCode, s.FullName, s.PaymentCode, SchoolCode = sc.Code }).ToListAsync(ct);
        var accounts = (await db.BankAccounts.AsNoTracking().Where(a => a.RetiredAt == null).OrderBy(a => a.Position).ToListAsync(ct))
            .GroupBy(a => a.SchoolId).ToDictionary(g => g.Key, g => g.First());
        return rows.Select(r =>
        {
            var balance = r.n.AmountDueVnd - r.n.AmountPaidVnd;
            accounts.TryGetValue(r.n.SchoolId, out var acc);
            return new NoticeExportRow(r.n.NoticeNo, r.SchoolCode, r.n.ClassName, r.StudentCode, r.FullName, r.PaymentCode,
                month.ToString(), r.n.AmountDueVnd, r.n.AmountPaidVnd, balance, r.n.Status.ToWire(),
                NoticeStatusNames.IsOverdue(r.n.Status, r.n.DueDate, balance, today) ? "yes" : "no",
                r.n.DueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), acc?.Bin ?? "", acc?.AccountNo ?? "",
                NoticeQr.Payload(r.n.Status, balance, acc?.Bin, acc?.AccountNo, r.PaymentCode, month) ?? "");
        }).ToList();
    }

    public async Task<int> WriteAsync(BillingMonth month, string? schoolCode, string path, CancellationToken ct = default)
    {
        if (schoolCode is not null && !await db.Schools.AnyAsync(s => s.Code == schoolCode, ct))
            throw new BadInputException("--school", null, null, $"school {schoolCode} is not known.");
        var rows = await QueryAsync(month, schoolCode, ct);
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null && !Directory.Exists(dir))
            throw new BadInputException("--out", null, null, $"the folder {dir} does not exist.");
        if (path.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase))
        {
            var sheet = rows.Select(r => (IDictionary<string, object>)Columns.Zip(Cells(r)).ToDictionary(x => x.First, x => x.Second));
            await MiniExcel.SaveAsAsync(path, sheet, sheetName: "notices", overwriteFile: true, cancellationToken: ct);
            return rows.Count;
        }
        await Files.CsvFile.WriteAsync(path, Columns, rows.Select(r => Cells(r).Select(c => c.ToString() ?? "")), ct);
        return rows.Count;
    }

    private static object[] Cells(NoticeExportRow r) =>
    [
        r.NoticeNo, r.SchoolCode, r.ClassName, r.StudentCode, r.StudentName, r.PaymentCode, r.Period, r.AmountDue, r.AmountPaid,
        r.Balance, r.Status, r.Overdue, r.DueDate, r.BankBin, r.AccountNo, r.VietQr,
    ];
}
