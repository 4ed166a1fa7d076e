using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>One class's notices of a run: gross, what reductions took off, what earlier months' absences gave back, what is billed.</summary>
public sealed record ClassTotal(string SchoolCode, string ClassName, int Notices, long GrossVnd, long ReductionVnd, long RefundVnd, long AmountDueVnd, long SupportVnd = 0);

public sealed record BillingResult(
    BillingMonth Month,
    bool DryRun,
    int NoticesCreated,
    int AlreadyBilled,
    int NotYetEnrolled,
    int NothingApplies,
    IReadOnlyList<string> ClosedSchoolsSkipped,
    long AmountDueVnd,
    long CreditAppliedVnd,
    IReadOnlyList<ClassTotal> Totals,
    int ExpiredReductions,
    BillingDetails? Details = null,
    int Left = 0,
    IReadOnlyList<LeaverWaiting>? LeaversWaiting = null);

/// <summary>
/// A pupil leaving in the billed month whose earlier months' absences no notice can give back now: those months are
/// closed (billed as they were closed), or billing them again was refused for the reason given.
/// </summary>
public sealed record LeaverWaiting(string StudentCode, IReadOnlyList<int> ClosedMonths, string? Refused = null, string? RefusedVi = null)
{
    private string Months => MonthsText(ClosedMonths);

    /// <summary>Months as the warnings name them: "09/2025, 10/2025".</summary>
    public static string MonthsText(IEnumerable<int> keys) => string.Join(", ", keys.Select(k => $"{k % 100:D2}/{k / 100}"));

    public string En => Refused is null
        ? $"Pupil {StudentCode} left: the days absent in {Months} are not given back, as that month is closed and no later notice will come."
        : $"Pupil {StudentCode} left: what the last notice could not give back was not given back: {Refused}";

    public string Vi => RefusedVi is null && Refused is null
        ? $"Học sinh {StudentCode} đã nghỉ học: chưa hoàn được tiền những ngày nghỉ tháng {Months} vì kỳ thu tháng đó đã khoá sổ và không còn thông báo nào sau."
        : $"Học sinh {StudentCode} đã nghỉ học: phần tiền ngày nghỉ mà thông báo cuối không trừ hết chưa được hoàn: {RefusedVi ?? Refused}";
}

/// <summary>
/// The monthly billing run: one notice per enrolled student for the month. The domain decides every amount;
/// the rows go in with binary COPY. One notice per (student, month) is a unique key, so a second run adds
/// nothing, and a run for a closed period is refused.
/// </summary>
public sealed partial class MonthlyBilling(FeesDb db, BusinessClock clock, Actor actor)
{
    private sealed record Candidate(Guid StudentId, string StudentCode, Guid SchoolId, string SchoolCode, string ClassName, StudentBillingProfile Profile);

