using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>The billing run's refunds step: last months' days not eaten carried onto the new notices.</summary>
public sealed partial class MonthlyBilling
{
    private sealed record Carried(int LineNo, AbsenceRefunds.Open Open, LineAdjustment Applied);

    /// <summary>
    /// Puts last months' refunds for days not eaten on the drafts (in place); says what each notice carries, which months
    /// are settled, and which pupils leaving in this month still have days waiting that their last notice could not take.
    /// </summary>
    private async Task<(Dictionary<Guid, List<Carried>> Carried, List<(Guid, DateTimeOffset)> Settled, List<Guid> LeaversWaiting)> CarryRefundsAsync(
        FeeSchedule schedule, BillingMonth month, List<(Candidate C, NoticeDraft D)> drafts, bool giveBackOwnMonth, CancellationToken ct)
    {
        var carried = new Dictionary<Guid, List<Carried>>();
        if (!schedule.Items.Any(i => i.AbsenceRefund is not null) || drafts.Count == 0) return (carried, [], []);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        // Runs of different months would both carry one month's refund: they take turns here.
        await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(7310002, 0)", ct);
        var (earlier, settled) = await AbsenceRefunds.DueAsync(conn, schedule, drafts.Select(d => d.C.StudentId).ToList(), month, ct);
        var all = earlier.SelectMany(g => g).ToList();
        // A pupil billed in the month they leave gets that month's own absences back on it too: no later notice will come.
        // So does an earlier month of a leaver billed again because the last month could not take its days in full.
        foreach (var (c, d) in drafts.Where(x => x.C.Profile.LeftOn is { } left && (BillingMonth.Of(left) == month || (giveBackOwnMonth && BillingMonth.Of(left) > month))))
            {
                var (own, nothing) = await AbsenceRefunds.OwnMonthAsync(conn, schedule, c.StudentId, c.SchoolId, d, ct);
                all.AddRange(own);
                settled.AddRange(nothing);
            }
        var open = all.ToLookup(o => o.StudentId);
        var stillOpen = new HashSet<Guid>();
        for (var i = 0; i < drafts.Count; i++)
        {
            var (c, d) = drafts[i];
            // Carried only by a notice of the school that recorded the absences (and billed that month); a moved pupil's wait.
            var mine = open[c.StudentId].Where(o => o.SchoolId == c.SchoolId).ToList();
            if (mine.Count == 0) continue;
            var after = NoticeAdjustments.Apply(d, mine.Select(o => o.Adjustment), out var applied);
            drafts[i] = (c, after);
            var list = new List<Carried>();
            foreach (var o in mine)
            {
                var a = applied.FirstOrDefault(x => x.ItemCode == o.Adjustment.ItemCode && x.PeriodKey == o.Adjustment.PeriodKey);
                var line = after.Lines.FirstOrDefault(l => string.Equals(l.ItemCode, o.Adjustment.ItemCode, StringComparison.OrdinalIgnoreCase));
                // The state's share goes with the month's row on a line of its item, even one that gives the family nothing.
                if (a is not null) list.Add(new Carried(line!.LineNo, o, a));
                else if (o.StateVnd != 0 && line is not null) list.Add(new Carried(line.LineNo, o, o.Adjustment with { AmountVnd = 0, Days = 0 }));
                var finished = a is not null ? a.AmountVnd == o.Adjustment.AmountVnd : o.Adjustment.AmountVnd == 0 && (o.StateVnd == 0 || line is not null);
                if (!finished) stillOpen.Add(o.AttendanceId);
            }
            carried[c.StudentId] = list;
        }
        // A month is settled when every item's refund went on a notice in full.
        var billedHere = drafts.Select(d => (d.C.StudentId, d.C.SchoolId)).ToHashSet();
        foreach (var o in open.SelectMany(g => g).Where(o => !billedHere.Contains((o.StudentId, o.SchoolId)))) stillOpen.Add(o.AttendanceId);
        var done = open.SelectMany(g => g).Where(o => !stillOpen.Contains(o.AttendanceId))
            .Select(o => (o.AttendanceId, o.RecordedAt)).Distinct().Concat(settled).ToList();
        var waiting = drafts.Where(x => x.C.Profile.LeftOn is { } left && BillingMonth.Of(left) == month
                                        && open[x.C.StudentId].Any(o => o.SchoolId == x.C.SchoolId && stillOpen.Contains(o.AttendanceId)))
            .Select(x => x.C.StudentId).ToList();
        return (carried, done, waiting);
    }
}
