using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>What the importer takes from earlier imports: the account's column map, and a line read before under another key.</summary>
public sealed partial class StatementImporter
{
    /// <summary>The column map kept for the account, if it has one.</summary>
    public static async Task<ColumnMap?> SavedColumnsAsync(FeesDb db, Guid accountId, CancellationToken ct) =>
        ColumnMap.FromJson(await db.StatementColumnMaps.AsNoTracking().Where(m => m.AccountId == accountId).Select(m => m.Map).SingleOrDefaultAsync(ct));

    /// <summary>
    /// A line read before under another key is that line, not a new one: the same account, day, direction, amount and
    /// description, read once with a bank reference and once without (a bank's layout and a column map without the
    /// reference column, two maps, a file and an API). Such a line takes the key it was stored under, so the import
    /// skips it and links it; each earlier line answers for one line of the file, in order. Found by attack: the same
    /// file mapped with and without its reference column was imported twice, and the pupil's transfer paid twice.
    /// Two lines that both carry references are the same only by their reference.
    /// </summary>
    private async Task JoinReadBeforeAsync(SchoolBankAccount account, string name, List<StatementLineRow> rows, List<string> warnings, List<string> warningsVi,
        CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var days = rows.Select(r => r.BookingDate).Distinct().ToArray();
        var earlier = await db.StatementLines.AsNoTracking().Where(l => l.AccountId == account.Id && days.Contains(l.BookingDate))
            .Select(l => new { l.DedupeKey, HasRef = l.BankRef != null && l.BankRef != "", l.BookingDate, l.Direction, l.Reversal, l.AmountVnd, l.Content })
            .ToListAsync(ct);
        if (earlier.Count == 0) return;
        string Same(DateOnly day, string direction, bool reversal, long amount, string content) =>
            $"{day:yyyyMMdd}|{direction}|{reversal}|{amount}|{string.Join(' ', content.ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))}";
        var stored = earlier.Select(e => e.DedupeKey).ToHashSet(StringComparer.Ordinal);
        var incoming = rows.Select(r => r.DedupeKey).ToHashSet(StringComparer.Ordinal);
        var waiting = earlier.GroupBy(e => (Same(e.BookingDate, e.Direction, e.Reversal, e.AmountVnd, e.Content), e.HasRef))
            .ToDictionary(g => g.Key, g => new Queue<string>(g.Select(e => e.DedupeKey).Where(k => !incoming.Contains(k))));
        foreach (var r in rows)
        {
            if (stored.Contains(r.DedupeKey)) continue;
            var hasRef = !string.IsNullOrEmpty(r.BankRef);
            if (!waiting.TryGetValue((Same(r.BookingDate, r.Direction, r.Reversal, r.AmountVnd, r.Content), !hasRef), out var keys) || keys.Count == 0) continue;
            r.DedupeKey = keys.Dequeue();
            var day = r.BookingDate;
            warnings.Add($"{name}, line {r.FileLine}: {StatementLineKeys.Money(r.AmountVnd)} đồng on {day:yyyy-MM-dd} with this description was imported before "
                + $"{(hasRef ? "without" : "with")} a bank reference; it is that line, not imported again.");
            warningsVi.Add($"{name}, dòng {r.FileLine}: {StatementLineKeys.Dong(r.AmountVnd)} đồng ngày {day:dd/MM/yyyy} với nội dung này đã được nhập trước "
                + $"{(hasRef ? "không có" : "có")} mã giao dịch; đó là cùng một giao dịch, không nhập lại.");
        }
    }
}
