namespace TdmEdu.Fees.Api.Common;

/// <summary>
/// The characters no text we read may hold: control characters (NUL, the rest of C0, DEL, C1; a tab always, line
/// breaks where the text may have several lines), the noncharacters U+FFFE and U+FFFF and a lone half of a surrogate
/// pair. PostgreSQL refuses NUL; none of the others can be written in XML, so a name holding one could never stand on
/// a signed e-receipt.
/// </summary>
public static class TextRules
{
    /// <summary>The first character not accepted in the text, or null.</summary>
    public static char? FirstRefused(string? text, bool multiLine = false)
    {
        if (text is null) return null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c) || c is '\uFFFE' or '\uFFFF') return c;
            if (char.IsControl(c) && !(c == '\t' || (multiLine && c is '\r' or '\n'))) return c;
        }
        return null;
    }
}
