using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Statements;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>
/// The demo city paying by bank, as the schools' accounts show it: most families pay by transfer, spread over the
/// weeks before the due date, some late, a few in part or too much; a few transfers name no pupil or a mistyped
/// code. Each day's lines reach the ledger the way a bank's statement API brings them
/// (<see cref="StatementImporter.ImportPulledAsync"/>, then <see cref="Reconciler"/>), on that day by the
/// seeder's clock: the same one path as real bank money, with a fixed random seed per month.
/// </summary>
public sealed class DemoCollection(FeesDb db, DemoTime time, Actor actor, int seed)
{
    private readonly BusinessClock _clock = new(time);
    private readonly SortedDictionary<DateOnly, List<(SchoolBankAccount Account, StatementLine Line)>> _days = [];
    private readonly SortedDictionary<DateOnly, List<(string NoticeNo, long Amount)>> _counter = [];
    private readonly HashSet<string> _atCounter = [];
    private int _serial;
    /// <summary>Each account's balance after the lines pulled so far, from what it held before the school year.</summary>
    private readonly Dictionary<Guid, long> _balances = [];
    private const long OpeningBalanceVnd = 50_000_000, AccountFeeVnd = 11_000;

    /// <summary>A family that will pay at the counter on <paramref name="day"/> (so not by bank for that notice).</summary>
    public void PlanCash(string noticeNo, long amountVnd, DateOnly day)
    {
        if (!_counter.TryGetValue(day, out var list)) _counter[day] = list = [];
        list.Add((noticeNo, amountVnd));
        _atCounter.Add(noticeNo);
    }

    /// <summary>The share of a month's open notices their families pay by bank, by how long before the latest month it was billed.</summary>
    private static int PayingPercent(BillingMonth month, BillingMonth latest) => (latest.Key - month.Key) switch { >= 2 => 92, 1 => 88, _ => 75 };

    private sealed record Open(string NoticeNo, string PaymentCode, string ClassName, Guid SchoolId, long Balance, DateOnly Due, string? Guardian);

