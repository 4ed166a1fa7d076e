using System.Text;

namespace TdmEdu.Fees.Reconciliation.Matching;

/// <summary>
/// Finds students whose full name is written in a transfer description (case and diacritics aside, as whole
/// words): a clue for a suggestion, never for applying money. Names of one word are not indexed; they would
/// match too much. Looking up a description costs a few dictionary probes per word, not a scan of the roster.
/// </summary>
public sealed class NameIndex
{
    private const int MaxWords = 6;
    private readonly Dictionary<string, List<StudentFacts>> _byName = new(StringComparer.Ordinal);

    public NameIndex(IEnumerable<StudentFacts> students)
    {
        foreach (var s in students)
        {
            var words = Words(s.Name);
            if (words.Length is < 2 or > MaxWords) continue;
            var key = string.Join(' ', words);
            if (!_byName.TryGetValue(key, out var list)) _byName[key] = list = [];
            list.Add(s);
        }
    }

    /// <summary>Students named in the text, each once, with whether their class is written there too.</summary>
    public IReadOnlyList<(StudentFacts Student, bool ClassToo)> Find(string text)
    {
        var words = Words(text);
        var found = new List<(StudentFacts, bool)>();
        var seen = new HashSet<Guid>();
        for (var i = 0; i < words.Length; i++)
            for (var n = 2; n <= MaxWords && i + n <= words.Length; n++)
                if (_byName.TryGetValue(string.Join(' ', words, i, n), out var students))
                    foreach (var s in students)
                        if (seen.Add(s.Id)) found.Add((s, Words(s.ClassName) is { Length: > 0 } cls && ContainsRun(words, cls)));
        return found;
    }

    /// <summary>Upper case without diacritics, split into words of letters and digits.</summary>
    public static string[] Words(string text)
    {
        var folded = PaymentCodeExtractor.Fold(text);
        var sb = new StringBuilder(folded.Length);
        foreach (var c in folded) sb.Append(char.IsLetterOrDigit(c) ? c : ' ');
        return sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    private static bool ContainsRun(string[] words, string[] run)
    {
        for (var i = 0; i + run.Length <= words.Length; i++)
            if (words.AsSpan(i, run.Length).SequenceEqual(run)) return true;
        return false;
    }
}
