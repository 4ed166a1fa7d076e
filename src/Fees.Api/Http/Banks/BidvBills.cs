using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Api.Http.Banks;

/// <summary>
/// BIDV's bills: getbill, paybill, revertbill, each after <see cref="BidvEndpoints.ReceiveAsync{T}"/>. Schools that
/// share one service id each answer for themselves: another school's pupil is "not found" and another school's
/// payment unknown.
/// </summary>
internal static class BidvBills
{
    public static async Task<IResult> GetBillAsync(BidvEndpoints.Call call, CancellationToken ct)
    {
        var (received, refusal) = await BidvEndpoints.ReceiveAsync(call, "getbill", b => BidvBillPayment.ParseInquiry(b),
            q => q.ServiceId, BidvBillPayment.InquiryChecksumMatches, ct);
        if (received is null) return refusal!;
        var (db, schools) = (call.Db, received.Schools);

        var student = await PupilOfAsync(db, received.Call.CustomerId, schools, ct);
        if (student is null) return BidvEndpoints.Answer(BidvBillPayment.UnknownCustomer, call.Log, "getbill");
        // A pupil who changed school may still owe the old one: only notices of the schools the caller collects for.
        var open = await (from n in db.Notices.AsNoTracking()
                          where n.StudentId == student.Id && schools.Contains(n.SchoolId)
                                && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid)
                          orderby n.PeriodKey, n.NoticeNo
                          select new { n.NoticeNo, Balance = n.AmountDueVnd - n.AmountPaidVnd }).ToListAsync(ct);
        if (open.Count == 0) return BidvEndpoints.Answer(BidvBillPayment.NothingToPay, call.Log, "getbill");
        var cls = await db.Classes.AsNoTracking().Where(c => c.Id == student.ClassId).Select(c => c.Name).FirstAsync(ct);
        var school = await db.Schools.AsNoTracking().Where(s => s.Id == student.SchoolId).Select(s => s.Name).FirstAsync(ct);
        call.Log.LogInformation("BIDV getbill answered {ResultCode} with {Bills} bill(s)", BidvBillPayment.Success, open.Count);
        return InboxAnswers.Json(200, JsonSerializer.Serialize(new
        {
            result_code = BidvBillPayment.Success,
            result_desc = "success",
            customer_id = student.PaymentCode,
            customer_name = Upper(student.FullName),
            customer_addr = Upper($"{school} - {cls}"),
            data = open.Select(n => new { type = 0, amount = n.Balance, bill_id = n.NoticeNo }),
        }));
    }

    public static async Task<IResult> PayBillAsync(BidvEndpoints.Call call, CancellationToken ct)
    {
        var (received, refusal) = await BidvEndpoints.ReceiveAsync(call, "paybill", b => BidvBillPayment.ParsePayment(b),
            p => p.ServiceId, (secret, p) => BidvBillPayment.PaymentChecksumMatches(secret, p.TransId, p.BillId, p.AmountText, p.Checksum), ct);
        if (received is null) return refusal!;
        var p = received.Call;
        IResult Taken() => BidvEndpoints.Answer(BidvBillPayment.MissingParameter, call.Log, "paybill", "trans_id is already taken by a call on another account");

        var key = $"{p.ServiceId}:{p.TransId}";
        if (await OwnFirstAnswerAsync(call.Db, InboxKinds.BidvPay, key, received, ct) is { } first)
        {
            if (!SamePayment(first, p)) return OtherContents(call, "paybill");
            await Replication.ConfirmAsync(call.Db, ct);
            return InboxAnswers.Replay(first, call.Log, "BIDV paybill");
        }
        var student = await PupilOfAsync(call.Db, p.CustomerId, received.Schools, ct);
        if (student is null) return BidvEndpoints.Answer(BidvBillPayment.UnknownCustomer, call.Log, "paybill");
        // Money BIDV has taken from a parent is never refused: stale bill, paid bill or another amount are applied and flagged.
        var account = await CollectingAccountAsync(call.Db, received.Caller, student, p.BillId, ct);
        return await StoreAsync(call, InboxKinds.BidvPay, key, account, received, BidvBillPayment.ToEvent(p, account.AccountNo), Taken, ct);
    }

    public static async Task<IResult> RevertBillAsync(BidvEndpoints.Call call, CancellationToken ct)
    {
        var (received, refusal) = await BidvEndpoints.ReceiveAsync(call, "revertbill", b => BidvBillPayment.ParseReversal(b),
            r => r.ServiceId, (secret, r) => BidvBillPayment.PaymentChecksumMatches(secret, r.TransId, r.BillId, r.AmountText, r.Checksum), ct);
        if (received is null) return refusal!;
        var r = received.Call;
        // Another school's payment, or its reversal, is as unknown to this caller as one that never was.
        IResult Unknown() => BidvEndpoints.Answer(BidvBillPayment.UnknownBill, call.Log, "revertbill");

        // Such a trans_id is never stored, so a reversal of it is refused as every door refuses it, not answered "unknown".
        if (InboxKeys.Reserved(r.TransId)) return BidvEndpoints.Answer(BidvBillPayment.MissingParameter, call.Log, "revertbill", InboxAnswers.ReservedWhy);
        var key = $"{r.ServiceId}:{r.TransId}";
        if (await OwnFirstAnswerAsync(call.Db, InboxKinds.BidvRevert, key, received, ct) is { } first)
        {
            if (!SameReversal(first, r)) return OtherContents(call, "revertbill");
            await Replication.ConfirmAsync(call.Db, ct);
            return InboxAnswers.Replay(first, call.Log, "BIDV revertbill");
        }
        // The caller's own payment under this trans_id: under its key, or under the key it was kept by when another
        // school's call held the trans_id first.
        if (await OwnFirstAnswerAsync(call.Db, InboxKinds.BidvPay, key, received, ct) is not { RawBody: { } raw } original) return Unknown();
        var paid = BidvBillPayment.ParsePayment(Encoding.UTF8.GetBytes(raw));
        // A reversal names the payment's own bill: one naming another bill is of no payment we know, and is not stored
        // (stored, it would undo the payment and then stand as the first answer to the bank's true reversal).
        if (!string.Equals(paid.BillId, r.BillId, StringComparison.Ordinal)) return Unknown();
        if (paid.AmountVnd != r.AmountVnd) return BidvEndpoints.Answer(BidvBillPayment.AmountDiffers, call.Log, "revertbill");
        var account = received.Caller.Select(a => a.Account).First(a => a.Id == original.AccountId);
        return await StoreAsync(call, InboxKinds.BidvRevert, key, account, received, BidvBillPayment.ToEvent(r, account.AccountNo), Unknown, ct);
    }

    /// <summary>
    /// The first call stored under a trans_id that is the caller's own: under the key itself, or under the key of one of
    /// the caller's accounts (<see cref="InboxKeys.Clash"/>) when another school's call on the same service id held the
    /// trans_id first. Another school's call is never the caller's to be answered with or to revert.
    /// </summary>
    private static async Task<InboxStore.Answer?> OwnFirstAnswerAsync<T>(FeesDb db, string kind, string key, BidvEndpoints.Received<T> received, CancellationToken ct)
    {
        var keys = received.Caller.Select(a => InboxKeys.Clash(key, a.Account.Id)).Append(key).ToList();
        var calls = await db.Inbox.AsNoTracking()
            .Where(m => m.Bank == "BIDV" && m.Kind == kind && keys.Contains(m.IdempotencyKey))
            .Select(m => new InboxStore.Answer(m.Id, m.AnswerStatus, m.AnswerBody, m.AccountId, m.RawBody)).ToListAsync(ct);
        return calls.Where(c => received.Owns(c.AccountId)).OrderBy(c => c.Id).FirstOrDefault();
    }

    /// <summary>
    /// A repeat is the same payment: the same pupil, bill and amount under the trans_id. Anything else under a stored
    /// trans_id is refused, never given the first call's success (which would acknowledge money that goes nowhere).
    /// </summary>
    private static bool SamePayment(InboxStore.Answer first, BidvBillPayment.Payment p) =>
        first.RawBody is not { } raw
        || BidvBillPayment.ParsePayment(Encoding.UTF8.GetBytes(raw)) is var f && (f.CustomerId, f.BillId, f.AmountVnd) == (p.CustomerId, p.BillId, p.AmountVnd);

    private static bool SameReversal(InboxStore.Answer first, BidvBillPayment.Reversal r) =>
        first.RawBody is not { } raw || BidvBillPayment.ParseReversal(Encoding.UTF8.GetBytes(raw)) is var f && (f.BillId, f.AmountVnd) == (r.BillId, r.AmountVnd);

    private static IResult OtherContents(BidvEndpoints.Call call, string route) =>
        BidvEndpoints.Answer(BidvBillPayment.MissingParameter, call.Log, route, "trans_id repeated with other contents; the first call stands");

    /// <summary>
    /// The pupil a customer code names, if the pupil's school is one the caller collects for. Any other pupil is
    /// answered exactly as a code nobody holds: the caller learns nothing of pupils it does not collect for.
    /// </summary>
    private static async Task<Student?> PupilOfAsync(FeesDb db, string customerId, List<Guid> schools, CancellationToken ct)
    {
        var authority = await db.Authorities.AsNoTracking().OrderBy(a => a.Code).FirstOrDefaultAsync(ct);
        if (authority is null || PaymentCode.TryParse(customerId, authority.PaymentCodePrefix) is not { } code) return null;
        return await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.PaymentCode == code.Value && schools.Contains(s.SchoolId), ct);
    }

    /// <summary>
    /// The caller's account the money was collected on: that of the school which issued the bill the payment names,
    /// when it is this pupil's notice from a school the caller collects for (money is paid to the school that
    /// asked for it); otherwise that of the pupil's school.
    /// </summary>
    private static async Task<SchoolBankAccount> CollectingAccountAsync(FeesDb db, List<AccountSettings> caller, Student student, string billId,
        CancellationToken ct)
    {
        var billSchool = await db.Notices.AsNoTracking().Where(n => n.NoticeNo == billId && n.StudentId == student.Id)
            .OrderBy(n => n.Id).Select(n => (Guid?)n.SchoolId).FirstOrDefaultAsync(ct);
        var school = billSchool is { } s && caller.Any(a => a.Account.SchoolId == s) ? s : student.SchoolId;
        return caller.Select(a => a.Account).Where(a => a.SchoolId == school).OrderBy(a => a.RetiredAt != null).ThenBy(a => a.Position).ThenBy(a => a.Id).First();
    }

    /// <summary>
    /// Stores the verified call with the `000` it gets. A concurrent call with the same key loses on the unique key
    /// and gets the first answer, if that call was the caller's own. A trans_id another school's call on the same
    /// service id holds is not a repeat of this call: it is kept under a key of this account (<see cref="InboxKeys.Clash"/>)
    /// and applied like any other, as notifications are, so a school holding its own keys cannot block another
    /// school's money by sending BIDV's next trans_ids first (found by attack).
    /// </summary>
    private static Task<IResult> StoreAsync<T>(BidvEndpoints.Call call, string kind, string key, SchoolBankAccount account, BidvEndpoints.Received<T> received,
        BankEvent verified, Func<IResult> notOurs, CancellationToken ct)
    {
        var message = new InboxMessage
        {
            Id = Guid.CreateVersion7(), Bank = "BIDV", Kind = kind, IdempotencyKey = key, AccountId = account.Id,
            BankRef = kind == InboxKinds.BidvPay ? verified.BankRef : null, RawBody = Encoding.UTF8.GetString(received.Body), Headers = "{}",
            ReceivedAt = call.Clock.Now, AnswerStatus = 200, AnswerBody = BidvBillPayment.Answer(BidvBillPayment.Success), AmountVnd = verified.AmountVnd,
        };
        var refuse = new InboxAnswers.Refusals(
            why => BidvEndpoints.Answer(BidvBillPayment.MissingParameter, call.Log, kind, why),
            _ => notOurs());
        return InboxAnswers.StoreAsync(message, account.AccountNo, verified, received.Owns, async (m, token) =>
        {
            while (true)
            {
                call.Db.Inbox.Add(m);
                try
                {
                    await call.Db.SaveChangesAsync(token);
                    await Replication.ConfirmAsync(call.Db, token);
                    return null;
                }
                catch (DbUpdateException x) when (x.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
                {
                    call.Db.ChangeTracker.Clear();
                    if (await InboxAnswers.FirstAnswerAsync(call.Db, "BIDV", kind, m.IdempotencyKey, token) is not { } first) throw;
                    if (received.Owns(first.AccountId) || m.IdempotencyKey != key)
                    {
                        await Replication.ConfirmAsync(call.Db, token);
                        return first;
                    }
                    call.Log.LogInformation("BIDV {Kind}: its trans_id is held by a call on another account ({InboxId}); kept under this account's key", kind, first.Id);
                    m.IdempotencyKey = InboxKeys.Clash(key, account.Id);
                }
            }
        }, refuse, call.Signal, call.Log, ct);
    }

    private static string Upper(string text) => Reconciliation.Matching.PaymentCodeExtractor.Fold(text);
}
