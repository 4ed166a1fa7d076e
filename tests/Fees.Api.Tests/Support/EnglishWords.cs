using System.Text.RegularExpressions;
using Microsoft.Playwright;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// Finds English words in a Vietnamese page's visible text. The list is every word of three letters or more of the
/// pages' English texts (Lang), with the words the Vietnamese texts use too taken out (VietQR, PDF, BIDV, Zalo, email),
/// and the words a refusal or a stored reason of the ledger writes in English. A word on the page that is in the list
/// is English that reached a Vietnamese page.
/// </summary>
public static partial class EnglishWords
{
    /// <summary>Words the ledger, the matcher and the parsers write in English when no page text is involved.</summary>
    private static readonly string[] Ledger =
    [
        "amount", "balance", "code", "description", "equals", "matched", "unmatched", "suggested", "duplicate", "ignored", "reversed",
        "issued", "paid", "partially", "cancelled", "refunded", "student", "students", "notice", "notices", "payment", "payments", "receipt",
        "receipts", "school", "month", "account", "accountant", "principal", "auditor", "admin", "error", "found", "not", "and", "the", "for",
        "with", "from", "was", "this", "that", "line", "file", "name", "date", "status", "reason", "total", "credit", "debit", "pending",
        "approved", "rejected", "done", "open", "closed", "cash", "bank", "transfer", "none", "unknown", "waiting", "sent", "delivered",
        "failed", "held", "true", "false", "null", "yes", "page", "sign", "out", "home", "menu", "search", "next", "previous", "back",
    ];

    private static readonly HashSet<string> List = Build();

    private static HashSet<string> Build()
    {
        var vietnamese = Lang.Texts.SelectMany(t => Words(t.Vi)).Select(w => w.ToLowerInvariant()).ToHashSet();
        var english = Lang.Texts.SelectMany(t => Words(t.En)).Concat(Ledger).Select(w => w.ToLowerInvariant()).ToHashSet();
        english.ExceptWith(vietnamese);
        return english;
    }

    private static IEnumerable<string> Words(string text) => Word().Matches(text).Select(m => m.Value);

    /// <summary>The English words of a page's visible text, each once, in the order met.</summary>
    public static List<string> In(string visibleText) =>
        Words(visibleText).Where(w => List.Contains(w.ToLowerInvariant())).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>A step of a walk: the page fits a phone and its visible text holds no English word.</summary>
    public static async Task AssertVietnameseOnAPhoneAsync(IPage page, string what)
    {
        await PhoneChecks.AssertFitsAPhoneAsync(page, what);
        var english = In(await page.InnerTextAsync("body"));
        Assert.True(english.Count == 0, $"{what} ({page.Url}): English on a Vietnamese page: {string.Join(", ", english)}");
    }

    /// <summary>Whether the list holds a word (the test checks its list can catch what it looks for).</summary>
    public static bool Holds(string word) => List.Contains(word.ToLowerInvariant());

    // Whole words of ASCII letters only: a Vietnamese word has a letter outside ASCII or is in the Vietnamese texts.
    [GeneratedRegex(@"(?<![\p{L}\p{N}_@./-])[A-Za-z]{3,}(?![\p{L}\p{N}_@-])", RegexOptions.None, 1000)]
    private static partial Regex Word();
}
