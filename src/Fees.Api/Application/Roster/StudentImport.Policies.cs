using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Roster;

/// <summary>A pupil's reductions and supports from the roster: their documents, kept in place, compared.</summary>
public sealed partial class StudentImport
{
    /// <summary>Policies are updated in place, so a kept membership is an update, not a delete and insert of the same key.</summary>
    private static void ApplyPolicies(Student s, Row r)
    {
        s.Policies.RemoveAll(p => !r.Policies.Any(w => w.Code == p.PolicyCode));
        foreach (var (code, until) in r.Policies)
        {
            var kept = s.Policies.FirstOrDefault(p => p.PolicyCode == code);
            if (kept is null) s.Policies.Add(kept = new StudentPolicy { StudentId = s.Id, PolicyCode = code, ValidUntil = until });
            else kept.ValidUntil = until;
            // Without the column the documents recorded stay; with it, a code without one has none.
            if (r.Evidence is { } evidence) kept.Evidence = evidence.GetValueOrDefault(code);
        }
    }

    private static bool PoliciesDiffer(Student s, Row r) =>
        !s.Policies.OrderBy(p => p.PolicyCode).Select(p => (p.PolicyCode, p.ValidUntil))
            .SequenceEqual(r.Policies.OrderBy(p => p.Code).Select(p => (p.Code, p.Until)))
        || (r.Evidence is { } e && s.Policies.Any(p => p.Evidence != e.GetValueOrDefault(p.PolicyCode)));

    /// <summary>
    /// The roster's optional <c>policy_evidence</c> column: the document proving each policy or support the pupil
    /// holds, <c>HN=GCN 123/2025; HT_CPHT=QĐ 45/QĐ-UBND</c> (separated by ';', a document may hold commas). The claim to
    /// the budget names it; only the roles handling reductions see it.
    /// </summary>
    private static Dictionary<string, string> EvidenceOf(string text, List<(string Code, DateOnly? Until)> policies, Action<string, string> bad)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            var code = (eq < 0 ? "" : part[..eq]).Trim().ToUpperInvariant();
            var doc = eq < 0 ? "" : part[(eq + 1)..].Trim();
            if (code.Length == 0 || doc.Length == 0)
                bad($"\"{Short(part)}\" is not CODE=document (like HN=GCN 123/2025).", $"\"{Short(part)}\" không có dạng MÃ=giấy tờ (ví dụ HN=GCN 123/2025).");
            else if (doc.Length > 100) bad($"the document of {code} is longer than 100 characters.", $"giấy tờ của {code} dài quá 100 ký tự.");
            else if (!policies.Any(p => p.Code == code)) bad($"{code} has a document but is not in policy_groups.", $"{code} có giấy tờ nhưng không có trong cột đối tượng chính sách.");
            else if (!map.TryAdd(code, doc)) bad($"{code} has two documents.", $"{code} có hai giấy tờ.");
        }
        return map;
    }

    private static string Short(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
