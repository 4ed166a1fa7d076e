using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// BIDV bill payment (family A). Credentials are scoped: a call acts only for the school accounts whose username,
/// password (bound into the bearer token) and checksum secret all match it. Schools that share one service id
/// each answer for themselves: another school's pupil is "not found" and another school's payment unknown.
/// </summary>
public static partial class BankEndpoints
{
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(300);

    private static IResult Bidv(string code, ILogger log, string kind, string? why = null)
    {
        log.LogInformation("BIDV {Kind} answered {ResultCode}", kind, code);
        return Json(BidvBillPayment.HttpStatus(code), BidvBillPayment.Answer(code, why));
    }

    /// <summary>A call we cannot store as it came: `001` saying which field and why (our words, never the value).</summary>
    private static IResult BidvMalformed(Exception e, ILogger log, string kind)
    {
        log.LogInformation("BIDV {Kind} answered {ResultCode}: {Field} unusable", kind, BidvBillPayment.MissingParameter, FieldOf(e) ?? "the body");
        return Json(400, BidvBillPayment.Answer(BidvBillPayment.MissingParameter, e.Message));
    }

    private static async Task<IResult> BidvTokenAsync(HttpRequest request, BankSettings settings, SecretBox box, BusinessClock clock, ILoggerFactory lf, CancellationToken ct)
    {
        var log = lf.CreateLogger("Banks.BIDV");
        try
        {
            var auth = request.Headers.Authorization.ToString();
            if (!auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return Bidv(BidvBillPayment.BadCredentials, log, "token");
            string user, password;
            try
            {
                var pair = Encoding.UTF8.GetString(Convert.FromBase64String(auth[6..].Trim()));
                var colon = pair.IndexOf(':');
                if (colon <= 0) return Bidv(BidvBillPayment.BadCredentials, log, "token");
                (user, password) = (pair[..colon], pair[(colon + 1)..]);
            }
            catch (FormatException)
            {
                return Bidv(BidvBillPayment.BadCredentials, log, "token");
            }
            var accounts = await settings.BidvByUsernameAsync(user, ct);
            if (!accounts.Any(a => a.BidvPassword is not null && FixedEquals(a.BidvPassword, password)))
                return Bidv(BidvBillPayment.BadCredentials, log, "token");
            var expires = clock.Now.Add(TokenLifetime).ToUnixTimeSeconds();
            var payload = $"{user}|{expires}|{PasswordTag(box, user, password)}";
            var token = B64Url(Encoding.UTF8.GetBytes(payload)) + "." + B64Url(box.Mac(payload));
            log.LogInformation("BIDV token issued");
            return Json(200, JsonSerializer.Serialize(new { access_token = token, token_type = "Bearer", expires_in = (int)TokenLifetime.TotalSeconds }));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("BIDV token failed on our side: {Error}", e.GetType().Name);
            return Bidv(BidvBillPayment.SystemError, log, "token");
        }
    }

    /// <summary>
    /// Binds a token to the password it was issued for without carrying it: two accounts may share a username
    /// with different passwords, and a token then acts only for the accounts whose password it was issued with.
    /// </summary>
    private static string PasswordTag(SecretBox box, string user, string password) => B64Url(box.Mac($"password|{user}|{password}")[..16]);

    private sealed record BidvToken(string User, string PasswordTag);

    /// <summary>The user and password tag a bearer token was issued for, if it is ours and not expired.</summary>
    private static BidvToken? TokenOf(HttpRequest request, SecretBox box, BusinessClock clock)
    {
        var auth = request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = auth[7..].Trim().Split('.');
        if (parts.Length != 2) return null;
        try
        {
            var payload = Encoding.UTF8.GetString(FromB64Url(parts[0]));
            if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(box.Mac(payload), FromB64Url(parts[1]))) return null;
            // user|expires|tag, read from the end: a username may hold a bar.
            var tagBar = payload.LastIndexOf('|');
            var expiresBar = tagBar <= 0 ? -1 : payload.LastIndexOf('|', tagBar - 1);
            if (expiresBar <= 0 || !long.TryParse(payload[(expiresBar + 1)..tagBar], out var expires) || clock.Now.ToUnixTimeSeconds() > expires) return null;
            return new BidvToken(payload[..expiresBar], payload[(tagBar + 1)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>A verified call, its raw bytes, and the accounts it acts for (never empty).</summary>
    private sealed record BidvCall<T>(T Call, byte[] Body, List<AccountSettings> Caller)
    {
        public List<Guid> Schools { get; } = Caller.Select(a => a.Account.SchoolId).Distinct().ToList();

        public bool Owns(Guid accountId) => Caller.Any(a => a.Account.Id == accountId);
    }

    /// <summary>
    /// What every BIDV call goes through, in this order: token, body, service id, checksum; the first failure is
    /// the answer. The caller is the set of accounts with the token's username and password, the call's service id
    /// and a secret that makes the call's checksum.
    /// </summary>
    private static async Task<(BidvCall<T>? Call, IResult? Refusal)> BidvReceiveAsync<T>(HttpRequest request, SecretBox box, BusinessClock clock,
        BankSettings settings, ILogger log, string route, Func<byte[], T> parse, Func<T, string> serviceId, Func<string, T, bool> checksumMatches,
        CancellationToken ct)
    {
        if (TokenOf(request, box, clock) is not { } token) return (null, Bidv(BidvBillPayment.BadCredentials, log, route));
        var accounts = (await settings.BidvByUsernameAsync(token.User, ct))
            .Where(a => a.BidvPassword is not null && FixedEquals(PasswordTag(box, token.User, a.BidvPassword), token.PasswordTag)).ToList();
        if (accounts.Count == 0) return (null, Bidv(BidvBillPayment.BadCredentials, log, route));
        var body = await ReadBodyAsync(request, ct);
        if (body is null) return (null, Bidv(BidvBillPayment.MissingParameter, log, route, $"the body is larger than {MaxBodyBytes} bytes"));
        T call;
        try
        {
            call = parse(body);
        }
        catch (Exception e) when (e is MalformedBankCallException or BankFieldMissingException)
        {
            return (null, BidvMalformed(e, log, route));
        }
        var service = accounts.Where(a => a.Account.BidvServiceId == serviceId(call)).ToList();
        if (service.Count == 0) return (null, Bidv(BidvBillPayment.UnknownService, log, route));
        var caller = service.Where(a => a.BidvSecret is not null && checksumMatches(a.BidvSecret, call)).ToList();
        if (caller.Count == 0) return (null, Bidv(BidvBillPayment.BadChecksum, log, route));
        return (new BidvCall<T>(call, body, caller), null);
    }

    private static async Task<IResult> BidvGetBillAsync(HttpRequest request, FeesDb db, BankSettings settings, SecretBox box, BusinessClock clock, ILoggerFactory lf, CancellationToken ct)
    {
        var log = lf.CreateLogger("Banks.BIDV");
        try
        {
            var (received, refusal) = await BidvReceiveAsync(request, box, clock, settings, log, "getbill", b => BidvBillPayment.ParseInquiry(b),
                q => q.ServiceId, BidvBillPayment.InquiryChecksumMatches, ct);
            if (received is null) return refusal!;
            var schools = received.Schools;

            var student = await PupilOfAsync(db, received.Call.CustomerId, schools, ct);
            if (student is null) return Bidv(BidvBillPayment.UnknownCustomer, log, "getbill");
            // A pupil who changed school may still owe the old one: only notices of the schools the caller collects for.
            var open = await (from n in db.Notices.AsNoTracking()
                              where n.StudentId == student.Id && schools.Contains(n.SchoolId)
                                    && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid)
                              orderby n.PeriodKey, n.NoticeNo
                              select new { n.NoticeNo, Balance = n.AmountDueVnd - n.AmountPaidVnd }).ToListAsync(ct);
            if (open.Count == 0) return Bidv(BidvBillPayment.NothingToPay, log, "getbill");
            var cls = await db.Classes.AsNoTracking().Where(c => c.Id == student.ClassId).Select(c => c.Name).FirstAsync(ct);
            var school = await db.Schools.AsNoTracking().Where(s => s.Id == student.SchoolId).Select(s => s.Name).FirstAsync(ct);
            log.LogInformation("BIDV getbill answered {ResultCode} with {Bills} bill(s)", BidvBillPayment.Success, open.Count);
            return Json(200, JsonSerializer.Serialize(new
            {
                result_code = BidvBillPayment.Success,
                result_desc = "success",
                customer_id = student.PaymentCode,
                customer_name = Upper(student.FullName),
                customer_addr = Upper($"{school} - {cls}"),
                data = open.Select(n => new { type = 0, amount = n.Balance, bill_id = n.NoticeNo }),
            }));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("BIDV call failed on our side: {Error}", e.GetType().Name);
            return Bidv(BidvBillPayment.SystemError, log, "getbill");
        }
    }

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
    private static async Task<SchoolBankAccount> CollectingAccountAsync(FeesDb db, List<AccountSettings> caller, Student student, string billId, CancellationToken ct)
    {
        var billSchool = await db.Notices.AsNoTracking().Where(n => n.NoticeNo == billId && n.StudentId == student.Id)
            .OrderBy(n => n.Id).Select(n => (Guid?)n.SchoolId).FirstOrDefaultAsync(ct);
        var school = billSchool is { } s && caller.Any(a => a.Account.SchoolId == s) ? s : student.SchoolId;
        return caller.Select(a => a.Account).Where(a => a.SchoolId == school).OrderBy(a => a.Position).ThenBy(a => a.Id).First();
    }

    private static async Task<IResult> BidvPayBillAsync(HttpRequest request, FeesDb db, BankSettings settings, SecretBox box, BusinessClock clock,
        InboxSignal signal, ILoggerFactory lf, CancellationToken ct)
    {
        var log = lf.CreateLogger("Banks.BIDV");
        try
        {
            var (received, refusal) = await BidvReceiveAsync(request, box, clock, settings, log, "paybill", b => BidvBillPayment.ParsePayment(b),
                p => p.ServiceId, (secret, p) => BidvBillPayment.PaymentChecksumMatches(secret, p.TransId, p.BillId, p.AmountText, p.Checksum), ct);
            if (received is null) return refusal!;
            var p = received.Call;
            IResult Taken() => Bidv(BidvBillPayment.MissingParameter, log, "paybill", "trans_id is already taken by a call on another account");

            var key = $"{p.ServiceId}:{p.TransId}";
            if (await FirstAnswerAsync(db, "BIDV", InboxKinds.BidvPay, key, ct) is { } first)
                return received.Owns(first.AccountId) ? Replay(first, log, "BIDV paybill") : Taken();
            var student = await PupilOfAsync(db, p.CustomerId, received.Schools, ct);
            if (student is null) return Bidv(BidvBillPayment.UnknownCustomer, log, "paybill");
            // Money BIDV has taken from a parent is never refused: stale bill, paid bill or another amount are applied and flagged.
            var account = await CollectingAccountAsync(db, received.Caller, student, p.BillId, ct);
            return await StoreBidvAsync(db, clock, signal, log, InboxKinds.BidvPay, key, account, received.Body,
                BidvBillPayment.ToEvent(p, account.AccountNo), received.Owns, Taken, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("BIDV call failed on our side: {Error}", e.GetType().Name);
            return Bidv(BidvBillPayment.SystemError, log, "paybill");
        }
    }

    private static async Task<IResult> BidvRevertBillAsync(HttpRequest request, FeesDb db, BankSettings settings, SecretBox box, BusinessClock clock,
        InboxSignal signal, ILoggerFactory lf, CancellationToken ct)
    {
        var log = lf.CreateLogger("Banks.BIDV");
        try
        {
            var (received, refusal) = await BidvReceiveAsync(request, box, clock, settings, log, "revertbill", b => BidvBillPayment.ParseReversal(b),
                r => r.ServiceId, (secret, r) => BidvBillPayment.PaymentChecksumMatches(secret, r.TransId, r.BillId, r.AmountText, r.Checksum), ct);
            if (received is null) return refusal!;
            var r = received.Call;
            // Another school's payment, or its reversal, is as unknown to this caller as one that never was.
            IResult Unknown() => Bidv(BidvBillPayment.UnknownBill, log, "revertbill");

            var key = $"{r.ServiceId}:{r.TransId}";
            if (await FirstAnswerAsync(db, "BIDV", InboxKinds.BidvRevert, key, ct) is { } first)
                return received.Owns(first.AccountId) ? Replay(first, log, "BIDV revertbill") : Unknown();
            var original = await db.Inbox.AsNoTracking().Where(m => m.Bank == "BIDV" && m.Kind == InboxKinds.BidvPay && m.IdempotencyKey == key)
                .Select(m => new { m.AccountId, m.RawBody }).SingleOrDefaultAsync(ct);
            if (original is null || !received.Owns(original.AccountId)) return Unknown();
            var paid = BidvBillPayment.ParsePayment(Encoding.UTF8.GetBytes(original.RawBody));
            if (paid.AmountVnd != r.AmountVnd) return Bidv(BidvBillPayment.AmountDiffers, log, "revertbill");
            var account = received.Caller.Select(a => a.Account).First(a => a.Id == original.AccountId);
            return await StoreBidvAsync(db, clock, signal, log, InboxKinds.BidvRevert, key, account, received.Body,
                BidvBillPayment.ToEvent(r, account.AccountNo), received.Owns, Unknown, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("BIDV call failed on our side: {Error}", e.GetType().Name);
            return Bidv(BidvBillPayment.SystemError, log, "revertbill");
        }
    }

    /// <summary>
    /// Stores the verified call with the `000` it gets, once it is known to read back as verified. A concurrent
    /// call with the same key loses on the unique key and gets the first answer, if that call was the caller's own;
    /// a key another account holds gets <paramref name="notOurs"/>: nothing stored, nothing accepted.
    /// </summary>
    private static async Task<IResult> StoreBidvAsync(FeesDb db, BusinessClock clock, InboxSignal signal, ILogger log, string kind, string key,
        SchoolBankAccount account, byte[] body, BankEvent verified, Func<Guid, bool> owns, Func<IResult> notOurs, CancellationToken ct)
    {
        var msg = new InboxMessage
        {
            Id = Guid.CreateVersion7(), Bank = "BIDV", Kind = kind, IdempotencyKey = key, AccountId = account.Id,
            BankRef = kind == InboxKinds.BidvPay ? verified.BankRef : null, RawBody = Encoding.UTF8.GetString(body), Headers = "{}",
            ReceivedAt = clock.Now, AnswerStatus = 200, AnswerBody = BidvBillPayment.Answer(BidvBillPayment.Success), AmountVnd = verified.AmountVnd,
        };
        if (!StoredCall.ReadsBackAs(msg, account.AccountNo, verified))
            return Bidv(BidvBillPayment.MissingParameter, log, kind, "the call does not read back the same once stored");
        db.Inbox.Add(msg);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException x) when (x.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            if (await FirstAnswerAsync(db, "BIDV", kind, key, ct) is { } first) return owns(first.AccountId) ? Replay(first, log, $"BIDV {kind}") : notOurs();
            throw;
        }
        signal.Poke();
        log.LogInformation("BIDV {Kind} stored as {InboxId}, answered {Status}", kind, msg.Id, msg.AnswerStatus);
        return Json(msg.AnswerStatus, msg.AnswerBody);
    }

    private static string Upper(string text) => Reconciliation.Matching.PaymentCodeExtractor.Fold(text);

    private static string B64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64Url(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(t + new string('=', (4 - t.Length % 4) % 4));
    }
}
