using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Books;

/// <summary>One line of a voucher for the school's accounting software (docs/contracts/vouchers.md).</summary>
public sealed record VoucherLine(DateOnly Date, string VoucherNo, string VoucherType, string Debit, string Credit, long AmountVnd,
    string Payer, string StudentCode, string Description);

/// <summary>
/// A school's month as vouchers: every payment received (cash: phiếu thu PT numbered by its receipt; bank: giấy báo
/// có BC numbered by the bank's reference), debiting the money account of its channel and crediting each item it paid
/// (the rest to the account holding the pupil's money); every later use of held money on a notice (phiếu kế toán PK);
/// every refund paid out (PC cash, UNC bank). Reversals are vouchers of their own with negative amounts, on the accounts of
/// the items they took the money back from. The lines
/// add up to the ledger: the money accounts to the month's payments less its refunds, the items to its allocations.
/// Money parked unidentified is not a payment yet and has no voucher until it is one.
/// </summary>
public sealed class Vouchers(FeesDb db)
{
    public async Task<List<VoucherLine>> QueryAsync(string schoolCode, BillingMonth month, CancellationToken ct = default)
    {
        var school = await db.Schools.AsNoTracking().Where(s => s.Code == schoolCode).Select(s => new { s.Id, s.Code }).SingleOrDefaultAsync(ct)
            ?? throw new BusinessRuleException($"School {schoolCode} is not known.", $"Không có trường {schoolCode}.");
        var (start, end) = (BusinessClock.StartOf(month.FirstDay), BusinessClock.StartOf(month.FirstDay.AddMonths(1)));
        static DateOnly Local(DateTimeOffset at) => BusinessClock.DayOf(at);

        var accounts = VoucherAccounts.Resolver(await db.VoucherAccounts.AsNoTracking().ToListAsync(ct), school.Code);
        var payments = await (from p in db.Payments.AsNoTracking()
                              join s in db.Students.AsNoTracking() on p.StudentId equals s.Id
                              join o in db.Payments.AsNoTracking() on p.ReversesPaymentId equals o.Id into oo
                              from o in oo.DefaultIfEmpty()
                              where p.SchoolId == school.Id && p.ReceivedAt >= start && p.ReceivedAt < end
                              select new { p.Id, p.Method, Original = o == null ? null : o.Method, p.ReversesPaymentId, p.AmountVnd, p.ReceivedAt, p.PayerName, p.ExternalRef, s.StudentCode, s.FullName })
            .ToListAsync(ct);
        var allocations = await (from a in db.Allocations.AsNoTracking()
                                 join p in db.Payments.AsNoTracking() on a.PaymentId equals p.Id
                                 join l in db.NoticeLines.AsNoTracking() on a.NoticeLineId equals l.Id
                                 join n in db.Notices.AsNoTracking() on a.NoticeId equals n.Id
                                 // The pupil whose notice the money went on: one transfer may pay siblings.
                                 join s in db.Students.AsNoTracking() on n.StudentId equals s.Id
                                 where p.SchoolId == school.Id && a.At >= start && a.At < end
                                 select new { a.Id, a.PaymentId, a.Kind, a.AmountVnd, a.At, l.ItemCode, l.ItemName, l.LineNo, n.PeriodKey, p.Method, p.ReceivedAt, s.StudentCode, s.FullName })
            .ToListAsync(ct);
        var receipts = (await (from r in db.Receipts.AsNoTracking()
                               join rs in db.ReceiptSeries.AsNoTracking() on r.SeriesId equals rs.Id
                               where r.SchoolId == school.Id && r.IssuedAt >= start.AddDays(-1)
                               select new { r.PaymentId, rs.Template, rs.Series, r.Number, r.ReplacesReceiptId, r.IssuedAt }).ToListAsync(ct))
            // A payment's first receipt, whatever became of it: a replacement later must not renumber an exported voucher.
            .GroupBy(r => r.PaymentId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.ReplacesReceiptId is null ? 0 : 1).ThenBy(r => r.IssuedAt).First());
        var refunds = await (from r in db.Refunds.AsNoTracking()
                             join p in db.Payments.AsNoTracking() on r.PaymentId equals p.Id
                             join s in db.Students.AsNoTracking() on p.StudentId equals s.Id
                             where p.SchoolId == school.Id && r.At >= start && r.At < end
                             select new { r.Id, r.Method, r.AmountVnd, r.At, s.StudentCode, s.FullName }).ToListAsync(ct);

