using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Roster;

public sealed record SchoolImportResult(int SchoolsAdded, int SchoolsChanged, int AccountsAdded, int AccountsChanged, int Unchanged);

/// <summary>Upserts schools and their bank accounts from schools.csv/.xlsx, all or nothing.</summary>
public sealed class SchoolImport(FeesDb db, BusinessClock clock, Actor actor)
{
    public const string DefaultReceiptTemplate = "EBL01";

    private static readonly ColumnSpec[] Columns =
    [
        new("school_code", true, "Mã trường"),
        new("name", true, "Tên trường"),
        new("level", true, "Cấp học"),
        new("ward", false, "Phường/Xã", "Phường", "Xã"),
        new("bank", true, "Ngân hàng"),
        new("account_no", true, "Số tài khoản"),
        new("account_name", true, "Tên tài khoản"),
        new("receipt_template", false, "Ký hiệu mẫu"),
        new("receipt_series", false, "Ký hiệu"),
        new("via", false, "Thu qua"),
        new("tax_code", false, "Mã số thuế", "MST"),
        new("address", false, "Địa chỉ"),
    ];

    /// <summary>
    /// One school and one of its accounts. A row with an empty <see cref="Bank"/> names the school alone (the
    /// administrator's page edits a school, or starts its receipt series, without touching its accounts).
    /// </summary>
    // Channel: the aggregator the account is collected through (null: its bank itself). ChannelGiven: whether the row says
    // the channel; a file without the via column, or a page editing a number or a name, keeps the channel (and key) an
    // account has, and only a row that says it changes it.
    public sealed record Row(int Line, string Code, string Name, string Level, string? Ward, string Bank, string Bin,
        string AccountNo, string AccountName, string? Template, string? Series, string? Channel = null, bool ChannelGiven = false)
    {
        // The tax code and address its e-receipts state; a file without their columns keeps what the school has.
        public string? TaxCode { get; init; }
        public string? Address { get; init; }
        public bool TaxGiven { get; init; }
    }

    public Task<SchoolImportResult> ImportAsync(string path, CancellationToken ct = default) =>
        StoreAsync(ReadRows(TabularFile.Read(path, FileLimits.Schools, ct)), ct);

    public static IReadOnlyList<Row> ReadRows(TabularData data)
    {
        var map = new HeaderMap(data, Columns);
        var problems = new List<InputProblem>();
        var rows = new List<Row>();
        foreach (var r in data.Rows)
        {
            void Bad(string col, string en, string vi) => problems.Add(new InputProblem(data.SourceName, r.Line, map.Describe(col), en, vi));
            var school = SchoolFields.School(map.Get(r, "school_code"), map.Get(r, "name"), map.Get(r, "level"), map.Get(r, "ward"), Bad);
            var account = SchoolFields.Account(map.Get(r, "bank"), map.Get(r, "account_no"), map.Get(r, "account_name"), Bad, map.Get(r, "via"));
            var (template, series) = SchoolFields.Series(map.Get(r, "receipt_template"), map.Get(r, "receipt_series"), Bad);
            var (taxCode, address) = SchoolFields.Tax(map.Get(r, "tax_code"), map.Get(r, "address"), Bad);
            rows.Add(new Row(r.Line, school.Code, school.Name, school.Level, school.Ward, account.Bank, account.Bin,
                account.AccountNo, account.AccountName, template, series, account.Channel, map.Has("via"))
            {
                TaxCode = taxCode, Address = address, TaxGiven = map.Has("tax_code") || map.Has("address"),
            });
        }

        foreach (var dup in rows.GroupBy(x => (x.Code, x.Bank)).Where(g => g.Count() > 1))
            problems.Add(new InputProblem(data.SourceName, dup.ElementAt(1).Line, map.Describe("bank"),
                $"school {dup.Key.Code} already has a {dup.Key.Bank} account on line {dup.First().Line}; a school has one account per bank."));
        foreach (var dup in rows.Where(x => x.AccountNo.Length > 0).GroupBy(x => (x.Bin, x.AccountNo)).Where(g => g.Select(x => x.Code).Distinct().Count() > 1))
            problems.Add(new InputProblem(data.SourceName, dup.ElementAt(1).Line, map.Describe("account_no"),
                $"this account is also given to school {dup.First().Code} on line {dup.First().Line}."));
        foreach (var dup in rows.Where(x => x.Channel is not null).GroupBy(x => (x.Channel, x.AccountNo)).Where(g => g.Count() > 1))
            problems.Add(new InputProblem(data.SourceName, dup.ElementAt(1).Line, map.Describe("account_no"),
                $"account number {dup.Key.AccountNo} is also collected through {dup.Key.Channel} on line {dup.First().Line}; {dup.Key.Channel} names an account by its number alone.",
                $"số tài khoản {dup.Key.AccountNo} cũng thu qua {dup.Key.Channel} ở dòng {dup.First().Line}; {dup.Key.Channel} chỉ nhận diện tài khoản theo số."));
        foreach (var g in rows.GroupBy(x => x.Code))
        {
            var first = g.First();
            foreach (var other in g.Skip(1).Where(o => o.Name != first.Name || o.Level != first.Level))
                problems.Add(new InputProblem(data.SourceName, other.Line, map.Describe("name"),
                    $"school {g.Key} has another name or level on line {first.Line}; repeat the same ones for a second bank."));
            foreach (var other in g.Skip(1).Where(o => o.TaxCode != first.TaxCode || o.Address != first.Address))
                problems.Add(new InputProblem(data.SourceName, other.Line, map.Describe(other.TaxCode != first.TaxCode ? "tax_code" : "address"),
                    $"school {g.Key} has another tax code or address on line {first.Line}; repeat the same ones for a second bank.",
                    $"trường {g.Key} có mã số thuế hoặc địa chỉ khác ở dòng {first.Line}; nhập giống nhau cho tài khoản thứ hai."));
        }
        if (data.Rows.Count == 0) problems.Add(new InputProblem(data.SourceName, null, null, "the file has a header but no schools."));
        if (problems.Count > 0) throw new BadInputException(problems.OrderBy(p => p.Line).ToList());
        return rows;
    }

