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
}
