using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.BankAdapters.Aggregators;

/// <summary>
/// SePay's webhook (docs/contracts/aggregators.md): one call per movement of a linked bank account, verified by the
/// API key SePay sends as <c>Authorization: Apikey KEY</c>, idempotent on SePay's transaction id <c>id</c>.
/// </summary>
public static class SepayWebhook
{
    public const string AuthorizationHeader = "Authorization";
    private const string Scheme = "Apikey ";

    public static string AccountOf(JsonElement body) => BankJson.Required(body, "accountNumber");

    public static string Authorization(string apiKey) => Scheme + apiKey;

    /// <summary>The header holds exactly this account's key, compared in constant time.</summary>
    public static bool KeyMatches(string apiKey, string? authorization) =>
        authorization is not null && authorization.StartsWith(Scheme, StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(authorization[Scheme.Length..].Trim()), Encoding.UTF8.GetBytes(apiKey));

    public static BankEvent Parse(JsonElement o)
    {
        var id = BankJson.Required(o, "id");
        if (!id.All(char.IsAsciiDigit)) throw new MalformedBankCallException("id is not a number", "id");
        var amount = BankJson.Amount(o, "transferAmount");
        var kind = BankJson.Required(o, "transferType") switch
        {
            "in" => BankEventKind.Credit,
            "out" => BankEventKind.OtherDebit,
            _ => throw new MalformedBankCallException("transferType is neither in nor out", "transferType"),
        };
        // The bank's own reference joins the call with the statement line of the same credit. Without it the two could
        // not be told to be one credit, and it would be paid twice: such a call is refused, and the statement brings the money.
        var reference = BankJson.Required(o, "referenceCode");
        var time = BankJson.Text(o, "transactionDate");
        return new BankEvent(BankDirectory.Sepay, kind, id, reference, amount, AccountOf(o), null, null, null,
            BankJson.Text(o, "content", BankJson.MaxTextLength) ?? "", null, time, Aggregated.Day(time));
    }

    public static (int Status, string Body) Ok => (200, """{"success":true}""");
    public static (int Status, string Body) Malformed => (400, """{"success":false,"message":"Bad request"}""");
    public static (int Status, string Body) BadKey => (401, """{"success":false,"message":"Unauthorized"}""");
    public static (int Status, string Body) OurFailure => (500, """{"success":false,"message":"Internal error"}""");
}
