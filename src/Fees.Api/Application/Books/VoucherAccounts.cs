using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Books;

/// <summary>
/// The accounts vouchers post to, per school (or every school), item and channel (docs/contracts/vouchers.md).
/// A file replaces the whole list; what no row names falls back to the defaults below.
/// </summary>
public sealed class VoucherAccounts(FeesDb db, BusinessClock clock, Actor actor)
{
    /// <summary>The item code whose credit account holds a pupil's money not yet on a notice.</summary>
    public const string CreditItem = "_CREDIT";

    /// <summary>Defaults until the authority sets its chart: cash 111, bank 112, items 3388, money held for a pupil 3388.</summary>
    public static readonly (string Cash, string Bank, string Item, string Held) Defaults = ("111", "112", "3388", "3388");

    private static readonly ColumnSpec[] Columns =
    [
        new("school_code", false, "Mã trường"),
        new("item_code", true, "Mã khoản"),
        new("channel", true, "Kênh", "Hình thức"),
        new("debit", true, "Tài khoản nợ", "TK Nợ"),
        new("credit", true, "Tài khoản có", "TK Có"),
    ];

    public async Task<int> ImportAsync(string path, CancellationToken ct = default)
    {
        var data = TabularFile.Read(path, FileLimits.Schools, ct);
        var map = new HeaderMap(data, Columns);
        var problems = new List<InputProblem>();
        var rows = new List<VoucherAccount>();
        var seen = new Dictionary<(string, string, string), int>();
        foreach (var r in data.Rows)
        {
            void Bad(string col, string en, string vi) => problems.Add(new InputProblem(data.SourceName, r.Line, map.Describe(col), en, vi));
            var school = map.Get(r, "school_code").Trim().ToUpperInvariant();
            var item = map.Get(r, "item_code").Trim().ToUpperInvariant();
            var channel = HeaderMap.Fold(map.Get(r, "channel")) switch { "cash" or "tien mat" => "cash", "bank" or "ngan hang" or "chuyen khoan" => "bank", "*" or "" => "*", _ => null };
            var (debit, credit) = (map.Get(r, "debit").Trim(), map.Get(r, "credit").Trim());
            if (item.Length == 0 || item.Length > 32) Bad("item_code", "is empty or longer than 32 characters.", "đang trống hoặc dài quá 32 ký tự.");
            if (channel is null) Bad("channel", $"\"{map.Get(r, "channel")}\" is not cash, bank or *.", $"\"{map.Get(r, "channel")}\" không phải tiền mặt (cash), ngân hàng (bank) hoặc *.");
            foreach (var (col, acc) in new[] { ("debit", debit), ("credit", credit) })
                if (acc.Length is 0 or > 20 || !acc.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-'))
                    Bad(col, $"\"{acc}\" is not an account number (digits, at most 20).", $"\"{acc}\" không phải số tài khoản kế toán (chữ số, tối đa 20).");
            if (channel is null) continue;
            if (seen.TryGetValue((school, item, channel), out var first)) { Bad("item_code", $"the same school, item and channel as line {first}.", $"trùng trường, khoản và kênh với dòng {first}."); continue; }
            seen[(school, item, channel)] = r.Line;
            rows.Add(new VoucherAccount { Id = Guid.CreateVersion7(), SchoolCode = school, ItemCode = item, Channel = channel, Debit = debit, Credit = credit });
        }
        if (problems.Count > 0) throw new BadInputException(problems);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.VoucherAccounts.ExecuteDeleteAsync(ct);
        db.VoucherAccounts.AddRange(rows);
        AuditLog.Record(db, clock, actor, "vouchers.accounts", "voucher_accounts", "*", new { rows = rows.Count });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return rows.Count;
    }

    /// <summary>The (debit, credit) for an item and channel at a school: the school's own row, then the authority's; the item's, then "*".</summary>
    public static Func<string, string, (string Debit, string Credit)> Resolver(IReadOnlyList<VoucherAccount> rows, string school)
    {
        return (item, channel) =>
        {
            var hit = rows.Where(r => (r.SchoolCode == school || r.SchoolCode.Length == 0)
                                      // "*" is every item, never the account holding pupils' money (which is not revenue).
                                      && (r.ItemCode == item.ToUpperInvariant() || (r.ItemCode == "*" && item != CreditItem))
                                      && (r.Channel == channel || r.Channel == "*"))
                .OrderByDescending(r => r.SchoolCode.Length > 0).ThenByDescending(r => r.ItemCode != "*").ThenByDescending(r => r.Channel != "*")
                .FirstOrDefault();
            var money = channel == "cash" ? Defaults.Cash : Defaults.Bank;
            var fallback = item == CreditItem ? Defaults.Held : Defaults.Item;
            return hit is null ? (money, fallback) : (hit.Debit, hit.Credit);
        };
    }
}
