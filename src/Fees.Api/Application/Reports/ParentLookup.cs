using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Api.Application.Reports;

public sealed record NoticeLineView(string Item, string Kind, int Quantity, long UnitPriceVnd, long GrossVnd, int ReductionPercent, string? Policy, long AmountVnd);

/// <summary>A notice as the parent sees it, with the school that issued it (the pupil's earlier school after a transfer): its QR and <see cref="Banks"/> are that school's accounts.</summary>
public sealed record ParentNotice(string NoticeNo, string Period, DateOnly DueDate, long DueVnd, long PaidVnd, long BalanceVnd, string Status, bool Overdue,
    IReadOnlyList<NoticeLineView> Lines, string? VietQr, string SchoolName, IReadOnlyList<BankOption> Banks, bool IssuedByAnotherSchool);

public sealed record ParentPayment(DateTimeOffset At, long AmountVnd, string Method, string? Receipt, Guid? ReceiptId = null);

public sealed record BankOption(string Bank, string BankName, string AccountNo, string AccountName, string? VirtualAccount);

/// <summary>The pupil's page; <see cref="Banks"/> are the current school's accounts (new notices), each notice carries its own.</summary>
public sealed record ParentView(Guid StudentId, string StudentName, string ClassName, string SchoolName, string PaymentCode,
    IReadOnlyList<ParentNotice> Notices, IReadOnlyList<ParentPayment> Payments, IReadOnlyList<BankOption> Banks);

/// <summary>
/// The parent portal's look-up: no account, the payment code and the child's date of birth. A wrong date and an
/// unknown code are the same answer (no child), reached the same way (one query), so the look-up says nothing
/// about a code until the date is right: not that it exists, not the shape of the child's name.
/// </summary>
public sealed class ParentLookup(FeesDb db, BusinessClock clock)
{
    /// <summary>The pupil with this code and this date of birth, or nobody.</summary>
    public async Task<Guid?> FindAsync(string? code, DateOnly? dateOfBirth, CancellationToken ct = default)
    {
        var prefix = (await Authorities.GetOrCreateAsync(db, ct)).PaymentCodePrefix;
        var text = string.Concat((code ?? "").Where(char.IsLetterOrDigit)).ToUpperInvariant();
        var valid = PaymentCode.TryParse(text, prefix)?.Value ?? "";
        // The date is part of the query: a right code with a wrong date finds nothing, exactly as an unknown code does.
        var born = dateOfBirth ?? DateOnly.MinValue;
        return await db.Students.AsNoTracking().Where(s => s.PaymentCode == valid && s.DateOfBirth == born)
            .Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct);
    }

    /// <summary>A date of birth as parents type it: 01/03/2017, 1/3/2017, 01-03-2017, 01.03.2017, 2017-03-01 or 01032017.</summary>
    public static DateOnly? ParseDate(string? text) =>
        DateOnly.TryParseExact((text ?? "").Trim(), ["dd/MM/yyyy", "d/M/yyyy", "dd-MM-yyyy", "d-M-yyyy", "dd.MM.yyyy", "d.M.yyyy", "yyyy-MM-dd", "ddMMyyyy"],
            System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d : null;

    public async Task<ParentView> ViewAsync(Guid studentId, CancellationToken ct = default)
    {
        var today = clock.Today;
        var s = await (from st in db.Students.AsNoTracking()
                       join c in db.Classes.AsNoTracking() on st.ClassId equals c.Id
                       join sc in db.Schools.AsNoTracking() on st.SchoolId equals sc.Id
                       where st.Id == studentId
                       select new { st.Id, st.FullName, st.PaymentCode, st.SchoolId, Class = c.Name, School = sc.Name }).SingleAsync(ct);
        var notices = await db.Notices.AsNoTracking().Include(n => n.Lines)
            .Where(n => n.StudentId == studentId && n.Status != NoticeStatus.Draft && n.Status != NoticeStatus.Cancelled)
            .OrderByDescending(n => n.PeriodKey).ToListAsync(ct);
        // A notice is paid to the school that issued it, also after the pupil moved: each notice's QR and accounts are
        // its school's, and the current school's are shown for what it bills next.
        var schoolIds = notices.Select(n => n.SchoolId).Append(s.SchoolId).Distinct().ToList();
        var names = await db.Schools.AsNoTracking().Where(x => schoolIds.Contains(x.Id)).ToDictionaryAsync(x => x.Id, x => x.Name, ct);
        var accountsOf = (await db.BankAccounts.AsNoTracking().Where(a => schoolIds.Contains(a.SchoolId)).OrderBy(a => a.Position).ToListAsync(ct))
            .ToLookup(a => a.SchoolId);
        var optionsOf = schoolIds.ToDictionary(id => id, id => accountsOf[id].Select(a => Option(a, s.PaymentCode)).ToList());
        var payments = await (from p in db.Payments.AsNoTracking()
                              where p.StudentId == studentId && p.AmountVnd > 0 && !db.Payments.Any(r => r.ReversesPaymentId == p.Id)
                              orderby p.ReceivedAt descending
                              select new
                              {
                                  p.ReceivedAt, p.AmountVnd, p.Method,
                                  Receipt = (from r in db.Receipts join rs in db.ReceiptSeries on r.SeriesId equals rs.Id join sc in db.Schools on rs.SchoolId equals sc.Id
                                             where r.PaymentId == p.Id && r.Status == "issued"
                                             select new { r.Id, sc.Code, rs.Template, rs.Series, r.Number }).FirstOrDefault(),
                              }).ToListAsync(ct);
        return new ParentView(s.Id, s.FullName, s.Class, s.School, s.PaymentCode,
            notices.Select(n =>
            {
                var month = BillingMonth.FromKey(n.PeriodKey);
                var balance = n.AmountDueVnd - n.AmountPaidVnd;
                return new ParentNotice(n.NoticeNo, month.ToString(), n.DueDate, n.AmountDueVnd, n.AmountPaidVnd, balance, n.Status.ToWire(),
                    NoticeStatusNames.IsOverdue(n.Status, n.DueDate, balance, today),
                    n.Lines.OrderBy(l => l.LineNo).Select(l => new NoticeLineView(l.ItemName, l.Kind, l.Quantity, l.UnitPriceVnd, l.GrossVnd, l.ReductionPercent, l.ReductionPolicy, l.AmountVnd)).ToList(),
                    NoticeQr.Payload(n.Status, balance, accountsOf[n.SchoolId].FirstOrDefault()?.Bin, accountsOf[n.SchoolId].FirstOrDefault()?.AccountNo, s.PaymentCode, month),
                    names[n.SchoolId], optionsOf[n.SchoolId], n.SchoolId != s.SchoolId);
            }).ToList(),
            payments.Select(p => new ParentPayment(p.ReceivedAt, p.AmountVnd, p.Method,
                p.Receipt is { } r ? Ledger.Reference(r.Code, r.Template, r.Series, r.Number) : null, p.Receipt?.Id)).ToList(),
            optionsOf[s.SchoolId]);
    }

    private static BankOption Option(SchoolBankAccount a, string paymentCode) =>
        new(a.Bank, BankDirectory.All.FirstOrDefault(b => b.Bin == a.Bin)?.Name ?? a.Bank, a.AccountNo, a.AccountName,
            a.VaPrefix is { } va ? VirtualAccounts.Of(a.Bank, va, paymentCode) : null);
}
