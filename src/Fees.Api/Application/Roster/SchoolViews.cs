using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Roster;

/// <summary>What the administrator's school pages show: the schools, and one school with its accounts and receipt series.</summary>
public sealed class SchoolViews(FeesDb db)
{
    public sealed record SchoolRow(string Code, string Name, string Level, string? Ward, int AccountsInUse, string? Series);

    public sealed record AccountRow(Guid Id, string Bank, string AccountNo, string AccountName, DateTimeOffset? RetiredAt, bool ReceivedMoney);

    /// <summary>A receipt series: its symbols, the year it names, the last number used (0 when none yet), whether receipts are numbered in it now.</summary>
    public sealed record SeriesRow(string Template, string Series, int? Year, long LastNumber, bool InUse);

    public sealed record OneSchool(string Code, string Name, string Level, string? Ward, IReadOnlyList<AccountRow> Accounts, IReadOnlyList<SeriesRow> Series)
    {
        /// <summary>What the school's e-receipts state: its tax code and address.</summary>
        public string? TaxCode { get; init; }
        public string? Address { get; init; }
    }

    public async Task<List<SchoolRow>> ListAsync(CancellationToken ct)
    {
        var schools = await (from s in db.Schools.AsNoTracking()
                             join w in db.Wards.AsNoTracking() on s.WardId equals w.Id into ws
                             from w in ws.DefaultIfEmpty()
                             orderby s.Code
                             select new
                             {
                                 s.Code, s.Name, s.Level, Ward = w == null ? null : w.Name,
                                 Accounts = db.BankAccounts.Count(a => a.SchoolId == s.Id && a.RetiredAt == null),
                                 Series = db.ReceiptSeries.Where(r => r.SchoolId == s.Id && r.IsDefault).Select(r => r.Template + " " + r.Series).FirstOrDefault(),
                             }).ToListAsync(ct);
        return schools.Select(s => new SchoolRow(s.Code, s.Name, s.Level, s.Ward, s.Accounts, s.Series)).ToList();
    }

    public async Task<OneSchool?> OneAsync(string code, CancellationToken ct)
    {
        code = code.Trim().ToUpperInvariant();
        var s = await (from x in db.Schools.AsNoTracking()
                       join w in db.Wards.AsNoTracking() on x.WardId equals w.Id into ws
                       from w in ws.DefaultIfEmpty()
                       where x.Code == code
                       select new { x.Id, x.Code, x.Name, x.Level, Ward = w == null ? null : w.Name, x.TaxCode, x.Address }).SingleOrDefaultAsync(ct);
        if (s is null) return null;
        var used = (await db.BankAccounts.AsNoTracking().Where(a => a.SchoolId == s.Id).Where(SchoolImport.ReceivedMoney(db)).Select(a => a.Id).ToListAsync(ct)).ToHashSet();
        var accounts = (await db.BankAccounts.AsNoTracking().Where(a => a.SchoolId == s.Id)
                .OrderBy(a => a.RetiredAt != null).ThenBy(a => a.Position).ThenBy(a => a.RetiredAt).ToListAsync(ct))
            .Select(a => new AccountRow(a.Id, a.Bank, a.AccountNo, a.AccountName, a.RetiredAt, used.Contains(a.Id))).ToList();
        var series = (await db.ReceiptSeries.AsNoTracking().Where(r => r.SchoolId == s.Id).ToListAsync(ct))
            .Select(r => new SeriesRow(r.Template, r.Series, SchoolDesk.YearOf(r.Series), r.NextNumber - 1, r.IsDefault))
            .OrderByDescending(r => r.InUse).ThenByDescending(r => r.Year).ThenBy(r => r.Series, StringComparer.Ordinal).ToList();
        return new OneSchool(s.Code, s.Name, s.Level, s.Ward, accounts, series) { TaxCode = s.TaxCode, Address = s.Address };
    }
}
