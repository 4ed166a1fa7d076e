using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Statements;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>What one account's pull did: what it stored, or why it could not.</summary>
public sealed record PullResult(string School, string Bank, DateOnly From, DateOnly To, StatementImportResult? Imported, string? Problem);

/// <summary>
/// Pulls the statement of every school account whose bank offers an API and whose credentials are set
/// (Vietcombank: OAuth2 client; MSB: the shared secret), from the last complete day pulled (or a week back) to
/// today, and stores the lines like an uploaded file: all or nothing, lines already there skipped. One bank
/// failing does not stop the others; the mark moves only when the account's lines are stored.
/// </summary>
public sealed class StatementPull(FeesDb db, BusinessClock clock, SecretBox box, IServiceProvider services, TimeProvider time, Actor actor)
{
    /// <summary>How far back the first pull of an account reaches.</summary>
    public const int FirstPullDays = 7;

    public async Task<List<PullResult>> PullAsync(string? school, CancellationToken ct = default)
    {
        var vcb = services.GetService<IVcbStatementApi>();
        var msb = services.GetService<IMsbStatementApi>();
        var accounts = await (from a in db.BankAccounts.AsNoTracking()
                              join sc in db.Schools.AsNoTracking() on a.SchoolId equals sc.Id
                              where school == null || sc.Code == school
                              orderby sc.Code, a.Position
                              select new { Account = a, sc.Code }).ToListAsync(ct);
        var results = new List<PullResult>();
        var today = clock.Today;
        foreach (var x in accounts)
        {
            var a = x.Account;
            Func<DateOnly, DateOnly, Task<IReadOnlyList<StatementLine>>>? fetch = a.Bank switch
            {
                BankDirectory.Vcb when vcb is not null && a.VcbClientId is not null && a.VcbClientSecretSealed is not null =>
                    (from, to) => new VcbStatementClient(vcb, a.VcbClientId, box.Open(a.VcbClientSecretSealed)).FetchAsync(a.AccountNo, from, to, ct),
                BankDirectory.Msb when msb is not null && a.MsbSecretSealed is not null =>
                    (from, to) => new MsbStatementClient(msb, box.Open(a.MsbSecretSealed), time).FetchAsync(a.AccountNo, from, to, ct),
                _ => null,
            };
            if (fetch is null) continue;
            // The last complete day is asked again: a bank may add a late line to it.
            var start = a.StatementsPulledThrough ?? today.AddDays(-FirstPullDays);
            if (start > today) start = today;
            try
            {
                var lines = await fetch(start, today);
                var imported = await new StatementImporter(db, clock, actor).ImportPulledAsync(a, lines, start, today, today.AddDays(-1), ct);
                results.Add(new PullResult(x.Code, a.Bank, start, today, imported, null));
            }
            catch (Exception e) when (e is BankAnswerException or BadInputException)
            {
                results.Add(new PullResult(x.Code, a.Bank, start, today, null, e.Message));
            }
            db.ChangeTracker.Clear();
        }
        return results;
    }
}
