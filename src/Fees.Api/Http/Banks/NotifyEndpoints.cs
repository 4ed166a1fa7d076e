using System.Text;
using System.Text.Json;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Aggregators;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Http.Banks;

/// <summary>
/// Credit notifications (family B): Vietcombank, MSB and the aggregators (SePay, Casso, payOS) through one pipeline. The body is parsed as untrusted JSON
/// to find the account, the account's key checks the signature (and MSB's timestamp), then the call is stored in
/// shared batches (<see cref="InboxStore"/>) and answered. What differs per bank is a <see cref="Notifier"/>.
/// </summary>
internal static class NotifyEndpoints
{
    /// <summary>One bank's side of a notification: where the account is, how the call is verified, its answers.</summary>
    private sealed record Notifier(
        string Bank,
        Func<JsonElement, string> AccountOf,
        // The refusal for a call this account's settings do not verify, or null when they do (given the raw body and its JSON).
        Func<HttpRequest, AccountSettings, byte[], JsonElement, DateTimeOffset, (int Status, string Body)?> Refusal,
        Func<JsonElement, BankEvent> Parse,
        // The headers that matter, kept with the raw body.
        Func<HttpRequest, object> Headers,
        Func<Guid, (int Status, string Body)> Ok,
        (int Status, string Body) Malformed,
        (int Status, string Body) OurFailure);

    private static readonly Notifier Vcb = new("VCB", VcbNotification.AccountOf,
        (request, account, body, _, _) =>
            string.IsNullOrWhiteSpace(account.Account.VcbPublicKeyPem) ? VcbNotification.OurFailure
            : !VcbNotification.SignatureMatches(account.Account.VcbPublicKeyPem, body, request.Headers[VcbNotification.SignatureHeader]) ? VcbNotification.BadSignature
            : null,
        VcbNotification.Parse,
        request => new { signature = request.Headers[VcbNotification.SignatureHeader].ToString() },
        VcbNotification.Ok, VcbNotification.Malformed, VcbNotification.OurFailure);

    private static readonly Notifier Msb = new("MSB", MsbNotification.AccountOf,
        (request, account, body, _, now) =>
        {
            var timestamp = request.Headers[MsbNotification.TimestampHeader].ToString();
            return account.MsbSecret is null ? MsbNotification.OurFailure
                : !MsbNotification.SignatureMatches(account.MsbSecret, timestamp, body, request.Headers[MsbNotification.SignatureHeader]) ? MsbNotification.BadSignature
                : !MsbNotification.IsFresh(timestamp, now) ? MsbNotification.Stale
                : null;
        },
        MsbNotification.Parse,
        request => new { timestamp = request.Headers[MsbNotification.TimestampHeader].ToString(), signature = request.Headers[MsbNotification.SignatureHeader].ToString() },
        _ => MsbNotification.Ok, MsbNotification.Malformed, MsbNotification.OurFailure);

    // The aggregators (docs/contracts/aggregators.md): the same pipeline, each verified as its provider documents, for
    // an account whose channel is that aggregator. An account without its key is our failure, never an open door.
    private static readonly Notifier Sepay = new(BankDirectory.Sepay, SepayWebhook.AccountOf,
        (request, account, _, _, _) =>
            account.AggregatorKey is null ? SepayWebhook.OurFailure
            : !SepayWebhook.KeyMatches(account.AggregatorKey, request.Headers[SepayWebhook.AuthorizationHeader]) ? SepayWebhook.BadKey
            : null,
        SepayWebhook.Parse,
        // The key itself is a credential: it is checked, never kept.
        _ => new { },
        _ => SepayWebhook.Ok, SepayWebhook.Malformed, SepayWebhook.OurFailure);

    private static readonly Notifier Casso = new(BankDirectory.Casso, CassoWebhook.AccountOf,
        (request, account, _, json, now) =>
        {
            var header = request.Headers[CassoWebhook.SignatureHeader].ToString();
            return account.AggregatorKey is null ? CassoWebhook.OurFailure
                : !CassoWebhook.SignatureMatches(account.AggregatorKey, header, json) ? CassoWebhook.BadSignature
                : !CassoWebhook.IsFresh(header, now) ? CassoWebhook.Stale
                : null;
        },
        CassoWebhook.Parse,
        request => new { signature = request.Headers[CassoWebhook.SignatureHeader].ToString() },
        _ => CassoWebhook.Ok, CassoWebhook.Malformed, CassoWebhook.OurFailure);

    private static readonly Notifier Payos = new(BankDirectory.Payos, PayosWebhook.AccountOf,
        (_, account, _, json, _) =>
            account.AggregatorKey is null ? PayosWebhook.OurFailure
            : !PayosWebhook.SignatureMatches(account.AggregatorKey, json) ? PayosWebhook.BadSignature
            : null,
        PayosWebhook.Parse,
        _ => new { },
        _ => PayosWebhook.Ok, PayosWebhook.Malformed, PayosWebhook.OurFailure);

    /// <summary>What a notification handler is given by the host.</summary>
    public sealed record Call(HttpRequest Request, IServiceProvider Services, BankSettingsCache Cache, InboxStore Inbox, BusinessClock Clock,
        InboxSignal Signal, ILoggerFactory Logs);

