namespace TdmEdu.Fees.Api.Http.Banks;

/// <summary>
/// The banks' calls (contracts/banks.md). Each is verified, stored raw in the inbox, and answered; the inbox
/// worker applies it afterwards. Success is answered only for a call that is stored and reads back, with the
/// adapter the worker uses, as what was verified; anything else gets the bank's refusal and nothing is stored.
/// Every answer is in the bank's own format, never ProblemDetails, also for a route no bank has. Logs carry the
/// bank, the kind, the answer code, our inbox id and the name of a field we refused: never the body, names or
/// account numbers. A new bank is a file beside these: its verification and its answers.
/// </summary>
public static class BankEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var banks = app.MapGroup("/api/banks");
        BidvEndpoints.Map(banks);
        NotifyEndpoints.Map(banks);
        banks.MapFallback(() => InboxAnswers.Json(404, """{"code":"01","message":"unknown bank route"}"""));
    }
}
