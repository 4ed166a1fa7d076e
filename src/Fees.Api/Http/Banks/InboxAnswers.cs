using System.Text;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.Api.Http.Banks;

/// <summary>
/// The half of every bank call that is the same for all banks once the call is verified: the body read within its
/// cap, the call stored with the answer it gets, a repeat given the first answer. How a refusal reads, and how a
/// call is written (BIDV one by one, notifications in shared batches), is each bank's and comes in as arguments.
/// </summary>
internal static class InboxAnswers
{
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>
    /// The bank's answers to a verified call that is not stored: one that would not read back, once stored, as what
    /// was verified; and one whose idempotency key a call on another account already holds (not a repeat of this one).
    /// </summary>
    /// <summary>How a door refuses: <c>Refused</c> with the reason in our words (a rule, never a value from the call).</summary>
    public sealed record Refusals(Func<string, IResult> Refused, Func<InboxStore.Answer, IResult> NotOurs);

    /// <summary>The words of a refusal for a reserved character in a transaction id (every bank's door says the same).</summary>
    public const string ReservedWhy = "a transaction id holds @ or #, kept for our own keys";

    /// <summary>
    /// True when a call stored under the same key says something else than <paramref name="verified"/> (another amount,
    /// direction or text): no repeat, so it is not given the first call's answer, which would acknowledge money that
    /// then goes nowhere. Unknown when the first call's body was not read (then a repeat is assumed).
    /// </summary>
    public static bool Differs(InboxStore.Answer first, InboxMessage message, string accountNo, BankEvent verified) =>
        first.RawBody is { } raw && raw != message.RawBody
        && !StoredCall.ReadsBackAs(new InboxMessage { Bank = message.Bank, Kind = message.Kind, RawBody = raw }, accountNo, verified);

    public static IResult Json(int status, string body) => Results.Content(body, "application/json", Encoding.UTF8, status);

    /// <summary>The body, or null when it is larger than <see cref="MaxBodyBytes"/> (counted as it arrives, whatever Content-Length says).</summary>
    public static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
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

    /// <summary>The field a refusal names, when the adapter could name it safely (a name from our code, never a value).</summary>
    public static string? FieldOf(Exception e) => e switch
    {
        MalformedBankCallException m => m.Field,
        BankFieldMissingException f => f.Field,
        _ => null,
    };

    public static async Task<InboxStore.Answer?> FirstAnswerAsync(FeesDb db, string bank, string kind, string key, CancellationToken ct) =>
        await db.Inbox.AsNoTracking().Where(m => m.Bank == bank && m.Kind == kind && m.IdempotencyKey == key)
            .Select(m => new InboxStore.Answer(m.Id, m.AnswerStatus, m.AnswerBody, m.AccountId, m.RawBody)).FirstOrDefaultAsync(ct);

    public static IResult Replay(InboxStore.Answer first, ILogger log, string what)
    {
        log.LogInformation("{What} repeated; first answer {InboxId} given again", what, first.Id);
        return Json(first.Status, first.Body);
    }

    /// <summary>
    /// Stores a verified call and answers it. Only a call that reads back as <paramref name="verified"/> is stored;
    /// <paramref name="insert"/> writes it and gives null, or, when a call with the same key was there first, that
    /// call's answer: the caller's own call gets it again, another account's is refused. Success is answered only
    /// for a call stored here, and the worker is poked to apply it.
    /// </summary>
    public static async Task<IResult> StoreAsync(InboxMessage message, string accountNo, BankEvent verified, Func<Guid, bool> owns,
        Func<InboxMessage, CancellationToken, Task<InboxStore.Answer?>> insert, Refusals refuse, InboxSignal signal, ILogger log, CancellationToken ct)
    {
        if (!StoredCall.ReadsBackAs(message, accountNo, verified)) return refuse.Refused("the call does not read back the same once stored");
        // Every bank's key, and the key a reversal names: a review decision's payment reference is KEY#reviewN and a clash
        // is kept under KEY@account, so a key with # or @ could take one first or name one.
        if (InboxKeys.Reserved(message.IdempotencyKey) || InboxKeys.Reserved(verified.OriginalKey))
        {
            return refuse.Refused(ReservedWhy);
        }
        // The request's trace goes with the call, so the worker's span that applies it links back to this request.
        message.TraceParent = FeesTelemetry.TraceParent();
        if (await insert(message, ct) is { } first)
        {
            if (!owns(first.AccountId)) return refuse.NotOurs(first);
            if (Differs(first, message, accountNo, verified))
            {
                log.LogWarning("{Bank} {Kind} repeated a stored call's key ({InboxId}) with other contents; refused, the first call stands", message.Bank, message.Kind, first.Id);
                return refuse.Refused("the transaction id is stored with other contents; the first call stands");
            }
            return Replay(first, log, $"{message.Bank} {message.Kind}");
        }
        signal.Poke();
        FeesTelemetry.Acknowledged(message.Bank);
        log.LogInformation("{Bank} {Kind} stored as {InboxId}, answered {Status}", message.Bank, message.Kind, message.Id, message.AnswerStatus);
        return Json(message.AnswerStatus, message.AnswerBody);
    }
}