    /// <summary>
    /// Stores the rows: new schools and accounts added, known ones updated. An account in use whose number changes is
    /// kept, retired, with its history, and the new number takes its place; a retired account is never used again.
    /// <paramref name="action"/> names the act in the audit log (the page's acts have their own names).
    /// </summary>
    public async Task<SchoolImportResult> StoreAsync(IReadOnlyList<Row> rows, CancellationToken ct = default, string action = "schools.import")
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var authority = await Authorities.GetOrCreateAsync(db, ct);
        var schools = await db.Schools.ToDictionaryAsync(s => s.Code, ct);
        var wards = await db.Wards.Where(w => w.AuthorityId == authority.Id).ToDictionaryAsync(w => w.Name, ct);
        var accounts = await db.BankAccounts.ToListAsync(ct);
        var series = await db.ReceiptSeries.ToListAsync(ct);

        // The school's account in use at the row's bank, and the channel the row leaves it with (its own when the row says none).
        SchoolBankAccount? InUse(Row r) => schools.TryGetValue(r.Code, out var sc)
            ? accounts.FirstOrDefault(a => a.SchoolId == sc.Id && a.Bank == r.Bank && a.RetiredAt == null) : null;
        string? ChannelOf(Row r) => r.ChannelGiven ? r.Channel : InUse(r)?.Channel ?? r.Channel;

