using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// Read routes over schools and billing periods, without personal data: the list of schools and the banks they collect
/// through (public: parents and banks look schools up), and a month's live totals per school (signed in, per school).
/// </summary>
public static class SchoolEndpoints
{
    public sealed record SchoolDto(string Code, string Name, string Level, string? Ward, IReadOnlyList<string> Banks);

    public sealed record PeriodSummaryDto(string SchoolCode, string Period, int Notices, long AmountDueVnd, long AmountPaidVnd,
        long OutstandingVnd, int Paid, int PartiallyPaid, int Unpaid);

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/schools", async (FeesDb db, CancellationToken ct) =>
        {
            var schools = await (from s in db.Schools.AsNoTracking()
                                 join w in db.Wards.AsNoTracking() on s.WardId equals w.Id into ws
                                 from w in ws.DefaultIfEmpty()
                                 orderby s.Code
                                 select new { s.Id, s.Code, s.Name, s.Level, Ward = w == null ? null : w.Name }).ToListAsync(ct);
            var banks = (await db.BankAccounts.AsNoTracking().Where(a => a.RetiredAt == null).OrderBy(a => a.Position).Select(a => new { a.SchoolId, a.Bank }).ToListAsync(ct))
                .ToLookup(a => a.SchoolId, a => a.Bank);
            return Results.Ok(schools.Select(s => new SchoolDto(s.Code, s.Name, s.Level, s.Ward, banks[s.Id].ToList())));
        });

        // Live totals of a month, before a school closes it and its figures become open data: for who may read the school
        // (its own staff; the education office and the administrator for every school).
        api.MapGet("/periods/{period}/summary", async (string period, string? school, FeesDb db, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (!BillingMonth.TryParse(period, out var month))
                return ApiProblems.BadPeriod(period);
            school = school?.ToUpperInvariant();
            if (school is not null && !SchoolAccess.CanRead(user, school))
                return ApiProblems.NotAllowed("Not your school", $"This login may not see school {school}.");
            // Without a school named: every school for the education office, else the login's own school if it may read it.
            var own = SchoolAccess.SchoolOf(user);
            var only = school ?? (SchoolAccess.ReadsEverySchool(user) ? null : own is not null && SchoolAccess.CanRead(user, own) ? own.ToUpperInvariant() : "");
            var rows = await (from n in db.Notices.AsNoTracking()
                              join s in db.Schools.AsNoTracking() on n.SchoolId equals s.Id
                              where n.PeriodKey == month.Key && (only == null || s.Code == only)
                              group n by s.Code into g
                              orderby g.Key
                              select new PeriodSummaryDto(g.Key, period, g.Count(), g.Sum(n => n.AmountDueVnd), g.Sum(n => n.AmountPaidVnd),
                                  g.Sum(n => n.AmountDueVnd - n.AmountPaidVnd),
                                  g.Count(n => n.Status == NoticeStatus.Paid),
                                  g.Count(n => n.Status == NoticeStatus.PartiallyPaid),
                                  g.Count(n => n.Status == NoticeStatus.Issued))).ToListAsync(ct);
            if (school is not null && rows.Count == 0 && !await db.Schools.AnyAsync(s => s.Code == school, ct))
                return ApiProblems.UnknownSchool(school);
            return Results.Ok(rows);
        }).RequireAuthorization(Policies.SignedIn);
    }
}
