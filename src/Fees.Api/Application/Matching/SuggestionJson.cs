using System.Text.Json;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Api.Application.Matching;

/// <summary>A suggestion as stored with a decision: the pupil's payment code, why (in both languages), and whether it is the clear first.</summary>
public sealed record StoredSuggestion(string PaymentCode, string Why, string? WhyVi, bool Best);

/// <summary>
/// The one way suggestions are written beside a decision (a statement line's reconciliation, parked money) and read back:
/// the review queue, its page and `reconcile export` all read them here, in the order the matcher ranked them.
/// </summary>
public static class SuggestionJson
{
    public static string Write(IEnumerable<Suggestion> suggestions) => JsonSerializer.Serialize(suggestions.Select(s =>
        new { payment_code = s.PaymentCode, why = s.Said.En, why_vi = s.Said.Vi, best = s.Best }));

    /// <summary>Suggestions as stored, best first; those written before reasons were written twice have no Vietnamese and no best.</summary>
    public static IReadOnlyList<StoredSuggestion> Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return [];
        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Array) return [];
        return doc.RootElement.EnumerateArray().Select(e => new StoredSuggestion(
            e.GetProperty("payment_code").GetString() ?? "",
            e.TryGetProperty("why", out var why) ? why.GetString() ?? "" : "",
            e.TryGetProperty("why_vi", out var vi) && vi.ValueKind == JsonValueKind.String ? vi.GetString() : null,
            e.TryGetProperty("best", out var best) && best.ValueKind == JsonValueKind.True)).ToList();
    }
}
