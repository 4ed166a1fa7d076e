using System.Text.Json;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.Api.Http.Banks;

/// <summary>
/// BIDV bill payment (family A): the token, and what every call goes through before its route's own work (token,
/// body, service id, checksum). Credentials are scoped: a call acts only for the school accounts whose username,
/// password (bound into the bearer token) and checksum secret all match it. The bills themselves are
/// <see cref="BidvBills"/>.
/// </summary>
internal static class BidvEndpoints
{
    /// <summary>What a BIDV handler is given by the host.</summary>
    public sealed record Call(HttpRequest Request, FeesDb Db, BankSettings Settings, SecretBox Box, BusinessClock Clock, InboxSignal Signal, ILoggerFactory Logs)
    {
        public ILogger Log { get; } = Logs.CreateLogger("Banks.BIDV");

        public BidvToken Tokens => new(Box.Mac);
    }

    /// <summary>A verified call, its raw bytes, and the accounts it acts for (never empty).</summary>
    public sealed record Received<T>(T Call, byte[] Body, List<AccountSettings> Caller)
    {
        public List<Guid> Schools { get; } = Caller.Select(a => a.Account.SchoolId).Distinct().ToList();

        public bool Owns(Guid accountId) => Caller.Any(a => a.Account.Id == accountId);
    }

    public static void Map(RouteGroupBuilder banks)
    {
        banks.MapPost("/bidv/token_generate", ([AsParameters] Call call, CancellationToken ct) => Guarded(call, "token", "token", () => TokenAsync(call, ct)));
        banks.MapPost("/bidv/getbill", ([AsParameters] Call call, CancellationToken ct) => Guarded(call, "getbill", "call", () => BidvBills.GetBillAsync(call, ct)));
        banks.MapPost("/bidv/paybill", ([AsParameters] Call call, CancellationToken ct) => Guarded(call, "paybill", "call", () => BidvBills.PayBillAsync(call, ct)));
        banks.MapPost("/bidv/revertbill", ([AsParameters] Call call, CancellationToken ct) => Guarded(call, "revertbill", "call", () => BidvBills.RevertBillAsync(call, ct)));
    }

    public static IResult Answer(string code, ILogger log, string route, string? why = null)
    {
        log.LogInformation("BIDV {Kind} answered {ResultCode}", route, code);
        return InboxAnswers.Json(BidvBillPayment.HttpStatus(code), BidvBillPayment.Answer(code, why));
    }

    /// <summary>A fault of ours is `031`, never stored, so BIDV retries or marks the transaction suspect.</summary>
    private static async Task<IResult> Guarded(Call call, string route, string what, Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            call.Log.LogWarning("BIDV {What} failed on our side: {Error}", what, e.GetType().Name);
            return Answer(BidvBillPayment.SystemError, call.Log, route);
        }
    }

    private static async Task<IResult> TokenAsync(Call call, CancellationToken ct)
    {
        if (BidvToken.BasicCredentials(call.Request.Headers.Authorization.ToString()) is not { } credentials)
            return Answer(BidvBillPayment.BadCredentials, call.Log, "token");
        var (user, password) = credentials;
        var accounts = await call.Settings.BidvByUsernameAsync(user, ct);
        if (!accounts.Any(a => a.BidvPassword is not null && BidvToken.PasswordMatches(a.BidvPassword, password)))
            return Answer(BidvBillPayment.BadCredentials, call.Log, "token");
        var token = call.Tokens.Mint(user, password, call.Clock.Now);
        call.Log.LogInformation("BIDV token issued");
        return InboxAnswers.Json(200, JsonSerializer.Serialize(new { access_token = token, token_type = "Bearer", expires_in = (int)BidvToken.Lifetime.TotalSeconds }));
    }

    /// <summary>
    /// What every BIDV call goes through, in this order: token, body, service id, checksum; the first failure is
    /// the answer. The caller is the set of accounts with the token's username and password, the call's service id
    /// and a secret that makes the call's checksum.
    /// </summary>
    public static async Task<(Received<T>? Call, IResult? Refusal)> ReceiveAsync<T>(Call call, string route, Func<byte[], T> parse,
        Func<T, string> serviceId, Func<string, T, bool> checksumMatches, CancellationToken ct)
    {
        var tokens = call.Tokens;
        if (tokens.Read(call.Request.Headers.Authorization.ToString(), call.Clock.Now) is not { } holder)
            return (null, Answer(BidvBillPayment.BadCredentials, call.Log, route));
        var accounts = (await call.Settings.BidvByUsernameAsync(holder.User, ct))
            .Where(a => a.BidvPassword is not null && tokens.IssuedWith(holder, a.BidvPassword)).ToList();
        if (accounts.Count == 0) return (null, Answer(BidvBillPayment.BadCredentials, call.Log, route));
        var body = await InboxAnswers.ReadBodyAsync(call.Request, ct);
        if (body is null) return (null, Answer(BidvBillPayment.MissingParameter, call.Log, route, $"the body is larger than {InboxAnswers.MaxBodyBytes} bytes"));
        T parsed;
        try
        {
            parsed = parse(body);
        }
        catch (Exception e) when (e is MalformedBankCallException or BankFieldMissingException)
        {
            // A call we cannot store as it came: `001` saying which field and why (our words, never the value).
            call.Log.LogInformation("BIDV {Kind} answered {ResultCode}: {Field} unusable", route, BidvBillPayment.MissingParameter, InboxAnswers.FieldOf(e) ?? "the body");
            return (null, InboxAnswers.Json(400, BidvBillPayment.Answer(BidvBillPayment.MissingParameter, e.Message)));
        }
        var service = accounts.Where(a => a.Account.BidvServiceId == serviceId(parsed)).ToList();
        if (service.Count == 0) return (null, Answer(BidvBillPayment.UnknownService, call.Log, route));
        var caller = service.Where(a => a.BidvSecret is not null && checksumMatches(a.BidvSecret, parsed)).ToList();
        if (caller.Count == 0) return (null, Answer(BidvBillPayment.BadChecksum, call.Log, route));
        return (new Received<T>(parsed, body, caller), null);
    }
}