        // An account may not move silently to another school.
        var problems = new List<InputProblem>();
        foreach (var r in rows.Where(r => r.Bank.Length > 0))
        {
            var owner = accounts.FirstOrDefault(a => a.Bin == r.Bin && a.AccountNo == r.AccountNo);
            if (owner is not null && (!schools.TryGetValue(r.Code, out var s) || owner.SchoolId != s.Id))
                problems.Add(new InputProblem("schools", r.Line, "account_no", "this account already belongs to another school.",
                    "Số tài khoản này đã thuộc về một trường khác."));
            else if (ChannelOf(r) is { } channel && accounts.Any(a => a.Channel == channel && a.AccountNo == r.AccountNo && a.Id != InUse(r)?.Id))
                problems.Add(new InputProblem("schools", r.Line, "account_no",
                    $"account number {r.AccountNo} of another account is already collected through {channel}; {channel} names an account by its number alone.",
                    $"số tài khoản {r.AccountNo} của một tài khoản khác đã thu qua {channel}; {channel} chỉ nhận diện tài khoản theo số."));
            else if (owner is { RetiredAt: not null })
                problems.Add(new InputProblem("schools", r.Line, "account_no", "this account was retired; a retired account is not used again.",
                    "Số tài khoản này đã ngừng dùng; tài khoản đã ngừng dùng không được dùng lại."));
        }
        // A tax code is one taxpayer: two schools under one would number two receipts EBL01 26T 0000001 for it.
        foreach (var r in rows.Where(r => r.TaxGiven && r.TaxCode is not null).GroupBy(r => r.Code).Select(g => g.First()))
        {
            var holder = schools.Values.FirstOrDefault(x => x.TaxCode == r.TaxCode && x.Code != r.Code
                                                           && !rows.Any(o => o.Code == x.Code && o.TaxGiven && o.TaxCode != r.TaxCode));
            var twice = rows.FirstOrDefault(o => o.Code != r.Code && o.TaxGiven && o.TaxCode == r.TaxCode);
            if (holder is not null || twice is not null && twice.Line < r.Line)
                problems.Add(new InputProblem("schools", r.Line, "tax_code", $"tax code {r.TaxCode} is already school {holder?.Code ?? twice!.Code}'s; each school has its own.",
                    $"mã số thuế {r.TaxCode} đã là của trường {holder?.Code ?? twice!.Code}; mỗi trường có mã số thuế riêng."));
        }
        // Signed receipts state their school's tax code and are filed with the tax office under it: a school that has
        // signed one keeps that tax code (a wrong one is mended with the tax office and the provider, not here).
        var retaxed = rows.Where(r => r.TaxGiven && schools.TryGetValue(r.Code, out var x) && x.TaxCode is not null && x.TaxCode != r.TaxCode)
            .Select(r => schools[r.Code].Id).Distinct().ToList();
        var signedAt = retaxed.Count == 0 ? []
            : await db.Receipts.AsNoTracking().Where(x => retaxed.Contains(x.SchoolId) && x.SignedXml != null).Select(x => x.SchoolId).Distinct().ToListAsync(ct);
        foreach (var r in rows.Where(r => r.TaxGiven && schools.TryGetValue(r.Code, out var x) && signedAt.Contains(x.Id) && x.TaxCode != r.TaxCode).GroupBy(r => r.Code).Select(g => g.First()))
            problems.Add(new InputProblem("schools", r.Line, "tax_code",
                $"school {r.Code} has signed e-receipts under tax code {schools[r.Code].TaxCode}; it is not changed once receipts bear it.",
                $"trường {r.Code} đã ký biên lai điện tử với mã số thuế {schools[r.Code].TaxCode}; không đổi mã số thuế khi biên lai đã mang mã này."));
        if (problems.Count > 0) throw new BadInputException(problems);

        int sAdd = 0, sChg = 0, aAdd = 0, aChg = 0, same = 0;
        foreach (var g in rows.GroupBy(r => r.Code))
        {
            var first = g.First();
            Guid? wardId = null;
            if (first.Ward is { } wn)
            {
                if (!wards.TryGetValue(wn, out var w))
                {
                    w = new Ward { Id = Guid.CreateVersion7(), AuthorityId = authority.Id, Name = wn };
                    db.Wards.Add(w);
                    wards[wn] = w;
                }
                wardId = w.Id;
            }
            var rowChanged = false;
            if (!schools.TryGetValue(g.Key, out var school))
            {
                school = new School { Id = Guid.CreateVersion7(), AuthorityId = authority.Id, Code = g.Key, Name = first.Name, Level = first.Level, WardId = wardId };
                db.Schools.Add(school);
                schools[g.Key] = school;
                sAdd++;
                rowChanged = true;
            }
            else if (school.Name != first.Name || school.Level != first.Level || (wardId is not null && school.WardId != wardId))
            {
                school.Name = first.Name; school.Level = first.Level; school.WardId = wardId ?? school.WardId;
                sChg++;
                rowChanged = true;
            }
            if (first.TaxGiven && (school.TaxCode != first.TaxCode || school.Address != first.Address))
            {
                (school.TaxCode, school.Address) = (first.TaxCode, first.Address);
                if (!rowChanged) sChg++;
                rowChanged = true;
            }

            var position = accounts.Where(a => a.SchoolId == school.Id).Select(a => a.Position).DefaultIfEmpty(-1).Max();
            foreach (var r in g.Where(r => r.Bank.Length > 0))
            {
                var acc = accounts.FirstOrDefault(a => a.SchoolId == school.Id && a.Bank == r.Bank && a.RetiredAt is null);
                var replaces = acc is not null && (acc.AccountNo != r.AccountNo || acc.Bin != r.Bin) && await HasReceivedMoneyAsync(db, acc.Id, ct);
                if (acc is null || replaces)
                {
                    if (replaces)
                    {
                        // Written at once, so the new account does not meet the old one in the index of accounts in use.
                        var now = clock.Now;
                        await db.BankAccounts.Where(x => x.Id == acc!.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.RetiredAt, now), ct);
                        acc!.RetiredAt = now;
                        db.Entry(acc).State = EntityState.Unchanged;
                    }
                    var fresh = new SchoolBankAccount
                    {
                        Id = Guid.CreateVersion7(), SchoolId = school.Id, Bank = r.Bank, Bin = r.Bin,
                        AccountNo = r.AccountNo, AccountName = r.AccountName, Position = replaces ? acc!.Position : ++position,
                        // A new number in place of an old one keeps its channel and key unless the row says another channel.
                        Channel = r.ChannelGiven || acc is null ? r.Channel : acc.Channel,
                        AggregatorKeySealed = acc is not null && (!r.ChannelGiven || r.Channel == acc.Channel) ? acc.AggregatorKeySealed : null,
                    };
                    db.BankAccounts.Add(fresh);
                    accounts.Add(fresh);
                    if (replaces) aChg++;
                    else aAdd++;
                    rowChanged = true;
                }
                else if (acc.AccountNo != r.AccountNo || acc.AccountName != r.AccountName || acc.Bin != r.Bin || r.ChannelGiven && acc.Channel != r.Channel)
                {
                    // A new channel needs its own key: the old channel's key is not kept for it.
                    if (r.ChannelGiven && acc.Channel != r.Channel) (acc.Channel, acc.AggregatorKeySealed) = (r.Channel, null);
                    acc.AccountNo = r.AccountNo; acc.AccountName = r.AccountName; acc.Bin = r.Bin;
                    aChg++;
                    rowChanged = true;
                }
            }

