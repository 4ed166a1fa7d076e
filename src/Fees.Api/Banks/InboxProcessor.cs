using System.Text;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Banks;

/// <summary>
/// Applies stored bank calls, oldest first, each in one transaction with its outcome: a crash before the
/// commit leaves the call pending and it is applied again from the stored copy; the payment's unique
/// (bank, idempotency key) makes sure it is applied once.
/// </summary>
public sealed class InboxProcessor(FeesDb db, BusinessClock clock, ILogger<InboxProcessor>? log = null)
{
    public const int MaxAttempts = 5;
    public const long ReviewAboveVnd = 50_000_000;

    private sealed record Claimed(Guid Id);

    /// <summary>Processes up to <paramref name="max"/> pending calls; returns how many it finished.</summary>
    public async Task<int> ProcessPendingAsync(int max, CancellationToken ct = default)
    {
        var done = 0;
        _failedThisRound.Clear();
        while (done < max)
        {
            Guid? claimed;
            try
            {
                claimed = await ProcessOneAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                db.ChangeTracker.Clear();
                await RecordFailureAsync(e, ct);
                continue;
            }
            if (claimed is null) break;
            done++;
        }
        return done;
    }

    private Guid? _current;
    private readonly List<Guid> _failedThisRound = [];

    private async Task<Guid?> ProcessOneAsync(CancellationToken ct)
    {
        _current = null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = (await db.Database.SqlQuery<Claimed>($"""
            SELECT id AS "Id" FROM bank_inbox WHERE processed_at IS NULL AND NOT (id = ANY({_failedThisRound.ToArray()}))
            ORDER BY received_at, id LIMIT 1 FOR UPDATE SKIP LOCKED
            """).ToListAsync(ct)).FirstOrDefault();
        if (row is null) return null;
        _current = row.Id;
        var msg = await db.Inbox.SingleAsync(m => m.Id == row.Id, ct);
        var account = await db.BankAccounts.AsNoTracking().SingleAsync(a => a.Id == msg.AccountId, ct);
        var authority = await Authorities.GetOrCreateAsync(db, ct);
        var ledger = new Ledger(db, clock, new Actor("bank:" + msg.Bank));

        var e = ToEvent(msg, account);
        switch (e.Kind)
        {
            case BankEventKind.Credit:
            {
                // The same credit may have come on the account statement first and been applied from there.
                if (msg.BankRef is { } reference
                    && await BankRefClaims.ClaimAsync(db, account.Id, reference, BankRefClaims.Notification, msg.Id, clock.Now, ct) is { } holder)
                {
                    Finish(msg, "duplicate", $"the same credit ({reference}) was already taken from a {holder}; not applied again");
                    break;
                }
                var who = new StudentIdentifier(db).Identify(e, account, authority.PaymentCodePrefix, clock.Today, out var why);
                if (who is null)
                {
                    db.Unidentified.Add(new UnidentifiedMoney
                    {
                        Id = Guid.CreateVersion7(), InboxId = msg.Id, AccountId = account.Id, Bank = msg.Bank, BankRef = e.BankRef,
                        AmountVnd = e.AmountVnd, ReceivedAt = msg.ReceivedAt, Reason = why,
                    });
                    Finish(msg, "unidentified", why + "; parked for review");
                    break;
                }
                var payment = new Payment
                {
                    Id = Guid.CreateVersion7(), SchoolId = account.SchoolId, StudentId = who.Students[0], Method = PaymentMethods.Bank,
                    AmountVnd = e.AmountVnd, ReceivedAt = msg.ReceivedAt, PreferredNoticeId = who.PreferredNoticeId, Source = msg.Bank,
                    ExternalRef = e.IdempotencyKey, Actor = "bank:" + msg.Bank, InboxId = msg.Id,
                    Flag = e.AmountVnd > ReviewAboveVnd ? "unusually large amount" : null,
                };
                var result = await ledger.RecordBankAsync(payment, who.Students, ct);
                Finish(msg, "applied", $"{who.Reason}; receipt {result.ReceiptNo}" + (result.CreditVnd > 0 ? $"; {result.CreditVnd} đồng held as credit" : ""));
                msg.Flagged = payment.Flag is not null;
                break;
            }
            case BankEventKind.Reversal:
            {
                var originalKey = msg.Bank == "BIDV" ? e.IdempotencyKey : e.OriginalKey!;
                var reversed = await ledger.ReverseBankPaymentAsync(msg.Bank, originalKey, msg.Id, ct);
                if (reversed is not null)
                {
                    Finish(msg, "reversed", $"undoes payment {reversed.ReversesPaymentId}");
                    break;
                }
                var parked = await db.Unidentified.SingleOrDefaultAsync(u => u.Bank == msg.Bank && u.InboxId ==
                    db.Inbox.Where(i => i.Bank == msg.Bank && i.Kind != InboxKinds.BidvRevert && i.IdempotencyKey == originalKey).Select(i => i.Id).FirstOrDefault(), ct);
                if (parked is not null && parked.ReversedByInboxId is null)
                {
                    parked.ReversedByInboxId = msg.Id;
                    Finish(msg, "reversed", "undoes money that was parked as unidentified");
                    break;
                }
                Finish(msg, "ignored", "reverses a transaction we have no record of; flagged for the accountant");
                msg.Flagged = true;
                break;
            }
            default:
                Finish(msg, "ignored", "a debit that is not a fee payment");
                break;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        log?.LogInformation("Bank call {InboxId} from {Bank} processed: {Outcome}", msg.Id, msg.Bank, msg.Outcome);
        return msg.Id;
    }

    private void Finish(InboxMessage msg, string outcome, string reason)
    {
        msg.Outcome = outcome;
        msg.OutcomeReason = reason;
        msg.ProcessedAt = clock.Now;
        msg.Attempts++;
    }

    /// <summary>The processing failed and was rolled back: count the attempt; after a few, park the call for a person.</summary>
    private async Task RecordFailureAsync(Exception e, CancellationToken ct)
    {
        if (_current is not { } id)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
            return;
        }
        _failedThisRound.Add(id);
        var msg = await db.Inbox.SingleAsync(m => m.Id == id, ct);
        msg.Attempts++;
        msg.OutcomeReason = $"{e.GetType().Name}: {e.Message}";
        if (msg.Attempts >= MaxAttempts)
        {
            msg.Outcome = "failed";
            msg.ProcessedAt = clock.Now;
            msg.Flagged = true;
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        log?.LogWarning("Bank call {InboxId} failed on attempt {Attempt}: {Error}", id, msg.Attempts, e.GetType().Name);
    }

    /// <summary>Reads the stored call again with its bank's adapter.</summary>
    public static BankEvent ToEvent(InboxMessage msg, SchoolBankAccount account)
    {
        var body = Encoding.UTF8.GetBytes(msg.RawBody);
        return (msg.Bank, msg.Kind) switch
        {
            ("BIDV", InboxKinds.BidvPay) => BidvBillPayment.ToEvent(BidvBillPayment.ParsePayment(body), account.AccountNo),
            ("BIDV", InboxKinds.BidvRevert) => ToReversal(BidvBillPayment.ParseReversal(body), account.AccountNo),
            ("VCB", _) => VcbNotification.Parse(BankJson.ParseObject(body)),
            ("MSB", _) => MsbNotification.Parse(BankJson.ParseObject(body)),
            _ => throw new InvalidOperationException($"No adapter reads {msg.Bank} {msg.Kind}."),
        };
    }

    private static BankEvent ToReversal(BidvBillPayment.Reversal r, string account) =>
        new("BIDV", BankEventKind.Reversal, $"{r.ServiceId}:{r.TransId}", r.TransId, r.AmountVnd, account, null, null, r.BillId, r.Reason ?? "",
            $"{r.ServiceId}:{r.TransId}", null, null);
}