    // dueDate: the due date the accountant chose for this run's notices (not in the past); the schedule's due day otherwise.
    // onlyStudent: bill that pupil alone, again if their notice of the month was withdrawn (a leaver's last month, which
    // also gives back that month's own absences: no later notice will). It joins the transaction already open, if any.
    public async Task<BillingResult> IssueAsync(BillingMonth month, string? schoolCode, bool dryRun, CancellationToken ct = default, DateOnly? dueDate = null,
        Guid? onlyStudent = null, bool giveBackOwnMonth = false)
    {
        if (dueDate is { } chosen && chosen < clock.Today)
            throw new BadInputException("--due", null, null, $"the due date {chosen:dd/MM/yyyy} is in the past.", $"hạn nộp {chosen:dd/MM/yyyy} đã qua.");
        // A due date far ahead would leave the notices never overdue (and 9999-12-31 is PostgreSQL's infinity).
        if (dueDate is { } late && late > month.FirstDay.AddMonths(3).AddDays(-1))
            throw new BadInputException("--due", null, null, $"the due date {late:dd/MM/yyyy} is more than three months after the billed month began.",
                $"hạn nộp {late:dd/MM/yyyy} quá ba tháng kể từ đầu tháng thu.");
        var year = SchoolYear.Containing(month);
        var schedule = await ScheduleStore.LoadAsync(db, year, ct)
            ?? throw new BusinessRuleException($"There is no fee schedule for school year {year}; import one with `fees schedule import` first.",
                $"Chưa có biểu phí cho năm học {year}; quản trị viên cần tải biểu phí lên trước.");
        if (!schedule.BillsMonth(month.Month))
            throw new BusinessRuleException($"{month} is not a billing month of school year {year} (months: {string.Join(", ", schedule.Months)}).",
                $"Tháng {month.Month:D2}/{month.Year} không phải là tháng thu của năm học {year} (các tháng thu: {string.Join(", ", schedule.Months)}).");

        // The ceilings hold at billing too: a list set lower after the schedule was stored, or a school now in a commune,
        // stops the run before a đồng above the ceiling is billed.
        await Ceilings.CheckAsync(db, schedule, $"billing {month}", ct, schoolCode?.ToUpperInvariant());
        if (dryRun && db.Database.CurrentTransaction is not null) throw new InvalidOperationException("A dry run needs its own transaction to roll back.");
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct) : null;
        // One billing run at a time: notice numbers are handed out per school and month.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7310001, {0})", [month.Key], ct);

        var schools = await db.Schools.AsNoTracking()
            .Where(s => schoolCode == null || s.Code == schoolCode)
            .Select(s => new { s.Id, s.Code, s.Level }).ToListAsync(ct);
        if (schoolCode is not null && schools.Count == 0)
            throw new BusinessRuleException($"School {schoolCode} is not known.", $"Không có trường {schoolCode}.");
        var closed = await db.BillingPeriods.AsNoTracking()
            .Where(p => p.PeriodKey == month.Key && p.ClosedAt != null).Select(p => p.SchoolId).ToListAsync(ct);
        var closedCodes = schools.Where(s => closed.Contains(s.Id)).Select(s => s.Code).OrderBy(c => c).ToList();
        if (schoolCode is not null && closedCodes.Count > 0)
            throw new BusinessRuleException($"The {month} period of school {schoolCode} is closed; it takes no more billing.",
                $"Kỳ thu tháng {month.Month:D2}/{month.Year} của trường {schoolCode} đã khoá sổ; không lập thêm thông báo.");
        var open = schools.Where(s => !closed.Contains(s.Id)).ToDictionary(s => s.Id);
        if (open.Count == 0 && schools.Count > 0)
            throw new BusinessRuleException($"The {month} period is closed for every school; it takes no more billing.",
                $"Kỳ thu tháng {month.Month:D2}/{month.Year} đã khoá sổ cho mọi trường; không lập thêm thông báo.");

        var candidates = await LoadCandidatesAsync(open.Keys.ToList(), s => open[s].Code, s => Enum.Parse<SchoolLevel>(open[s].Level), month, ct);
        if (onlyStudent is { } one) candidates = candidates.Where(c => c.StudentId == one).ToList();
        if (schedule.Policies.Any(p => p.Kind == PolicyKind.Support))
            candidates = await WithSupportMonthsAsync(candidates, schedule.SchoolYear, month, ct);
        // A month's run bills each pupil once, whatever became of the notice; a pupil billed alone is billed again
        // when their notice was withdrawn.
        var billed = (await db.Notices.AsNoTracking().Where(n => n.PeriodKey == month.Key)
            .Where(n => onlyStudent == null || (n.StudentId == onlyStudent && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded))
            .Select(n => n.StudentId).ToListAsync(ct)).ToHashSet();