    /// <summary>Plans the transfers for <paramref name="month"/>'s open notices (none later than the end of <paramref name="latest"/>); returns how many.</summary>
    public async Task<int> PlanAsync(BillingMonth month, BillingMonth latest, CancellationToken ct = default)
    {
        var rng = new Random(seed + month.Key);
        var open = await (from n in db.Notices.AsNoTracking()
                          join s in db.Students.AsNoTracking() on n.StudentId equals s.Id
                          join g in db.Guardians.AsNoTracking() on s.GuardianId equals g.Id into gs
                          from g in gs.DefaultIfEmpty()
                          where n.PeriodKey == month.Key && n.AmountDueVnd > n.AmountPaidVnd
                          orderby n.NoticeNo
                          select new Open(n.NoticeNo, s.PaymentCode, n.ClassName, n.SchoolId, n.AmountDueVnd - n.AmountPaidVnd, n.DueDate, g.FullName))
            .ToListAsync(ct);
        var accounts = (await db.BankAccounts.AsNoTracking().OrderBy(a => a.Position).ThenBy(a => a.AccountNo).ToListAsync(ct))
            .GroupBy(a => a.SchoolId).ToDictionary(g => g.Key, g => g.ToList());
        var first = new DateOnly(month.Year, month.Month, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var lastDay = new DateOnly(latest.Year, latest.Month, 1).AddMonths(1).AddDays(-1);
        var planned = 0;
        void Add(SchoolBankAccount account, DateOnly day, long amount, string content, string? payer)
        {
            var pull = PullDay(day, lastDay);
            if (!_days.TryGetValue(pull, out var list)) _days[pull] = list = [];
            list.Add((account, new StatementLine(account.Bank, account.AccountNo, $"DEMO{month.Key}{++_serial:D6}", day, day, true, amount, content, null,
                $"0{rng.Next(100_000_000, 999_999_999)}", payer is null ? null : Files.HeaderMap.Fold(payer).ToUpperInvariant())));
            planned++;
        }
        var paying = PayingPercent(month, latest);
        foreach (var n in open)
        {
            if (!accounts.TryGetValue(n.SchoolId, out var own) || rng.Next(100) >= paying || _atCounter.Contains(n.NoticeNo)) continue;
            var account = own.Count > 1 && rng.Next(10) < 3 ? own[1] : own[0];
            var amount = rng.Next(100) switch { < 4 => n.Balance / 2 / 1000 * 1000, < 6 => n.Balance + 50_000, _ => n.Balance };
            if (amount <= 0) continue;
            // Most within the weeks before the due date, one in eight after it.
            var day = rng.Next(8) == 0
                ? Min(n.Due.AddDays(1 + rng.Next(20)), lastDay)
                : Min(first.AddDays(rng.Next(Math.Max(1, n.Due.DayNumber - first.DayNumber + 1))), last);
            Add(account, day, amount, Content(rng, n, month), n.Guardian);
        }
        // A few transfers per account that the matcher must not apply by itself: no code, or a code with a wrong digit.
        foreach (var account in accounts.Values.SelectMany(a => a))
        {
            for (var i = 0; i < 2; i++)
                Add(account, first.AddDays(rng.Next(25)), (1 + rng.Next(12)) * 100_000,
                    rng.Next(2) == 0 ? "CHUYEN TIEN HOC PHI CHO CON" : "NOP TIEN AN BAN TRU THANG " + month.Month, null);
            if (open.Where(o => o.SchoolId == account.SchoolId).Skip(rng.Next(50)).FirstOrDefault() is { } pupil)
                Add(account, first.AddDays(rng.Next(25)), pupil.Balance, $"{Mistyped(pupil.PaymentCode, rng)} nop hoc phi", pupil.Guardian);
            // The bank's monthly fee: a debit that is no fee money, which the bank book shows beside the school's own entries.
            var fee = PullDay(last, lastDay);
            if (!_days.TryGetValue(fee, out var debits)) _days[fee] = debits = [];
            debits.Add((account, new StatementLine(account.Bank, account.AccountNo, $"DEMO{month.Key}{++_serial:D6}", last, last, false, AccountFeeVnd,
                $"PHI QUAN LY TAI KHOAN THANG {month.Month:D2}/{month.Year}", null, null, null)));
        }
        return planned;
    }

    /// <summary>
    /// Every planned day up to <paramref name="through"/>: the counter's payments in the morning, then on a pull day's
    /// evening each account's new lines pulled and reconciled.
    /// </summary>
    public async Task RunThroughAsync(DateOnly through, CancellationToken ct = default)
    {
        var importer = new StatementImporter(db, _clock, actor);
        var reconciler = new Reconciler(db, _clock, actor);
        var ledger = new Application.Payments.Ledger(db, _clock, actor);
        foreach (var day in _days.Keys.Concat(_counter.Keys).Where(d => d <= through).Distinct().Order().ToList())
        {
            time.Set(day, 9);
            foreach (var (noticeNo, amount) in _counter.GetValueOrDefault(day) ?? [])
            {
                await ledger.RecordCashAsync(noticeNo, amount, null, $"demo-{noticeNo}", ct);
                db.ChangeTracker.Clear();
            }
            _counter.Remove(day);
            time.Set(day, 18);
            foreach (var account in (_days.GetValueOrDefault(day) ?? []).GroupBy(l => l.Account.Id))
            {
                // The bank states the balance after each line, as its statement API does: the bank book reads each day's from it.
                var lines = new List<StatementLine>();
                foreach (var l in account.Select(l => l.Line).OrderBy(l => l.BookingDate).ThenBy(l => l.BankRef, StringComparer.Ordinal))
                {
                    var balance = _balances.GetValueOrDefault(account.Key, OpeningBalanceVnd) + (l.Credit ? l.AmountVnd : -l.AmountVnd);
                    _balances[account.Key] = balance;
                    lines.Add(l with { BalanceAfterVnd = balance });
                }
                await importer.ImportPulledAsync(account.First().Account, lines, lines.Min(l => l.BookingDate), day, day, ct);
                db.ChangeTracker.Clear();
            }
            if (_days.Remove(day)) await reconciler.RunAsync(null, ct);
            db.ChangeTracker.Clear();
        }
    }

    private static DateOnly Min(DateOnly a, DateOnly b) => a < b ? a : b;

    /// <summary>
    /// When the statement job brings a line booked on <paramref name="day"/>: the demo pulls on Monday, Wednesday and
    /// Friday evenings (a day's pull for 70 accounts, three months long, would make the first `./fees up` slow), never
    /// after the last day billed.
    /// </summary>
    private static DateOnly PullDay(DateOnly day, DateOnly lastDay)
    {
        while (day.DayOfWeek is not (DayOfWeek.Monday or DayOfWeek.Wednesday or DayOfWeek.Friday) && day < lastDay) day = day.AddDays(1);
        return day;
    }

    /// <summary>What families type, or their app fills in: mostly the QR's text, sometimes their own words around the code.</summary>
    private static string Content(Random rng, Open n, BillingMonth month) => rng.Next(20) switch
    {
        < 14 => NoticeQr.Purpose(n.PaymentCode, month),
        < 17 => $"{n.PaymentCode} nop hoc phi thang {month.Month}",
        < 19 => $"MBVCB.{rng.Next(10_000_000, 99_999_999)}.{n.PaymentCode.ToLowerInvariant()} hoc phi.CT tu",
        _ => $"HP lop {Files.HeaderMap.Fold(n.ClassName).ToUpperInvariant()} {n.PaymentCode}",
    };

    /// <summary>The code with one digit typed wrong: its check digit then fails, so it names nobody for sure.</summary>
    private static string Mistyped(string code, Random rng)
    {
        var chars = code.ToCharArray();
        var at = chars.Length - 1 - rng.Next(6);
        chars[at] = (char)('0' + (chars[at] - '0' + 1 + rng.Next(8)) % 10);
        return new string(chars);
    }
}

/// <summary>The seeder's clock: it walks through the months it makes, so what it writes is dated inside them.</summary>
public sealed class DemoTime(DateTimeOffset start) : TimeProvider
{
    // In UTC, as a TimeProvider answers (and as PostgreSQL's timestamptz takes it).
    private DateTimeOffset _now = start.ToUniversalTime();

    public override DateTimeOffset GetUtcNow() => _now;

    /// <summary>That day at that hour in Vietnam; never backwards.</summary>
    public void Set(DateOnly day, int hour)
    {
        var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.FromHours(7)).ToUniversalTime();
        if (at > _now) _now = at;
    }
}
