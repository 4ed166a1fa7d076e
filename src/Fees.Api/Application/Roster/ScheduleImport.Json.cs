using System.Text;
using System.Text.Json;
using TdmEdu.Fees.Domain.Billing;

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
