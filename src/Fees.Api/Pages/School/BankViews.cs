using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Matching;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>A pupil as a bank page names one: full name and payment code (the pupil page's address).</summary>
public sealed record PupilName(string Name, string PaymentCode);

/// <summary>A suggestion with the pupil's name beside its code (no name for a pupil of another school).</summary>
public sealed record NamedSuggestion(StoredSuggestion Suggestion, PupilName? Pupil);

/// <summary>One bank transaction as the statement preview and the transactions list show it.</summary>
public sealed record BankLineView(BankTransaction Line, bool ImportedBefore, IReadOnlyList<PupilName> Pupils, IReadOnlyList<string> Notices,
    IReadOnlyList<NamedSuggestion> Suggestions);

/// <summary>Builds the bank pages' cards: the pupils each transaction pays and the names beside suggested codes, the school's pupils only.</summary>
public static class BankViews
{
    /// <summary>The transactions page: whom the money pays now (payments in force).</summary>
    public static async Task<List<BankLineView>> OfTransactionsAsync(FeesDb db, string school, IReadOnlyList<BankTransaction> rows, CancellationToken ct)
    {
        var paid = (await new BankTransactions(db).PaidAsync(rows, ct)).ToLookup(p => p.TxId);
        var names = await NamesAsync(db, school, rows.SelectMany(r => SuggestionJson.Read(r.Suggestions).Select(s => s.PaymentCode)).ToList(), ct);
        return rows.Select(r => new BankLineView(r, false,
            paid[r.Id].Select(p => new PupilName(p.Name, p.PaymentCode)).DistinctBy(p => p.PaymentCode).ToList(),
            paid[r.Id].Select(p => p.NoticeNo).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList(),
            Suggested(r, names))).ToList();
    }

    /// <summary>The statement preview: whom the dry run paid (student codes and notices it read before rolling back).</summary>
    public static async Task<List<BankLineView>> OfPreviewAsync(FeesDb db, string school, IReadOnlyList<PreviewLine> lines, CancellationToken ct)
    {
        var codes = lines.SelectMany(l => Split(l.Line.StudentCodes)).Distinct().ToList();
        var byStudentCode = await db.Students.AsNoTracking()
            .Where(s => codes.Contains(s.StudentCode) && db.Schools.Any(sc => sc.Id == s.SchoolId && sc.Code == school))
            .ToDictionaryAsync(s => s.StudentCode, s => new PupilName(s.FullName, s.PaymentCode), ct);
        var names = await NamesAsync(db, school, lines.SelectMany(l => SuggestionJson.Read(l.Line.Suggestions).Select(s => s.PaymentCode)).ToList(), ct);
        return lines.Select(l => new BankLineView(l.Line, l.ImportedBefore,
            Split(l.Line.StudentCodes).Select(c => byStudentCode.GetValueOrDefault(c)).OfType<PupilName>().ToList(),
            Split(l.Line.NoticeNos).ToList(), Suggested(l.Line, names))).ToList();
    }

    /// <summary>The review queue: the names of the school's pupils its suggestions name.</summary>
    public static async Task<Dictionary<string, PupilName>> NamesAsync(FeesDb db, string school, IReadOnlyList<string> paymentCodes, CancellationToken ct)
    {
        var codes = paymentCodes.Distinct().ToList();
        if (codes.Count == 0) return [];
        return await db.Students.AsNoTracking()
            .Where(s => codes.Contains(s.PaymentCode) && db.Schools.Any(sc => sc.Id == s.SchoolId && sc.Code == school))
            .ToDictionaryAsync(s => s.PaymentCode, s => new PupilName(s.FullName, s.PaymentCode), ct);
    }

    public static List<NamedSuggestion> Suggested(string suggestionsJson, IReadOnlyDictionary<string, PupilName> names) =>
        SuggestionJson.Read(suggestionsJson).Select(s => new NamedSuggestion(s, names.GetValueOrDefault(s.PaymentCode))).ToList();

    private static List<NamedSuggestion> Suggested(BankTransaction t, IReadOnlyDictionary<string, PupilName> names) =>
        t.Outcome is "suggested" or "unmatched" or "parked" && t.Decision is null ? Suggested(t.Suggestions, names) : [];

    private static IEnumerable<string> Split(string? joined) => (joined ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries);
}
