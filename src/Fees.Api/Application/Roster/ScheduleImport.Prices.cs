using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Roster;

/// <summary>An item's prices from a month on: read from the file, and never from a month already billed.</summary>
public sealed partial class ScheduleImport
{
    /// <summary>
    /// <c>"price_changes": [{"from": "2026-01", "amount": 35000}]</c>: the item's price from a month on; notices already
    /// issued keep their amounts, and a change may not start in a month already billed (checked when stored).
    /// </summary>
    private static List<PriceChange>? PriceChanges(JsonElement item, string at, Action<string, string> bad)
    {
        if (!item.TryGetProperty("price_changes", out var el) || el.ValueKind == JsonValueKind.Null) return null;
        if (el.ValueKind != JsonValueKind.Array) { bad($"{at}.price_changes", "must be a list like [{\"from\": \"2026-01\", \"amount\": 35000}]."); return null; }
        var list = new List<PriceChange>();
        var n = 0;
        foreach (var c in el.EnumerateArray())
        {
            var where = $"{at}.price_changes[{n++}]";
            var fromText = Str(c, "from");
            if (!BillingMonth.TryParse(fromText, out var from)) { bad($"{where}.from", $"\"{fromText}\" is not a month like 2026-01."); continue; }
            if (Amount(c, where, bad) is { } amount) list.Add(new PriceChange(from, amount));
        }
        return list;
    }

    /// <summary>A new or changed price from a month some school already billed the item for is refused: issued notices are never repriced.</summary>
    private async Task RefuseRepricingBilledMonthsAsync(Persistence.ScheduleRow row, FeeSchedule schedule, string source, CancellationToken ct)
    {
        var problems = new List<InputProblem>();
        foreach (var item in schedule.Items.Where(i => i.PriceChanges is { Count: > 0 }))
        {
            var stored = row.Items.FirstOrDefault(x => x.Active && x.Code.Equals(item.Code, StringComparison.OrdinalIgnoreCase))?.PriceChanges ?? "";
            var was = stored.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            foreach (var c in item.PriceChanges!.Where(c => !was.Contains($"{c.From.Key}:{c.AmountVnd}")))
            {
                var code = item.Code.ToUpperInvariant();
                var billed = await (from l in db.NoticeLines.AsNoTracking()
                                    join n in db.Notices.AsNoTracking() on l.NoticeId equals n.Id
                                    where n.PeriodKey >= c.From.Key && l.ItemCode.ToUpper() == code
                                    select (int?)n.PeriodKey).MinAsync(ct);
                if (billed is { } key)
                    problems.Add(new InputProblem(source, null, $"item {item.Code}",
                        $"the price from {c.From} cannot change: {BillingMonth.FromKey(key)} is already billed; start the new price from a month not billed yet.",
                        $"khoản {item.Code}: không đổi được giá từ tháng {c.From.Month:D2}/{c.From.Year} vì tháng {key % 100:D2}/{key / 100} đã lập thông báo; hãy áp giá mới từ tháng chưa lập thông báo."));
            }
        }
        if (problems.Count > 0) throw new BadInputException(problems);
    }
}