        int already = 0, notYet = 0, nothing = 0, expired = 0, left = 0;
        var drafts = new List<(Candidate C, NoticeDraft D)>();
        foreach (var c in candidates)
        {
            if (billed.Contains(c.StudentId)) { already++; continue; }
            var draft = BillingCalculator.Compute(schedule, c.Profile, month, out var reason);
            if (draft is null)
            {
                if (reason == NotBilledReason.NotYetEnrolled) notYet++;
                else if (reason == NotBilledReason.Left) left++;
                else nothing++;
                continue;
            }
            if (c.Profile.Policies.Any(p => !p.IsValidFor(month))) expired++;
            drafts.Add((c, dueDate is { } due ? draft with { DueDate = due } : draft));
        }

        var refunds = await CarryRefundsAsync(schedule, month, drafts, giveBackOwnMonth, ct);

        var totals = drafts.GroupBy(x => (x.C.SchoolCode, x.C.ClassName))
            .OrderBy(g => g.Key.SchoolCode, StringComparer.Ordinal).ThenBy(g => g.Key.ClassName, StringComparer.Ordinal)
            .Select(g => new ClassTotal(g.Key.SchoolCode, g.Key.ClassName, g.Count(), g.Sum(x => x.D.GrossVnd),
                g.Sum(x => x.D.ReductionVnd), g.Sum(x => x.D.AdjustVnd), g.Sum(x => x.D.AmountDueVnd), g.Sum(x => x.D.SupportVnd)))
            .ToList();
        var amountDue = drafts.Sum(x => x.D.AmountDueVnd);

        if (dryRun || drafts.Count == 0)
        {
            var details = await BillingDetails.OfAsync(db, schedule, month, dueDate, drafts.Select(x => (x.C.StudentId, x.C.Profile, x.D)).ToList(), ct);
            if (tx is not null) await tx.RollbackAsync(ct);
            return new BillingResult(month, dryRun, 0, already, notYet, nothing, closedCodes, amountDue, 0, totals, expired, details, left);
        }

        var run = new BillingRun
        {
            Id = Guid.CreateVersion7(), PeriodKey = month.Key, SchoolCode = schoolCode, At = clock.Now,
            NoticesCreated = drafts.Count, AmountDueVnd = amountDue, Actor = actor.Name,
        };
        db.BillingRuns.Add(run);
        AuditLog.Record(db, clock, actor, "notices.issue", "billing_run", run.Id.ToString(),
            new { period = month.ToString(), school = schoolCode, notices = drafts.Count, amount_due_vnd = amountDue, already_billed = already });
        await db.SaveChangesAsync(ct);

        var next = await NextNumbersAsync(month, drafts.Select(d => d.C.SchoolId).Distinct().ToList(), ct);
        var notices = new List<(Guid Id, string No, Candidate C, NoticeDraft D)>(drafts.Count);
        foreach (var (c, d) in drafts.OrderBy(x => x.C.SchoolCode, StringComparer.Ordinal)
                     .ThenBy(x => x.C.ClassName, StringComparer.Ordinal).ThenBy(x => x.C.StudentCode, StringComparer.Ordinal))
        {
            var n = next[c.SchoolId]++;
            notices.Add((Guid.CreateVersion7(), $"{c.SchoolCode}-{month.Key}-{n:D5}", c, d));
        }

        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var issuedAt = clock.Now;
        var lineIds = await NoticeRows.WriteAsync(conn, notices.Select(n => new NoticeRows.New(n.Id, n.No, n.C.StudentId, n.C.SchoolId, n.C.ClassName, n.D)).ToList(),
            month, run.Id, issuedAt, ct);
        await AbsenceRefunds.RecordAsync(conn, notices.SelectMany(n => refunds.Carried.GetValueOrDefault(n.C.StudentId) ?? [],
                (n, c) => (n.C.SchoolId, n.C.StudentId, n.Id, lineIds[(n.Id, c.LineNo)], c.Open, c.Applied, c.Open.StateVnd)).ToList(),
            refunds.Settled, issuedAt, ct);