        var lines = new List<VoucherLine>();
        var held = (Func<string, string>)(channel => accounts(VoucherAccounts.CreditItem, channel).Credit);
        var inVoucher = new HashSet<Guid>();
        foreach (var p in payments.OrderBy(p => p.ReceivedAt).ThenBy(p => p.Id))
        {
            var channel = (p.Original ?? p.Method) == PaymentMethods.Cash ? "cash" : "bank";
            var reversal = p.Method == PaymentMethods.Reversal;
            (string no, string type) = reversal ? ($"DC-{InboxKeys.Shown(p.ExternalRef)}", channel == "cash" ? "PT" : "BC")
                : channel == "cash" ? (receipts.TryGetValue(p.Id, out var r) ? Ledger.Reference(school.Code, r.Template, r.Series, r.Number) : $"PT-{InboxKeys.Shown(p.ExternalRef)}", "PT")
                : ($"BC-{InboxKeys.Shown(p.ExternalRef)}", "BC");
            var payer = string.IsNullOrWhiteSpace(p.PayerName) ? p.FullName : p.PayerName!;
            var date = Local(p.ReceivedAt);
            // A reversal's voucher mirrors what it undid, item by item: the entries that took the payment's money off its lines then.
            var own = reversal
                ? allocations.Where(a => a.PaymentId == p.ReversesPaymentId && a.Kind == AllocationKinds.Reversal && a.At == p.ReceivedAt).ToList()
                : allocations.Where(a => a.PaymentId == p.Id && a.Kind == AllocationKinds.Payment).ToList();
            foreach (var g in own.OrderBy(a => a.StudentCode, StringComparer.Ordinal).ThenBy(a => a.PeriodKey).ThenBy(a => a.LineNo).GroupBy(a => (a.StudentCode, a.ItemCode, a.ItemName, a.PeriodKey)))
            {
                var (debit, credit) = accounts(g.Key.ItemCode, channel);
                lines.Add(new VoucherLine(date, no, type, debit, credit, g.Sum(a => a.AmountVnd), payer, g.Key.StudentCode,
                    (reversal ? "Đảo thu " : "Thu ") + $"{g.Key.ItemName} tháng {g.Key.PeriodKey % 100:D2}/{g.Key.PeriodKey / 100} - HS {g.Key.StudentCode}"));
                foreach (var a in g) inVoucher.Add(a.Id);
            }
            var rest = p.AmountVnd - own.Sum(a => a.AmountVnd);
            if (rest != 0)
                lines.Add(new VoucherLine(date, no, type, accounts(VoucherAccounts.CreditItem, channel).Debit, held(channel), rest, payer, p.StudentCode,
                    reversal ? $"Đảo giao dịch {p.ExternalRef} - HS {p.StudentCode}" : $"Tiền nộp chưa vào khoản thu, giữ cho HS {p.StudentCode}"));
        }
        // Held money used on a notice later (or taken back by a reversal): from the held account to the item's.
        foreach (var a in allocations.Where(a => !inVoucher.Contains(a.Id)).OrderBy(a => a.At).ThenBy(a => a.Id))
        {
            var channel = a.Method == PaymentMethods.Cash ? "cash" : "bank";
            lines.Add(new VoucherLine(Local(a.At), $"PK-{a.Id.ToString("N")[^12..]}", "PK", held(channel), accounts(a.ItemCode, channel).Credit, a.AmountVnd, a.FullName, a.StudentCode,
                (a.AmountVnd < 0 ? "Đảo " : "Trừ tiền đã nộp vào ") + $"{a.ItemName} tháng {a.PeriodKey % 100:D2}/{a.PeriodKey / 100} - HS {a.StudentCode}"));
        }
        foreach (var r in refunds.OrderBy(r => r.At).ThenBy(r => r.Id))
        {
            var cash = r.Method == PaymentMethods.Cash;
            var money = accounts(VoucherAccounts.CreditItem, cash ? "cash" : "bank").Debit;
            lines.Add(new VoucherLine(Local(r.At), $"{(cash ? "PC" : "UNC")}-{r.Id.ToString("N")[^12..]}", cash ? "PC" : "UNC", held(cash ? "cash" : "bank"), money, r.AmountVnd,
                r.FullName, r.StudentCode, $"Hoàn tiền cho HS {r.StudentCode}"));
        }
        return lines;
    }

    public static readonly string[] Columns = ["date", "voucher_no", "voucher_type", "debit_account", "credit_account", "amount", "payer", "student_code", "description"];

    /// <summary>CSV (columns above) or XLSX (Vietnamese headings) by the file's extension.</summary>
    public async Task<List<VoucherLine>> WriteAsync(string schoolCode, BillingMonth month, string path, CancellationToken ct = default)
    {
        var lines = await QueryAsync(schoolCode, month, ct);
        await File.WriteAllBytesAsync(path, await BytesAsync(lines, Path.GetExtension(path).Equals(".xlsx", StringComparison.OrdinalIgnoreCase), ct), ct);
        return lines;
    }

    /// <summary>The vouchers as a file: XLSX with Vietnamese headings, or CSV with the contract's columns (UTF-8 with BOM).</summary>
    public static async Task<byte[]> BytesAsync(IReadOnlyList<VoucherLine> lines, bool xlsx, CancellationToken ct)
    {
        static string D(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        if (!xlsx)
            return [.. System.Text.Encoding.UTF8.GetPreamble(), .. System.Text.Encoding.UTF8.GetBytes(Files.CsvFile.Text(Columns, lines.Select(l => (IEnumerable<string>)
                [D(l.Date), l.VoucherNo, l.VoucherType, l.Debit, l.Credit, l.AmountVnd.ToString(CultureInfo.InvariantCulture), l.Payer, l.StudentCode, l.Description])))];
        var rows = lines.Select(l => new Dictionary<string, object?>
        {
            ["Ngày chứng từ"] = D(l.Date), ["Số chứng từ"] = l.VoucherNo, ["Loại"] = l.VoucherType, ["TK Nợ"] = l.Debit, ["TK Có"] = l.Credit,
            ["Số tiền"] = l.AmountVnd, ["Người nộp / nhận"] = l.Payer, ["Mã học sinh"] = l.StudentCode, ["Diễn giải"] = l.Description,
        }).ToList();
        using var ms = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(ms, new Dictionary<string, object> { ["Chứng từ"] = rows }, cancellationToken: ct);
        return ms.ToArray();
    }
}
