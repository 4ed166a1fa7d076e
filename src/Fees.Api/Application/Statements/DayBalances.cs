using System.Globalization;
using TdmEdu.Fees.BankAdapters.Statements;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>A balance the bank stated, as the account's balance at the end of a day (see <see cref="Persistence.StatementBalanceRow"/>).</summary>
public sealed record DayBalance(DateOnly Day, long BalanceVnd, string Stated, int? FileLine);

/// <summary>
/// The end-of-day balances a statement states. Banks date a file's opening balance two ways (the statement's day, or the
/// day of the closing balance before it), so an opening is placed by the statement's own lines instead: it is the balance
/// at the end of the day before its first line. A closing balance is the end of the day it is dated, or of the statement's
/// last line when it has no date. An API's running balances: the balance after a day's last line, found by chaining the
/// lines (each line's balance before it is its balance after less its amount), so the order the bank lists them in does
/// not matter; a day whose lines do not chain into one row states nothing.
/// </summary>
public static class DayBalances
{
    public static List<DayBalance> FromFile(IEnumerable<StatementBalance> balances, IReadOnlyList<ParsedLine> lines)
    {
        var days = new List<DayBalance>();
        var booked = lines.Where(l => l.BookingDate is not null).GroupBy(l => l.StatementId ?? "")
            .ToDictionary(g => g.Key, g => (First: g.Min(l => l.BookingDate!.Value), Last: g.Max(l => l.BookingDate!.Value)));
        foreach (var b in balances)
        {
            var own = booked.TryGetValue(b.StatementId ?? "", out var x) ? x : ((DateOnly First, DateOnly Last)?)null;
            if (own is { } o && Whole(b.Opening) is { } open) days.Add(new DayBalance(o.First.AddDays(-1), open, "opening", b.Line));
            if ((b.ClosingDate ?? own?.Last) is { } cd && Whole(b.Closing) is { } close) days.Add(new DayBalance(cd, close, "closing", b.Line));
        }
        return days;
    }

    public static List<DayBalance> FromRunning(IReadOnlyList<StatementLine> lines)
    {
        var days = new List<DayBalance>();
        foreach (var day in lines.GroupBy(l => l.BookingDate).OrderBy(g => g.Key))
        {
            if (day.Any(l => l.BalanceAfterVnd is null)) continue;
            var after = day.Select(l => l.BalanceAfterVnd!.Value).ToList();
            var before = day.Select(l => l.BalanceAfterVnd!.Value - (l.Credit ? l.AmountVnd : -l.AmountVnd)).ToList();
            // The first line's balance before is no other line's balance after; the last line's after is no other's before.
            var first = before.Where(b => after.Count(a => a == b) < before.Count(x => x == b)).Distinct().ToList();
            var last = after.Where(a => before.Count(b => b == a) < after.Count(x => x == a)).Distinct().ToList();
            if (first.Count != 1 || last.Count != 1 || last[0] - first[0] != day.Sum(l => l.Credit ? l.AmountVnd : -l.AmountVnd)) continue;
            days.Add(new DayBalance(day.Key.AddDays(-1), first[0], "opening", null));
            days.Add(new DayBalance(day.Key, last[0], "running", null));
        }
        return days;
    }

    /// <summary>A balance as whole đồng: "-1500000" or "1500000"; null when it has a fraction or is not a number.</summary>
    private static long? Whole(string? text) =>
        text is not null && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;
}