        // Students holding credit have it applied to their new notices, as allocations.
        var ledger = new Ledger(db, clock, actor);
        var credit = await ledger.ApplyCreditAsync(notices.Select(n => n.C.StudentId).ToList(), ct);
        // Each guardian is told, in this transaction: a notice is never issued without its messages, nor the reverse.
        await OutboxQueue.QueueForNoticesAsync(db, notices.Select(n => n.Id).ToArray(), OutboxQueue.NoticeIssued, "", clock.Now, ct);

        var waitingSaid = new List<LeaverWaiting>();
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
            // A pupil leaving in this month gets no later notice: what its lines could not take of earlier months'
            // absences is given back on those months, as leaving does (under leaving's own locks, after this run). So
            // for one the run left out (nothing to bill for their days): their earlier months give back their own days.
            var leftOut = candidates.Where(c => c.Profile.LeftOn is { } l && BillingMonth.Of(l) == month && !billed.Contains(c.StudentId)
                                                && !drafts.Any(d => d.C.StudentId == c.StudentId)).Select(c => c.StudentId);
            foreach (var pupil in refunds.LeaversWaiting.Concat(leftOut).Distinct())
            {
                var code = candidates.First(c => c.StudentId == pupil).StudentCode;
                try
                {
                    if (await new LeaverRest(db, clock, actor).GiveBackAsync(pupil, ct) is { Count: > 0 } closedMonths) waitingSaid.Add(new LeaverWaiting(code, closedMonths));
                }
                catch (BusinessRuleException e)
                {
                    // Said, never swallowed (found by attack: the days waited silently while the run reported success).
                    waitingSaid.Add(new LeaverWaiting(code, [], e.Message, e.Vietnamese));
                }
            }
        }
        return new BillingResult(month, false, notices.Count, already, notYet, nothing, closedCodes, amountDue, credit, totals, expired, Left: left, LeaversWaiting: waitingSaid);
    }

    /// <summary>
    /// What billing would put on one pupil's notice of the month now, before any refund carried (their own support
    /// months counted as billing counts them); null when the pupil would not be billed or the year has no schedule.
    /// </summary>
    public async Task<NoticeDraft?> WouldBillAsync(Guid studentId, BillingMonth month, CancellationToken ct, IReadOnlyDictionary<string, int>? supportMonthsAhead = null)
    {
        var schedule = await ScheduleStore.LoadAsync(db, SchoolYear.Containing(month), ct);
        var school = await (from st in db.Students.AsNoTracking() join sc in db.Schools.AsNoTracking() on st.SchoolId equals sc.Id
                            where st.Id == studentId select new { sc.Id, sc.Code, sc.Level }).SingleAsync(ct);
        if (schedule is null) return null;
        var candidates = (await LoadCandidatesAsync([school.Id], _ => school.Code, _ => Enum.Parse<SchoolLevel>(school.Level), month, ct))
            .Where(c => c.StudentId == studentId).ToList();
        if (schedule.Policies.Any(p => p.Kind == PolicyKind.Support)) candidates = await WithSupportMonthsAsync(candidates, schedule.SchoolYear, month, ct);
        // Months a quote counts before this one, not billed yet, use up support months too.
        if (supportMonthsAhead is { Count: > 0 })
            candidates = candidates.Select(c => c with { Profile = c.Profile with { SupportMonthsUsed = supportMonthsAhead.Keys
                .Union(c.Profile.SupportMonthsUsed?.Keys ?? [], StringComparer.OrdinalIgnoreCase)
                .ToDictionary(k => k, k => (c.Profile.SupportMonthsUsed?.GetValueOrDefault(k) ?? 0) + supportMonthsAhead.GetValueOrDefault(k), StringComparer.OrdinalIgnoreCase) } }).ToList();
        return candidates.Count == 1 ? BillingCalculator.Compute(schedule, candidates[0].Profile, month, out _) : null;
    }

    private async Task<List<Candidate>> LoadCandidatesAsync(List<Guid> schoolIds, Func<Guid, string> code, Func<Guid, SchoolLevel> level, BillingMonth month, CancellationToken ct)
    {
        var students = await (from s in db.Students.AsNoTracking()
                              join c in db.Classes.AsNoTracking() on s.ClassId equals c.Id
                              where schoolIds.Contains(s.SchoolId)
                              select new { s.Id, s.StudentCode, s.SchoolId, s.Grade, c.Name, s.EnrolledOn, s.LeftOn, s.OptionalItems }).ToListAsync(ct);
        // Class moves after the month began say which class a pupil sat in on each of its days.
        var first = month.FirstDay;
        var moves = (await (from m in db.StudentClassMoves.AsNoTracking()
                            join s in db.Students.AsNoTracking() on m.StudentId equals s.Id
                            where schoolIds.Contains(s.SchoolId) && m.On > first
                            select new { m.StudentId, m.On, m.FromGrade, m.FromClass }).ToListAsync(ct))
            .ToLookup(m => m.StudentId, m => new ClassMove(m.On, m.FromGrade, m.FromClass));
        var policies = (await (from p in db.StudentPolicies.AsNoTracking()
                               join s in db.Students.AsNoTracking() on p.StudentId equals s.Id
                               where schoolIds.Contains(s.SchoolId)
                               select new { p.StudentId, p.PolicyCode, p.ValidUntil, p.Evidence }).ToListAsync(ct))
            .ToLookup(p => p.StudentId, p => new PolicyMembership(p.PolicyCode, p.ValidUntil, p.Evidence));
        return students.Select(s => new Candidate(s.Id, s.StudentCode, s.SchoolId, code(s.SchoolId), s.Name,
            new StudentBillingProfile(code(s.SchoolId), level(s.SchoolId), s.Grade, s.Name, s.EnrolledOn,
                policies[s.Id].ToList(), s.OptionalItems, LeftOn: s.LeftOn, Moves: moves[s.Id].ToList()))).ToList();
    }

    /// <summary>The months of this school year, other than <paramref name="month"/> (a month billed late counts the later ones), each support already paid for each pupil, on notices that stand.</summary>
    private async Task<List<Candidate>> WithSupportMonthsAsync(List<Candidate> candidates, SchoolYear year, BillingMonth month, CancellationToken ct)
    {
        var first = new BillingMonth(year.StartYear, SchoolYear.FirstMonth).Key;
        var used = (await (from l in db.NoticeLines.AsNoTracking()
                           join n in db.Notices.AsNoTracking() on l.NoticeId equals n.Id
                           where l.SupportVnd > 0 && l.SupportCode != null && n.PeriodKey >= first && n.PeriodKey < first + 100 && n.PeriodKey != month.Key
                                 && n.Status != NoticeStatus.Cancelled && n.Status != NoticeStatus.Refunded
                           select new { n.StudentId, l.SupportCode, n.PeriodKey }).Distinct().ToListAsync(ct))
            .GroupBy(x => x.StudentId)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, int>)g.GroupBy(x => x.SupportCode!, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(c => c.Key, c => c.Select(x => x.PeriodKey).Distinct().Count(), StringComparer.OrdinalIgnoreCase));
        return candidates.Select(c => used.TryGetValue(c.StudentId, out var u) ? c with { Profile = c.Profile with { SupportMonthsUsed = u } } : c).ToList();
    }

    private async Task<Dictionary<Guid, int>> NextNumbersAsync(BillingMonth month, List<Guid> schoolIds, CancellationToken ct)
    {
        var used = await db.Notices.AsNoTracking().Where(n => n.PeriodKey == month.Key && schoolIds.Contains(n.SchoolId))
            .GroupBy(n => n.SchoolId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        return schoolIds.ToDictionary(s => s, s => used.GetValueOrDefault(s) + 1);
    }
}
