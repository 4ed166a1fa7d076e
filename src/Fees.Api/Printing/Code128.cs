namespace TdmEdu.Fees.Api.Printing;

/// <summary>
/// Code 128 (set B) for the payment code on printed notices, which bank counters scan: the bar and space
/// widths of each symbol, a start, the data, the modulo-103 check symbol and the stop.
/// </summary>
public static class Code128
{
    // Widths of bar, space, bar, space, bar, space for symbol values 0..105; 106 (stop) has a seventh bar.
    private static readonly string[] Patterns =
    [
        "212222", "222122", "222221", "121223", "121322", "131222", "122213", "122312", "132212", "221213",
        "221312", "231212", "112232", "122132", "122231", "113222", "123122", "123221", "223211", "221132",
        "221231", "213212", "223112", "312131", "311222", "321122", "321221", "312212", "322112", "322211",
        "212123", "212321", "232121", "111323", "131123", "131321", "112313", "132113", "132311", "211313",
        "231113", "231311", "112133", "112331", "132131", "113123", "113321", "133121", "313121", "211331",
        "231131", "213113", "213311", "213131", "311123", "311321", "331121", "312113", "312311", "332111",
        "314111", "221411", "431111", "111224", "111422", "121124", "121421", "141122", "141221", "112214",
        "112412", "122114", "122411", "142112", "142211", "241211", "221114", "413111", "241112", "134111",
        "111242", "121142", "121241", "114212", "124112", "124211", "411212", "421112", "421211", "212141",
        "214121", "412121", "111143", "111341", "131141", "114113", "114311", "411113", "411311", "113141",
        "114131", "311141", "411131", "211412", "211214", "211232", "2331112",
    ];

    private const int StartB = 104, Stop = 106;

    /// <summary>The module widths, bars and spaces alternating, starting with a bar (no quiet zones).</summary>
    public static IReadOnlyList<int> Widths(string text)
    {
        if (text.Length == 0 || text.Any(c => c is < ' ' or > '~'))
            throw new ArgumentException("Code 128 set B holds printable ASCII only.", nameof(text));
        var values = new List<int> { StartB };
        values.AddRange(text.Select(c => c - 32));
        var check = StartB;
        for (var i = 1; i < values.Count; i++) check += i * values[i];
        values.Add(check % 103);
        values.Add(Stop);
        return values.SelectMany(v => Patterns[v].Select(w => w - '0')).ToList();
    }
}
