using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The banks' calls (contracts/banks.md). Each is verified, stored raw in the inbox, and answered; the inbox
/// worker applies it afterwards. Success is answered only for a call that is stored and reads back, with the
/// adapter the worker uses, as what was verified; anything else gets the bank's refusal and nothing is stored.
/// Every answer is in the bank's own format, never ProblemDetails. Logs carry the bank, the kind, the answer
/// code, our inbox id and the name of a field we refused: never the body, names or account numbers.
/// </summary>
public static partial class BankEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;

    public static void Map(IEndpointRouteBuilder app)
    {
        var banks = app.MapGroup("/api/banks");
        banks.MapPost("/bidv/token_generate", BidvTokenAsync);
        banks.MapPost("/bidv/getbill", BidvGetBillAsync);
        banks.MapPost("/bidv/paybill", BidvPayBillAsync);
        banks.MapPost("/bidv/revertbill", BidvRevertBillAsync);
        banks.MapPost("/vcb/notify", VcbNotifyAsync);
        banks.MapPost("/msb/notify", MsbNotifyAsync);
        banks.MapFallback(() => Json(404, """{"code":"01","message":"unknown bank route"}"""));
    }

    private static IResult Json(int status, string body) => Results.Content(body, "application/json", Encoding.UTF8, status);

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) return null;
        using var ms = new MemoryStream();
        var buffer = new byte[8192];
        int n;
        while ((n = await request.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (ms.Length + n > MaxBodyBytes) return null;
            ms.Write(buffer, 0, n);
        }
        return ms.ToArray();
    }

    // ---------- Vietcombank and MSB notifications ----------

    private static IResult Answer((int Status, string Body) a, ILogger log, string bank)
    {
        log.LogInformation("{Bank} notify answered {Status}", bank, a.Status);
        return Json(a.Status, a.Body);
    }

    private static IResult Malformed(Exception x, (int Status, string Body) malformed, ILogger log, string bank)
    {
        log.LogInformation("{Bank} notify answered {Status}: {Field} unusable", bank, malformed.Status, FieldOf(x) ?? "the body");
        return Json(malformed.Status, malformed.Body);
    }

    /// <summary>The field a refusal names, when the adapter could name it safely (a name from our code, never a value).</summary>
    private static string? FieldOf(Exception e) => e switch
    {
        MalformedBankCallException m => m.Field,
        BankFieldMissingException f => f.Field,
        _ => null,
    };

    private static async Task<IResult> VcbNotifyAsync(HttpRequest request, IServiceProvider services, BankSettingsCache cache, InboxStore inbox,
        BusinessClock clock, InboxSignal signal, ILoggerFactory lf, CancellationToken ct)
    {
        var log = lf.CreateLogger("Banks.VCB");
        try
        {
            var body = await ReadBodyAsync(request, ct);
            if (body is null) return Answer(VcbNotification.Malformed, log, "VCB");
            BankEvent e;
            AccountSettings? account;
            try
            {
                var json = BankJson.ParseObject(body);
                var accountNo = VcbNotification.AccountOf(json);
                account = await cache.GetAsync("VCB", accountNo, () => services.GetRequiredService<BankSettings>().ByAccountAsync("VCB", accountNo, ct));
                if (account is null) return Answer(VcbNotification.Malformed, log, "VCB");
                if (string.IsNullOrWhiteSpace(account.Account.VcbPublicKeyPem)) return Answer(VcbNotification.OurFailure, log, "VCB");
                if (!VcbNotification.SignatureMatches(account.Account.VcbPublicKeyPem, body, request.Headers[VcbNotification.SignatureHeader]))
                    return Answer(VcbNotification.BadSignature, log, "VCB");
                e = VcbNotification.Parse(json);
            }
            catch (Exception x) when (x is MalformedBankCallException or BankFieldMissingException)
            {
                return Malformed(x, VcbNotification.Malformed, log, "VCB");
            }
            var id = Guid.CreateVersion7();
            var (status, answer) = VcbNotification.Ok(id);
            return await StoreFastAsync(inbox, clock, signal, log, e, account.Account, body,
                new { signature = request.Headers[VcbNotification.SignatureHeader].ToString() }, status, answer, id, VcbNotification.Malformed, ct);
        }
        catch (Exception x) when (x is not OperationCanceledException)
        {
            log.LogWarning("Notification failed on our side: {Error}", x.GetType().Name);
            return Answer(VcbNotification.OurFailure, log, "VCB");
        }
    }

    private static async Task<IResult> MsbNotifyAsync(HttpRequest request, IServiceProvider services, BankSettingsCache cache, InboxStore inbox,
        BusinessClock clock, InboxSignal signal, ILoggerFactory lf, CancellationToken ct)
    {
        var log = lf.CreateLogger("Banks.MSB");
        try
        {
            var body = await ReadBodyAsync(request, ct);
            if (body is null) return Answer(MsbNotification.Malformed, log, "MSB");
            BankEvent e;
            AccountSettings? account;
            string timestamp = request.Headers[MsbNotification.TimestampHeader].ToString();
            try
            {
                var json = BankJson.ParseObject(body);
                var accountNo = MsbNotification.AccountOf(json);
                account = await cache.GetAsync("MSB", accountNo, () => services.GetRequiredService<BankSettings>().ByAccountAsync("MSB", accountNo, ct));
                if (account is null) return Answer(MsbNotification.Malformed, log, "MSB");
                if (account.MsbSecret is null) return Answer(MsbNotification.OurFailure, log, "MSB");
                if (!MsbNotification.SignatureMatches(account.MsbSecret, timestamp, body, request.Headers[MsbNotification.SignatureHeader]))
                    return Answer(MsbNotification.BadSignature, log, "MSB");
                if (!MsbNotification.IsFresh(timestamp, clock.Now)) return Answer(MsbNotification.Stale, log, "MSB");
                e = MsbNotification.Parse(json);
            }
            catch (Exception x) when (x is MalformedBankCallException or BankFieldMissingException)
            {
                return Malformed(x, MsbNotification.Malformed, log, "MSB");
            }
            var (status, answer) = MsbNotification.Ok;
            return await StoreFastAsync(inbox, clock, signal, log, e, account.Account, body,
                new { timestamp, signature = request.Headers[MsbNotification.SignatureHeader].ToString() }, status, answer, Guid.CreateVersion7(),
                MsbNotification.Malformed, ct);
        }
        catch (Exception x) when (x is not OperationCanceledException)
        {
            log.LogWarning("Notification failed on our side: {Error}", x.GetType().Name);
            return Answer(MsbNotification.OurFailure, log, "MSB");
        }
    }

    // ---------- the inbox ----------

    private sealed record StoredAnswer(Guid Id, int Status, string Body, Guid AccountId);

    private static async Task<StoredAnswer?> FirstAnswerAsync(FeesDb db, string bank, string kind, string key, CancellationToken ct) =>
        await db.Inbox.AsNoTracking().Where(m => m.Bank == bank && m.Kind == kind && m.IdempotencyKey == key)
            .Select(m => new StoredAnswer(m.Id, m.AnswerStatus, m.AnswerBody, m.AccountId)).FirstOrDefaultAsync(ct);

    private static IResult Replay(StoredAnswer first, ILogger log, string what)
    {
        log.LogInformation("{What} repeated; first answer {InboxId} given again", what, first.Id);
        return Json(first.Status, first.Body);
    }

    /// <summary>
    /// One round trip: stored if new, else the first answer for the same call. A call that would not read back as
    /// verified is not stored; nor is one whose transaction id another account's call already holds, which is not
    /// a repeat of this call: both are refused, never acknowledged.
    /// </summary>
    private static async Task<IResult> StoreFastAsync(InboxStore inbox, BusinessClock clock, InboxSignal signal, ILogger log, BankEvent verified,
        SchoolBankAccount account, byte[] body, object headers, int status, string answer, Guid id, (int Status, string Body) malformed, CancellationToken ct)
    {
        var bank = verified.Bank;
        var msg = new InboxMessage
        {
            Id = id, Bank = bank, Kind = InboxKinds.Notify, IdempotencyKey = verified.IdempotencyKey, BankRef = verified.BankRef, AccountId = account.Id,
            RawBody = Encoding.UTF8.GetString(body), Headers = JsonSerializer.Serialize(headers), ReceivedAt = clock.Now, AnswerStatus = status, AnswerBody = answer,
            AmountVnd = verified.AmountVnd,
        };
        if (!StoredCall.ReadsBackAs(msg, account.AccountNo, verified))
        {
            log.LogInformation("{Bank} notify answered {Status}: the call does not read back the same once stored", bank, malformed.Status);
            return Json(malformed.Status, malformed.Body);
        }
        var (stored, first) = await inbox.StoreAsync(msg, ct);
        if (!stored && first.AccountId != account.Id)
        {
            log.LogInformation("{Bank} notify answered {Status}: its transaction id is held by a call on another account ({InboxId})", bank, malformed.Status, first.Id);
            return Json(malformed.Status, malformed.Body);
        }
        if (!stored) return Replay(new StoredAnswer(first.Id, first.Status, first.Body, first.AccountId), log, $"{bank} notify");
        signal.Poke();
        log.LogInformation("{Bank} notify stored as {InboxId}, answered {Status}", bank, first.Id, first.Status);
        return Json(first.Status, first.Body);
    }

    private static bool FixedEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
