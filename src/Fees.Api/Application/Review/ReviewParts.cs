using System.Globalization;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Application.Review;

/// <summary>How a split is written by a person: "STUDENT=AMOUNT" parts.</summary>
public sealed partial class ReviewQueue
{
    /// <summary>"STUDENT=AMOUNT" parts, separated by commas or new lines; amounts may carry thousands dots (500.000).</summary>
    public static List<(string Student, long AmountVnd)> ParseParts(string text)
    {
        var parts = new List<(string, long)>();
        foreach (var part in text.Split([',', '\n', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.Split('=', StringSplitOptions.TrimEntries);
            if (eq.Length != 2 || eq[0].Length == 0
                || !long.TryParse(eq[1].Replace(".", "", StringComparison.Ordinal).Replace("₫", "", StringComparison.Ordinal).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
                throw new BadInputException("--to", null, null, $"\"{part}\" is not STUDENT=AMOUNT, like 7900000001=500000.",
                    $"\"{part}\" không đúng dạng MÃ HỌC SINH=SỐ TIỀN, ví dụ 7900000001=500.000.");
            parts.Add((eq[0], amount));
        }
        return parts;
    }

    /// <summary>A split pays a family's children: this many parts at most.</summary>
    public const int MostParts = 30;

    /// <summary>Parts a line can be split into: two or more, each above 0 and within the line, adding up to it exactly.</summary>
    private static void CheckParts(IReadOnlyList<(string Student, long AmountVnd)> parts, long lineAmount)
    {
        if (parts.Count < 2) throw new BadInputException("--to", null, null, "a split names at least two students, like --to 7900000001=500000,7900000002=371800.",
            "chia cho ít nhất hai học sinh.");
        if (parts.Count > MostParts) throw new BadInputException("--to", null, null, $"a split names at most {MostParts} students.",
            $"chia cho nhiều nhất {MostParts} học sinh.");
        if (parts.Any(p => p.AmountVnd <= 0)) throw new BadInputException("--to", null, null, "every part is a whole number of đồng above 0.",
            "mỗi phần là một số đồng lớn hơn 0.");
        // Each part within the line first, so that adding them up cannot overflow.
        if (parts.FirstOrDefault(p => p.AmountVnd > lineAmount) is { Student: not null } big)
            throw new BadInputException("--to", null, null, $"the part for {big.Student} is {Money(big.AmountVnd)}, more than the line's {Money(lineAmount)}.",
                $"phần của {big.Student} là {Money(big.AmountVnd)}, lớn hơn số tiền của giao dịch {Money(lineAmount)}.");
        var total = parts.Sum(p => p.AmountVnd);
        if (total != lineAmount)
            throw new BadInputException("--to", null, null, $"the parts add up to {Money(total)} but the line brought {Money(lineAmount)}; every đồng goes to exactly one student.",
                $"các phần cộng lại được {Money(total)} nhưng giao dịch là {Money(lineAmount)}; mỗi đồng phải về đúng một học sinh.");
    }
}