    public static void Map(RouteGroupBuilder banks)
    {
        banks.MapPost("/vcb/notify", ([AsParameters] Call call, CancellationToken ct) => NotifyAsync(Vcb, call, ct));
        banks.MapPost("/msb/notify", ([AsParameters] Call call, CancellationToken ct) => NotifyAsync(Msb, call, ct));
        banks.MapPost("/sepay/notify", ([AsParameters] Call call, CancellationToken ct) => NotifyAsync(Sepay, call, ct));
        banks.MapPost("/casso/notify", ([AsParameters] Call call, CancellationToken ct) => NotifyAsync(Casso, call, ct));
        banks.MapPost("/payos/notify", ([AsParameters] Call call, CancellationToken ct) => NotifyAsync(Payos, call, ct));
    }

    private static IResult Answer((int Status, string Body) a, ILogger log, string bank)
    {
        log.LogInformation("{Bank} notify answered {Status}", bank, a.Status);
        return InboxAnswers.Json(a.Status, a.Body);
    }

    private static async Task<IResult> NotifyAsync(Notifier bank, Call call, CancellationToken ct)
    {
        var log = call.Logs.CreateLogger("Banks." + bank.Bank);
        try
        {
            var body = await InboxAnswers.ReadBodyAsync(call.Request, ct);
            if (body is null) return Answer(bank.Malformed, log, bank.Bank);
            BankEvent e;
            AccountSettings? account;
            try
            {
                var json = BankJson.ParseObject(body);
                var accountNo = bank.AccountOf(json);
                account = await call.Cache.GetAsync(bank.Bank, accountNo,
                    () => call.Services.GetRequiredService<BankSettings>().ByAccountAsync(bank.Bank, accountNo, ct));
                if (account is null) return Answer(bank.Malformed, log, bank.Bank);
                if (bank.Refusal(call.Request, account, body, json, call.Clock.Now) is { } refusal) return Answer(refusal, log, bank.Bank);
                e = bank.Parse(json);
            }
            catch (Exception x) when (x is MalformedBankCallException or BankFieldMissingException)
            {
                log.LogInformation("{Bank} notify answered {Status}: {Field} unusable", bank.Bank, bank.Malformed.Status, InboxAnswers.FieldOf(x) ?? "the body");
                return InboxAnswers.Json(bank.Malformed.Status, bank.Malformed.Body);
            }
            return await StoreAsync(bank, call, log, e, account.Account, body, ct);
        }
        catch (Exception x) when (x is not OperationCanceledException)
        {
            log.LogWarning("Notification failed on our side: {Error}", x.GetType().Name);
            return Answer(bank.OurFailure, log, bank.Bank);
        }
    }

    /// <summary>
    /// Stored in the next shared batch if new, else the first answer for the same call. A transaction id another
    /// account's call holds is not a repeat of this call: the call is kept under a key of its own account
    /// (<see cref="InboxKeys.Clash"/>) and applied like any other, so a school holding its own keys cannot block another
    /// school's money by sending that transaction id first.
    /// </summary>
    private static Task<IResult> StoreAsync(Notifier bank, Call call, ILogger log, BankEvent verified, SchoolBankAccount account, byte[] body, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        var (status, answer) = bank.Ok(id);
        var message = new InboxMessage
        {
            Id = id, Bank = verified.Bank, Kind = InboxKinds.Notify, IdempotencyKey = verified.IdempotencyKey, BankRef = verified.BankRef, AccountId = account.Id,
            RawBody = Encoding.UTF8.GetString(body), Headers = JsonSerializer.Serialize(bank.Headers(call.Request)), ReceivedAt = call.Clock.Now,
            AnswerStatus = status, AnswerBody = answer, AmountVnd = verified.AmountVnd,
        };
        var malformed = bank.Malformed;
        var refuse = new InboxAnswers.Refusals(
            why =>
            {
                log.LogInformation("{Bank} notify answered {Status}: {Why}", bank.Bank, malformed.Status, why);
                return InboxAnswers.Json(malformed.Status, malformed.Body);
            },
            first =>
            {
                log.LogInformation("{Bank} notify answered {Status}: its transaction id is held by a call on another account ({InboxId})", bank.Bank, malformed.Status, first.Id);
                return InboxAnswers.Json(malformed.Status, malformed.Body);
            });
        return InboxAnswers.StoreAsync(message, account.AccountNo, verified, owner => owner == account.Id, async (m, token) =>
        {
            var (stored, first) = await call.Inbox.StoreAsync(m, token);
            if (stored) return null;
            if (first.AccountId == account.Id) return first;
            log.LogInformation("{Bank} notify: its transaction id is held by a call on another account ({InboxId}); kept under this account's key", bank.Bank, first.Id);
            m.IdempotencyKey = InboxKeys.Clash(verified.IdempotencyKey, account.Id);
            (stored, first) = await call.Inbox.StoreAsync(m, token);
            return stored ? null : first;
        }, refuse, call.Signal, log, ct);
    }
}
