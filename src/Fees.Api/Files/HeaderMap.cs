using System.Globalization;
using System.Text;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Files;

/// <summary>A column a file may carry: its canonical name, the Vietnamese names accepted, and whether it must be there.</summary>
public sealed record ColumnSpec(string Name, bool Required, params string[] Aliases);

/// <summary>
/// Finds columns by header text: case-insensitive, with or without diacritics, canonical or Vietnamese name.
/// Unknown columns are ignored.
/// </summary>
public sealed class HeaderMap
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _display = new(StringComparer.Ordinal);

    public HeaderMap(TabularData data, IReadOnlyList<ColumnSpec> specs)
    {
        var keys = data.Header.Select(Fold).ToList();
        var problems = new List<InputProblem>();
        foreach (var spec in specs)
        {
            var names = new[] { spec.Name }.Concat(spec.Aliases).Select(Fold).ToHashSet();
            var found = keys.Select((k, i) => (k, i)).Where(x => names.Contains(x.k)).Select(x => x.i).ToList();
            if (found.Count > 1)
                problems.Add(new InputProblem(data.SourceName, data.HeaderLine, spec.Name,
                    $"the column {Describe(spec)} appears {found.Count} times in the header.", $"cột {Describe(spec)} xuất hiện {found.Count} lần ở dòng tiêu đề."));
            else if (found.Count == 1)
            {
                _index[spec.Name] = found[0];
                var written = data.Header[found[0]];
                _display[spec.Name] = Fold(written) == Fold(spec.Name)
                    ? $"{TabularFile.ColumnLetter(found[0])} ({spec.Name})"
                    : $"{TabularFile.ColumnLetter(found[0])} \"{written}\" ({spec.Name})";
            }
            else if (spec.Required)
                problems.Add(new InputProblem(data.SourceName, data.HeaderLine, spec.Name,
                    $"the header has no column {Describe(spec)}.", $"dòng tiêu đề thiếu cột {Describe(spec)}."));
        }
        if (problems.Count > 0) throw new BadInputException(problems);
    }

    public bool Has(string column) => _index.ContainsKey(column);

    public string Get(TabularRow row, string column) =>
        _index.TryGetValue(column, out var i) && i < row.Cells.Count ? row.Cells[i] : "";

    /// <summary>How an error names the column: letter, the header as written in the file, and our name.</summary>
    public string Describe(string column) =>
        _display.TryGetValue(column, out var d) ? d : column;

    private static string Describe(ColumnSpec spec) =>
        spec.Aliases.Length > 0 ? $"{spec.Name} ({spec.Aliases[0]})" : spec.Name;

    /// <summary>Lower case, diacritics and đ folded, separators collapsed: "Mã Trường" → "ma truong".</summary>
    public static string Fold(string text)
    {
        var decomposed = text.Trim().ToLowerInvariant().Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        var space = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            if (char.IsLetterOrDigit(c)) { sb.Append(c); space = false; }
            else if (!space && sb.Length > 0) { sb.Append(' '); space = true; }
        }
        return sb.ToString().TrimEnd();
    }
}
