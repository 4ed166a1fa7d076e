namespace TdmEdu.Fees.Api.Application.Roster;

public sealed partial class StudentImport
{
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
