using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>
/// The counter's books of one school and one day (local time): the cash book (sổ quỹ tiền mặt: cash in from payments
/// at the counter, out for reversals of them and refunds paid in cash, with the balance carried from every day before)
/// and the list of receipts by series (bảng kê biên lai). Both read the ledger's own rows, so they add up to it.
/// </summary>
public sealed class CounterBooks(FeesDb db)
{
    public sealed record CashEntry(DateTimeOffset At, string Document, string Text, string? Pupil, long InVnd, long OutVnd, long BalanceVnd);

    public sealed record CashBook(string School, DateOnly Day, long OpeningVnd, IReadOnlyList<CashEntry> Entries, long InVnd, long OutVnd, long ClosingVnd);

    public sealed record ReceiptEntry(Guid Id, string Series, string Reference, DateTimeOffset IssuedAt, string? Payer, string Pupil, string Method, long AmountVnd,
        string Status, string? Replaces);

    public sealed record ReceiptList(string School, DateOnly Day, IReadOnlyList<ReceiptEntry> Receipts)
    {
        public long ValidVnd => Receipts.Where(r => ReceiptStates.IsLive(r.Status)).Sum(r => r.AmountVnd);
        public long CancelledVnd => Receipts.Where(r => !ReceiptStates.IsLive(r.Status)).Sum(r => r.AmountVnd);
    }

    private sealed record Movement(DateTimeOffset At, string Kind, long AmountVnd, Guid PaymentId, string? Pupil, string? Reason);

    public static (DateTimeOffset From, DateTimeOffset To) Bounds(DateOnly day) => (BusinessClock.StartOf(day), BusinessClock.StartOf(day.AddDays(1)));

    public async Task<CashBook?> CashBookAsync(string schoolCode, DateOnly day, CancellationToken ct)
    {
        var school = await db.Schools.AsNoTracking().Where(s => s.Code == schoolCode).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct);
        if (school is not { } id) return null;
        var (start, end) = Bounds(day);
        // Cash in: payments taken at the counter. Cash out: the reversal of such a payment (the money handed back), a refund paid in cash.
        var movements = db.Payments.AsNoTracking().Where(p => p.SchoolId == id && p.Method == PaymentMethods.Cash)
            .Select(p => new { p.ReceivedAt, Kind = "in", p.AmountVnd, PaymentId = p.Id, p.StudentId, Reason = (string?)null })
            .Concat(from r in db.Payments.AsNoTracking()
                    join o in db.Payments on r.ReversesPaymentId equals o.Id
                    where o.SchoolId == id && o.Method == PaymentMethods.Cash
                    select new { r.ReceivedAt, Kind = "reversal", AmountVnd = -r.AmountVnd, PaymentId = o.Id, o.StudentId, r.Reason })
            .Concat(from f in db.Refunds.AsNoTracking()
                    join o in db.Payments on f.PaymentId equals o.Id
                    where o.SchoolId == id && f.Method == PaymentMethods.Cash
                    select new { ReceivedAt = f.At, Kind = "refund", f.AmountVnd, PaymentId = o.Id, o.StudentId, Reason = (string?)f.Reason });
        var before = await movements.Where(m => m.ReceivedAt < start).GroupBy(m => m.Kind == "in").Select(g => new { In = g.Key, Sum = g.Sum(m => m.AmountVnd) }).ToListAsync(ct);
        var opening = before.Where(b => b.In).Sum(b => b.Sum) - before.Where(b => !b.In).Sum(b => b.Sum);
        var today = await (from m in movements
                           where m.ReceivedAt >= start && m.ReceivedAt < end
                           join s in db.Students on m.StudentId equals s.Id
                           select new Movement(m.ReceivedAt, m.Kind, m.AmountVnd, m.PaymentId, s.FullName, m.Reason)).ToListAsync(ct);
        var references = await ReferencesAsync(schoolCode, today.Select(m => m.PaymentId).Distinct().ToArray(), ct);
        var balance = opening;
        var entries = new List<CashEntry>();
        foreach (var m in today.OrderBy(m => m.At).ThenBy(m => m.Kind))
        {
            var (inVnd, outVnd) = m.Kind == "in" ? (m.AmountVnd, 0L) : (0L, m.AmountVnd);
            balance += inVnd - outVnd;
            var receipt = references.GetValueOrDefault(m.PaymentId, "");
            var text = m.Kind switch
            {
                "in" => "Thu tiền mặt",
                "reversal" => $"Huỷ khoản thu, trả lại tiền: {m.Reason}",
                _ => $"Hoàn tiền thừa: {m.Reason}",
            };
            entries.Add(new CashEntry(m.At, receipt, text, m.Pupil, inVnd, outVnd, balance));
        }
        var inSum = entries.Sum(e => e.InVnd);
        var outSum = entries.Sum(e => e.OutVnd);
        return new CashBook(schoolCode, day, opening, entries, inSum, outSum, opening + inSum - outSum);
    }

    public async Task<ReceiptList?> ReceiptsAsync(string schoolCode, DateOnly day, CancellationToken ct)
    {
        if (!await db.Schools.AnyAsync(s => s.Code == schoolCode, ct)) return null;
        var (start, end) = Bounds(day);
        var rows = await (from r in db.Receipts.AsNoTracking()
                          join rs in db.ReceiptSeries on r.SeriesId equals rs.Id
                          join sc in db.Schools on r.SchoolId equals sc.Id
                          join p in db.Payments on r.PaymentId equals p.Id
                          join st in db.Students on p.StudentId equals st.Id
                          where sc.Code == schoolCode && r.IssuedAt >= start && r.IssuedAt < end
                          orderby rs.Template, rs.Series, r.Number
                          select new { r.Id, rs.Template, rs.Series, r.Number, r.IssuedAt, r.PayerName, st.FullName, p.Method, r.AmountVnd, r.Status, r.ReplacesReceiptId })
            .ToListAsync(ct);
        var replaced = rows.Where(r => r.ReplacesReceiptId is not null).Select(r => r.ReplacesReceiptId!.Value).ToArray();
        var old = await (from r in db.Receipts.AsNoTracking() join rs in db.ReceiptSeries on r.SeriesId equals rs.Id
                         where replaced.Contains(r.Id) select new { r.Id, rs.Template, rs.Series, r.Number }).ToDictionaryAsync(x => x.Id, ct);
        return new ReceiptList(schoolCode, day, rows.Select(r => new ReceiptEntry(r.Id, $"{r.Template}/{r.Series}", Ledger.Reference(schoolCode, r.Template, r.Series, r.Number),
            r.IssuedAt, r.PayerName, r.FullName, r.Method, r.AmountVnd, r.Status,
            r.ReplacesReceiptId is { } o && old.TryGetValue(o, out var x) ? Ledger.Reference(schoolCode, x.Template, x.Series, x.Number) : null)).ToList());
    }

    /// <summary>Each payment's first receipt, by the reference the CLI and the receipt's page use.</summary>
    private async Task<Dictionary<Guid, string>> ReferencesAsync(string schoolCode, Guid[] payments, CancellationToken ct)
    {
        var rows = await (from r in db.Receipts.AsNoTracking() join rs in db.ReceiptSeries on r.SeriesId equals rs.Id
                          where payments.Contains(r.PaymentId) && r.ReplacesReceiptId == null
                          select new { r.PaymentId, rs.Template, rs.Series, r.Number }).ToListAsync(ct);
        return rows.GroupBy(r => r.PaymentId).ToDictionary(g => g.Key, g => Ledger.Reference(schoolCode, g.First().Template, g.First().Series, g.Min(x => x.Number)));
    }
}
