using System.Globalization;
using System.Text;
using System.Text.Json;

namespace TdmEdu.Fees.BankAdapters.Aggregators;

/// <summary>What the three aggregators write alike.</summary>
internal static class Aggregated
{
    /// <summary>The day of "yyyy-MM-dd HH:mm:ss" (their transaction times), or null.</summary>
    public static DateOnly? Day(string? time) =>
        time is { Length: >= 10 } && DateOnly.TryParseExact(time[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
}

/// <summary>
/// Compact JSON with every object's keys in ordinal order, strings escaped as JavaScript's JSON.stringify escapes them
/// (quote, backslash, control characters; nothing else), numbers as the sender wrote them: the text Casso signs.
/// </summary>
public static class SortedJson
{
    public static string Write(JsonElement e)
    {
        var sb = new StringBuilder();
        Write(e, sb, 0);
        return sb.ToString();
    }

    private static void Write(JsonElement e, StringBuilder sb, int depth)
    {
        if (depth > 16) throw new FormatException("nested too deep");
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                sb.Append('{');
                var first = true;
                foreach (var p in e.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    String(p.Name, sb);
                    sb.Append(':');
                    Write(p.Value, sb, depth + 1);
                }
                sb.Append('}');
                break;
            case JsonValueKind.Array:
                sb.Append('[');
                var i = 0;
                foreach (var x in e.EnumerateArray())
                {
                    if (i++ > 0) sb.Append(',');
                    Write(x, sb, depth + 1);
                }
                sb.Append(']');
                break;
            case JsonValueKind.String: String(e.GetString()!, sb); break;
            default: sb.Append(e.GetRawText()); break;
        }
    }

    private static void String(string s, StringBuilder sb)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case < ' ': sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
