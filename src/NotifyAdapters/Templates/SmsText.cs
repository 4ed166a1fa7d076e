using System.Globalization;
using System.Text;

namespace TdmEdu.Fees.NotifyAdapters.Templates;

/// <summary>
/// SMS text as the carriers take it with IsUnicode=0 (§5): no diacritics, only the GSM 03.38 basic character set, so
/// every character is one septet; 160 in one part, 153 in each part of a longer text [S]; at most two parts.
/// </summary>
public static class SmsText
{
    public const int SinglePart = 160;
    public const int PartOfMany = 153;
    public const int MaxParts = 2;
    public const int MaxLength = PartOfMany * MaxParts;

    // The basic set without ESC (which only introduces the extension table, whose characters count twice).
    private const string GsmBasic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    /// <summary>NFC, diacritics stripped (đ→d, Đ→D), common punctuation folded, anything else outside the basic set as '?'.</summary>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            switch (c)
            {
                case 'đ': sb.Append('d'); continue;
                case 'Đ': sb.Append('D'); continue;
                case '\u2018' or '\u2019' or '`' or '´': sb.Append('\''); continue;
                case '\u201C' or '\u201D': sb.Append('"'); continue;
                case '\u2013' or '\u2014' or '\u2212': sb.Append('-'); continue;
                case '\u2026': sb.Append("..."); continue;
                case '\u00A0' or '\t': sb.Append(' '); continue;
            }
            foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
            {
                if (CharUnicodeInfo.GetUnicodeCategory(d) == UnicodeCategory.NonSpacingMark) continue;
                sb.Append(GsmBasic.Contains(d) ? d : '?');
            }
        }
        return sb.ToString();
    }

    /// <summary>How many parts a folded text takes.</summary>
    public static int Segments(string folded) =>
        folded.Length <= SinglePart ? 1 : (folded.Length + PartOfMany - 1) / PartOfMany;
}
