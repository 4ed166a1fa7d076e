using System.Text;
using System.Text.Json;
using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Roster;

/// <summary>The schedule file's small readers: each names the place in the file of what it refuses.</summary>
public sealed partial class ScheduleImport
{
    /// <summary>
    /// <c>"absence_refund": {"from_day": 1, "without_notice": false}</c> on a per-day item: days absent with notice
    /// are given back from the from_day-th day of absence in the month; without_notice gives back the others too.
    /// </summary>
    private static AbsenceRefundRule? RefundRule(JsonElement item, string at, Action<string, string> bad)
    {
        if (!item.TryGetProperty("absence_refund", out var r) || r.ValueKind == JsonValueKind.Null) return null;
        if (r.ValueKind != JsonValueKind.Object)
        {
            bad($"{at}.absence_refund", "must be an object like {\"from_day\": 1, \"without_notice\": false}.");
            return null;
        }
        var from = Int(r, "from_day", $"{at}.absence_refund.from_day", bad) ?? 1;
        var without = false;
        if (r.TryGetProperty("without_notice", out var w))
        {
            if (w.ValueKind is JsonValueKind.True or JsonValueKind.False) without = w.GetBoolean();
            else bad($"{at}.absence_refund.without_notice", $"{w.GetRawText()} is not true or false.");
        }
        return new AbsenceRefundRule(from, without);
    }

    /// <summary><c>"part_month": "full" | "days" | "half"</c>: how a month the pupil joins, leaves or changes class in is billed.</summary>
    private static PartMonthRule PartMonth(JsonElement item, string at, Action<string, string> bad)
    {
        if (!item.TryGetProperty("part_month", out var p) || p.ValueKind == JsonValueKind.Null) return PartMonthRule.Full;
        var text = p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (text is "full" or "days" or "half") return Enum.Parse<PartMonthRule>(text, ignoreCase: true);
        bad($"{at}.part_month", $"{p.GetRawText()} is not \"full\", \"days\" or \"half\".");
        return PartMonthRule.Full;
    }

    private static string KindOf(PolicyGroup p) => p.Kind == PolicyKind.Support ? "support" : "reduction";

    /// <summary>
    /// <c>"support": [{"code": "HT_CPHT", "name": "Hỗ trợ chi phí học tập", "items": ["*"], "amount": 150000,
    /// "max_months": 9, "legal_basis": "NĐ 238/2025/NĐ-CP"}]</c>: what the state pays in the family's place, an amount a
    /// month or a percent, kept with the reductions (one list of codes) and given to pupils the same way.
    /// </summary>
    private static List<PolicyGroup> Supports(JsonElement root, Files.FileLimits limits, string name, Action<string, string> bad)
    {
        var list = new List<PolicyGroup>();
        if (!root.TryGetProperty("support", out var el)) return list;
        if (el.ValueKind != JsonValueKind.Array) { bad("support", "must be a list."); return list; }
        if (el.GetArrayLength() > limits.MaxRows) throw limits.TooManyEntries(name, el.GetArrayLength(), "supports", "khoản hỗ trợ");
        var n = 0;
        foreach (var s in el.EnumerateArray())
        {
            var at = $"support[{n++}]";
            var code = Str(s, "code") ?? "";
            long? amount = s.TryGetProperty("amount", out _) ? Amount(s, at, bad) : null;
            list.Add(new PolicyGroup(code, (Str(s, "name") ?? code).Normalize(NormalizationForm.FormC), Int(s, "percent", $"{at}.percent", bad) ?? 0,
                Strs(s, "items", $"{at}.items", bad) ?? [], Str(s, "legal_basis")?.Normalize(NormalizationForm.FormC),
                PolicyKind.Support, amount, Int(s, "max_months", $"{at}.max_months", bad)));
        }
        return list;
    }

    private static string FirstSentence(string message)
    {
        var i = message.IndexOf(". ", StringComparison.Ordinal);
        return (i > 0 ? message[..i] : message).TrimEnd('.');
    }

    private static string? Str(JsonElement e, string prop) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(prop, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()?.Trim() : null;

    private static long? Amount(JsonElement e, string at, Action<string, string> bad)
    {
        if (!e.TryGetProperty("amount", out var v)) { bad($"{at}.amount", "is missing."); return null; }
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n)) return n;
        if (v.ValueKind == JsonValueKind.String)
        {
            var parsed = Files.Values.ParseAmount(v.GetString() ?? "", out var reason);
            if (parsed is null) bad($"{at}.amount", reason!);
            return parsed;
        }
        bad($"{at}.amount", $"{v.GetRawText()} is not a whole number of đồng.");
        return null;
    }

    private static int? Int(JsonElement e, string prop, string at, Action<string, string> bad)
    {
        if (!e.TryGetProperty(prop, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n)) return n;
        bad(at, $"{v.GetRawText()} is not a whole number.");
        return null;
    }

    private static List<int>? Ints(JsonElement e, string prop, string at, Action<string, string> bad)
    {
        if (!e.TryGetProperty(prop, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array) { bad(at, "must be a list of numbers."); return null; }
        var list = new List<int>();
        foreach (var x in v.EnumerateArray())
        {
            if (x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var n)) list.Add(n);
            else bad(at, $"{x.GetRawText()} is not a whole number.");
        }
        return list;
    }

    private static List<string>? Strs(JsonElement e, string prop, string at, Action<string, string> bad)
    {
        if (!e.TryGetProperty(prop, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array) { bad(at, "must be a list of texts."); return null; }
        var list = new List<string>();
        foreach (var x in v.EnumerateArray())
        {
            if (x.ValueKind == JsonValueKind.String) list.Add(x.GetString()!.Trim().Normalize(NormalizationForm.FormC));
            else bad(at, $"{x.GetRawText()} is not a text.");
        }
        return list;
    }
}
