using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>
/// The parent portal's look-up: no account, the payment code and the child's date of birth. A wrong date and an
/// unknown code are the same answer (no child), reached the same way (one query), so the look-up says nothing
/// about a code until the date is right: not that it exists, not the shape of the child's name.
/// </summary>
public sealed partial class ParentLookup(FeesDb db, BusinessClock clock)
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

    /// <summary>
    /// The family of a pupil a parent looked up: that pupil first, then the other pupils of the same school with the same
    /// guardian (one guardian per school and phone), eldest first. The one definition of "siblings": the page shows them
    /// and the parent's session lets the parent open them, and no one else.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> FamilyAsync(Guid studentId, CancellationToken ct = default)
    {
        var family = await (from me in db.Students.AsNoTracking()
                            where me.Id == studentId
                            from s in db.Students.AsNoTracking()
                            where s.Id == me.Id || (me.GuardianId != null && s.GuardianId == me.GuardianId)
                            select new { s.Id, s.DateOfBirth, s.StudentCode }).ToListAsync(ct);
        return family.OrderBy(s => s.Id != studentId).ThenBy(s => s.DateOfBirth).ThenBy(s => s.StudentCode, StringComparer.Ordinal).Select(s => s.Id).ToList();
    }

    /// <summary>Whether a message's link still opens this pupil: not revoked, and the roster still names its guardian as the pupil's.</summary>
    public Task<bool> LinkHoldsAsync(string lid, Guid studentId, CancellationToken ct = default) =>
        (from l in db.PortalLinks.AsNoTracking()
         join s in db.Students.AsNoTracking() on l.StudentId equals s.Id
         where l.Lid == lid && l.StudentId == studentId && l.RevokedAt == null && s.GuardianId == l.GuardianId
         select l).AnyAsync(ct);

    public async Task<ParentView> ViewAsync(Guid studentId, CancellationToken ct = default) => (await ViewsAsync([studentId], ct))[0];

    /// <summary>The pages of these pupils, in the order given, read together.</summary>
    public async Task<IReadOnlyList<ParentView>> ViewsAsync(IReadOnlyList<Guid> studentIds, CancellationToken ct = default)
    {
        var today = clock.Today;
        var ids = studentIds.Distinct().ToList();
        var pupils = await (from st in db.Students.AsNoTracking()
                            join c in db.Classes.AsNoTracking() on st.ClassId equals c.Id
                            where ids.Contains(st.Id)
                            select new { st.Id, st.FullName, st.PaymentCode, st.SchoolId, Class = c.Name }).ToDictionaryAsync(s => s.Id, ct);
        var notices = await db.Notices.AsNoTracking().Include(n => n.Lines)
            .Where(n => ids.Contains(n.StudentId) && n.Status != NoticeStatus.Draft && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded)
            .OrderByDescending(n => n.PeriodKey).ThenBy(n => n.NoticeNo).ToListAsync(ct);
        // A notice is paid to the school that issued it, also after the pupil moved: each notice's QR and accounts are
        // its school's, and the current school's are shown for what it bills next.
        var schoolIds = notices.Select(n => n.SchoolId).Concat(pupils.Values.Select(p => p.SchoolId)).Distinct().ToList();
        var accountsOf = (await db.BankAccounts.AsNoTracking().Where(a => schoolIds.Contains(a.SchoolId) && a.RetiredAt == null).OrderBy(a => a.Position).ToListAsync(ct))
            .ToLookup(a => a.SchoolId);
        var schools = await db.Schools.AsNoTracking().Where(x => schoolIds.Contains(x.Id)).Select(x => new { x.Id, x.Code, x.Name }).ToListAsync(ct);
        var history = await HistoryAsync(ids, notices, ct);
        var refunds = await Billing.RefundNote.ForNoticesAsync(db, notices.Select(n => n.Id).ToList(), ct);

        return studentIds.Select(id =>
        {
            var s = pupils[id];
            var payTo = schools.ToDictionary(x => x.Id, x => new PaySchool(x.Id, x.Code, x.Name, accountsOf[x.Id].Select(a => Option(a, s.PaymentCode)).ToList()));
            var mine = notices.Where(n => n.StudentId == id).Select(n => Notice(n, s.PaymentCode, payTo[n.SchoolId], n.SchoolId != s.SchoolId, today, refunds)).ToList();
            return new ParentView(s.Id, s.FullName, s.Class, s.PaymentCode, payTo[s.SchoolId], Totals(mine, s.PaymentCode),
                mine, history.TryGetValue(id, out var paid) ? paid : []);
        }).ToList();
    }

    private static ParentNotice Notice(Notice n, string paymentCode, PaySchool school, bool anotherSchool, DateOnly today, ILookup<Guid, Billing.RefundNote> refunds)
    {
        var month = BillingMonth.FromKey(n.PeriodKey);
        var balance = NoticeStatusNames.LeftToPay(n.Status, n.AmountDueVnd, n.AmountPaidVnd);
        return new ParentNotice(n.NoticeNo, month, n.DueDate, n.AmountDueVnd, n.AmountPaidVnd, balance, n.Status.ToWire(),
            NoticeStatusNames.IsOverdue(n.Status, n.DueDate, balance, today),
            n.Lines.OrderBy(l => l.LineNo).Select(l => new NoticeLineView(l.ItemName, l.Kind, l.Quantity, l.UnitPriceVnd, l.GrossVnd, l.ReductionPercent, l.ReductionBasis, l.AmountVnd,
                refunds[l.Id].ToList(), l.LegalBasis, l.SupportVnd, l.SupportBasis, l.PartMonth, l.DaysIn, l.DaysOf)).ToList(),
            NoticeQr.Payload(n.Status, balance, school.QrAccount?.Bin, school.QrAccount?.AccountNo, paymentCode, month),
            NoticeQr.Purpose(paymentCode, month), school, anotherSchool);
    }

    /// <summary>
    /// One total per school the pupil owes, oldest debt first: a pupil who moved owes each school on its own account,
    /// so money for one school is never asked on a QR of the other.
    /// </summary>
    private static List<ParentTotal> Totals(IReadOnlyList<ParentNotice> notices, string paymentCode) =>
        notices.Where(n => n.BalanceVnd > 0 && n.Status is "issued" or "partially_paid")
            .GroupBy(n => n.School.Id)
            .Select(g =>
            {
                var school = g.First().School;
                var owed = g.Sum(n => n.BalanceVnd);
                var qr = NoticeQr.ForOpenMonths(owed, school.QrAccount?.Bin, school.QrAccount?.AccountNo, paymentCode);
                return new ParentTotal(school, owed, g.Select(n => n.Month).Order().ToList(), qr, NoticeQr.Purpose(paymentCode), g.First().IssuedByAnotherSchool);
            })
            .OrderBy(t => t.Months[0]).ToList();

    private static BankOption Option(SchoolBankAccount a, string paymentCode) =>
        new(a.Bank, a.Bin, BankDirectory.All.FirstOrDefault(b => b.Bin == a.Bin)?.Name ?? a.Bank, a.AccountNo, a.AccountName,
            a.VaPrefix is { } va ? VirtualAccounts.Of(a.Bank, va, paymentCode) : null);
}
