using System.Text.Json;
using Refit;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.BankAdapters.Statements;

/// <summary>
/// One statement line, in our terms, whatever bank it came from. BalanceAfterVnd is the account's balance right after the
/// line, when the bank says (Vietcombank's runningBalance, MSB's balance): the books read each day's balances from it.
/// </summary>
public sealed record StatementLine(
    string Bank,
    string Account,
    string BankRef,
    DateOnly BookingDate,
    DateOnly? ValueDate,
    bool Credit,
    long AmountVnd,
    string Content,
    string? VirtualAccount,
    string? PayerAccount,
    string? PayerName,
    long? BalanceAfterVnd = null);

/// <summary>A bank answered, but not with something we can use; the message says which bank, what and where.</summary>
public sealed class BankAnswerException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Turns what a failed call threw into a sentence for the accountant and the log.</summary>
public static class StatementFailure
{
    public static Exception Describe(string bank, string what, Exception e)
    {
        if (e is OperationCanceledException && e.GetType().Name != "TimeoutRejectedException") return e;
        // Refit and the resilience pipeline wrap what happened; the innermost known cause is the one to tell.
        var chain = new List<Exception>();
        for (var x = e; x is not null; x = x.InnerException) chain.Add(x);
        bool Has(string typeName) => chain.Any(x => x.GetType().Name == typeName);
        if (Has("BrokenCircuitException"))
            return new BankAnswerException($"Calls to {bank} are paused after repeated failures; {what} was not asked. They resume by themselves.", e);
        if (Has("TimeoutRejectedException") || chain.Any(x => x is TimeoutException))
            return new BankAnswerException($"{bank} did not answer {what} in time.", e);
        if (chain.Any(x => x is JsonException))
            return new BankAnswerException($"{bank}'s answer to {what} is not the JSON we expect.", e);
        if (chain.OfType<ApiException>().FirstOrDefault() is { } api && (int)api.StatusCode >= 300)
            return new BankAnswerException($"{bank} refused {what}: HTTP {(int)api.StatusCode}.", e);
        if (chain.OfType<HttpRequestException>().FirstOrDefault() is { } http)
            return new BankAnswerException($"{bank} could not be reached for {what}: {http.Message}", e);
        return new BankAnswerException($"{bank} failed on {what}: {chain[^1].GetType().Name}.", e);
    }
}

/// <summary>Statement amounts: whole đồng as a number or a string of digits; a fraction of .00 is tolerated, any other is not.</summary>
public static class StatementAmount
{
    /// <summary>A balance the bank states beside a line: whole đồng, may be negative (an overdraft); null when absent or not whole đồng.</summary>
    public static long? Balance(JsonElement v)
    {
        var text = v.ValueKind switch { JsonValueKind.Number => v.GetRawText(), JsonValueKind.String => v.GetString() ?? "", _ => "" };
        if (text.EndsWith(".00", StringComparison.Ordinal) || text.EndsWith(".0", StringComparison.Ordinal)) text = text[..text.IndexOf('.')];
        var digits = text.StartsWith('-') ? text[1..] : text;
        if (digits.Length is 0 or > 15 || !digits.All(char.IsAsciiDigit)) return null;
        var value = long.Parse(digits, System.Globalization.CultureInfo.InvariantCulture);
        return text.StartsWith('-') ? -value : value;
    }

    public static long? Read(JsonElement v)
    {
        var text = v.ValueKind switch { JsonValueKind.Number => v.GetRawText(), JsonValueKind.String => v.GetString() ?? "", _ => "" };
        if (text.EndsWith(".00", StringComparison.Ordinal) || text.EndsWith(".0", StringComparison.Ordinal)) text = text[..text.IndexOf('.')];
        return BankJson.ParseAmount(text);
    }
}
