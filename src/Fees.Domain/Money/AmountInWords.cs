namespace TdmEdu.Fees.Domain.Money;

/// <summary>
/// An amount written out in Vietnamese words, as a receipt states it ("Bằng chữ"): groups of three digits with
/// nghìn, triệu, tỷ; "linh" for a lone unit after hundreds, "mốt", "tư", "lăm" after tens, "mười" for ten, and
/// "không trăm" for a group with no hundreds once a larger group has been said.
/// </summary>
public static class AmountInWords
{
    private static readonly string[] Digits = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"];
    private static readonly string[] Scales = ["", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ", "tỷ tỷ"];

    /// <summary>"Một triệu ba trăm bảy mươi mốt nghìn tám trăm đồng".</summary>
    public static string Dong(long amount)
    {
        var words = Number(amount);
        return char.ToUpperInvariant(words[0]) + words[1..] + " đồng";
    }

    public static string Number(long n)
    {
        if (n == 0) return "không";
        if (n < 0) return "âm " + Number(n == long.MinValue ? throw new ArgumentOutOfRangeException(nameof(n)) : -n);
        var groups = new List<int>();
        for (var v = n; v > 0; v /= 1000) groups.Add((int)(v % 1000));
        var parts = new List<string>();
        var said = false;
        for (var i = groups.Count - 1; i >= 0; i--)
        {
            if (groups[i] == 0) continue;
            parts.Add(Group(groups[i], full: said));
            if (Scales[i].Length > 0) parts.Add(Scales[i]);
            said = true;
        }
        return string.Join(' ', parts);
    }

    private static string Group(int g, bool full)
    {
        int h = g / 100, t = g / 10 % 10, u = g % 10;
        var w = new List<string>();
        if (h > 0 || full) w.AddRange([Digits[h], "trăm"]);
        var afterHundreds = w.Count > 0;
        switch (t)
        {
            case 0 when u > 0:
                if (afterHundreds) w.Add("linh");
                w.Add(Digits[u]);
                break;
            case 1:
                w.Add("mười");
                if (u > 0) w.Add(u == 5 ? "lăm" : Digits[u]);
                break;
            case > 1:
                w.AddRange([Digits[t], "mươi"]);
                if (u > 0) w.Add(u switch { 1 => "mốt", 4 => "tư", 5 => "lăm", _ => Digits[u] });
                break;
        }
        return string.Join(' ', w);
    }
}
