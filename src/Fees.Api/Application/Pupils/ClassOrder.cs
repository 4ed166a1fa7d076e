using System.Globalization;
using System.Text;

namespace TdmEdu.Fees.Api.Application.Pupils;

/// <summary>A class of a school as a filter offers it.</summary>
public sealed record ClassChoice(string Name, int Grade);

/// <summary>
/// Classes in the order of the children's age, as a school lists them: kindergarten first (nhà trẻ, then mầm, chồi,
/// lá: 3, 4 and 5 years old, which all carry grade 0), then grades 1 to 12; within a grade by name, the numbers in a
/// name compared as numbers ("1A2" before "1A10") and the letters the Vietnamese way.
/// </summary>
public static class ClassOrder
{
    private static readonly CompareInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN").CompareInfo;

    /// <summary>The kindergarten groups from the youngest, by the word a class name starts with.</summary>
    private static readonly string[] Stages = ["nha tre", "mam", "choi", "la"];

    public static readonly IComparer<ClassChoice> ByAge = Comparer<ClassChoice>.Create((a, b) =>
    {
        var byGrade = a.Grade.CompareTo(b.Grade);
        if (byGrade != 0) return byGrade;
        var byStage = a.Grade == 0 ? Stage(a.Name).CompareTo(Stage(b.Name)) : 0;
        return byStage != 0 ? byStage : Natural(a.Name, b.Name);
    });

    public static IReadOnlyList<ClassChoice> Sort(IEnumerable<ClassChoice> classes) => classes.Order(ByAge).ToList();

    private static int Stage(string name)
    {
        var folded = Fold(name);
        if (folded.StartsWith("lop ", StringComparison.Ordinal)) folded = folded[4..];
        for (var i = 0; i < Stages.Length; i++)
        {
            if (folded == Stages[i] || folded.StartsWith(Stages[i] + " ", StringComparison.Ordinal)) return i;
        }
        return Stages.Length;
    }

    /// <summary>Runs of digits compared as numbers, the rest with Vietnamese collation, case aside.</summary>
    private static int Natural(string a, string b)
    {
        int i = 0, j = 0;
        while (i < a.Length && j < b.Length)
        {
            var (runA, nextA) = Run(a, i);
            var (runB, nextB) = Run(b, j);
            int c;
            if (char.IsAsciiDigit(runA[0]) && char.IsAsciiDigit(runB[0]))
            {
                var x = runA.TrimStart('0');
                var y = runB.TrimStart('0');
                c = x.Length != y.Length ? x.Length.CompareTo(y.Length) : string.CompareOrdinal(x, y);
            }
            else c = Vietnamese.Compare(runA, runB, CompareOptions.IgnoreCase);
            if (c != 0) return c;
            (i, j) = (nextA, nextB);
        }
        var byLength = (a.Length - i).CompareTo(b.Length - j);
        return byLength != 0 ? byLength : string.CompareOrdinal(a, b);
    }

    private static (string Run, int Next) Run(string s, int start)
    {
        var digits = char.IsAsciiDigit(s[start]);
        var end = start;
        while (end < s.Length && char.IsAsciiDigit(s[end]) == digits) end++;
        return (s[start..end], end);
    }

    /// <summary>Lower case without Vietnamese marks, đ as d: enough to recognise a group's word in a class name.</summary>
    private static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Trim().Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(c is 'đ' or 'Đ' ? 'd' : char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