            var wanted = g.FirstOrDefault(r => r.Template is not null);
            var current = series.FirstOrDefault(x => x.SchoolId == school.Id && x.IsDefault);
            if (wanted is not null && (current is null || current.Template != wanted.Template || current.Series != wanted.Series))
            {
                if (current is not null) current.IsDefault = false;
                var existing = series.FirstOrDefault(x => x.SchoolId == school.Id && x.Template == wanted.Template && x.Series == wanted.Series);
                if (existing is not null) existing.IsDefault = true;
                else
                {
                    var fresh = new ReceiptSeriesRow { Id = Guid.CreateVersion7(), SchoolId = school.Id, Template = wanted.Template!, Series = wanted.Series!, IsDefault = true };
                    db.ReceiptSeries.Add(fresh);
                    series.Add(fresh);
                }
                rowChanged = true;
            }
            else if (current is null)
            {
                var fresh = new ReceiptSeriesRow
                {
                    Id = Guid.CreateVersion7(), SchoolId = school.Id, Template = DefaultReceiptTemplate,
                    Series = DefaultSeries(clock.Today), IsDefault = true,
                };
                db.ReceiptSeries.Add(fresh);
                series.Add(fresh);
            }
            if (!rowChanged) same++;
        }

        var result = new SchoolImportResult(sAdd, sChg, aAdd, aChg, same);
        if (sAdd + sChg + aAdd + aChg > 0 || db.ChangeTracker.HasChanges())
            AuditLog.Record(db, clock, actor, action, "school", rows.Select(r => r.Code).Distinct().Count() == 1 ? rows[0].Code : null, result);
        // The two-step switch of the default series must not trip the one-default-per-school index.
        await db.Database.ExecuteSqlRawAsync("SET CONSTRAINTS ALL DEFERRED", ct);
        var defaultsOff = db.ChangeTracker.Entries<ReceiptSeriesRow>().Where(e => e.State == EntityState.Modified && !e.Entity.IsDefault).ToList();
        foreach (var e in defaultsOff)
        {
            await db.ReceiptSeries.Where(x => x.Id == e.Entity.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsDefault, false), ct);
            e.State = EntityState.Unchanged;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>
    /// Whether a bank has told us of money on the account (a statement line or a bank call): such an account keeps its
    /// number and its history for ever, so it is retired, never changed or deleted.
    /// </summary>
    public static Task<bool> HasReceivedMoneyAsync(FeesDb db, Guid accountId, CancellationToken ct) =>
        db.BankAccounts.Where(a => a.Id == accountId).AnyAsync(ReceivedMoney(db), ct);

    /// <summary>The same question as a filter of accounts, for lists.</summary>
    public static System.Linq.Expressions.Expression<Func<SchoolBankAccount, bool>> ReceivedMoney(FeesDb db) =>
        a => db.StatementLines.Any(l => l.AccountId == a.Id) || db.Inbox.Any(m => m.AccountId == a.Id);

    /// <summary>The e-receipt series of the year (Circular 32/2025): its two digits and T, "26T"; a new one opens each 1 January.</summary>
    public static string DefaultSeries(DateOnly today) => $"{today.Year % 100:D2}T";
}
