using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Banks;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The banks' calls (contracts/banks.md). Each is verified, stored raw in the inbox, and answered; the inbox
/// worker applies it afterwards. Every answer is in the bank's own format, never ProblemDetails. Logs carry
/// the bank, the kind, the answer code and our inbox id: never the body, names or account numbers.
/// </summary>
public static class BankEndpoints
{
    public const int MaxBodyBytes = 64 * 1024;
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromSeconds(300);

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

    // ---------- BIDV bill payment ----------

    private static IResult Bidv(string code, ILogger log, string kind)
    {
        log.LogInformation("BIDV {Kind} answered {ResultCode}", kind, code);
        return Json(BidvBillPayment.HttpStatus(code), BidvBillPayment.Answer(code));
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
            var payload = $"{user}|{expires}";
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

    /// <summary>The user a bearer token was issued to, if it is ours and not expired.</summary>
    private static string? TokenUser(HttpRequest request, SecretBox box, BusinessClock clock)
    {
        var auth = request.Headers.Authorization.ToString();
        if (!auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return null;
        var parts = auth[7..].Trim().Split('.');
        if (parts.Length != 2) return null;
        try
        {
            var payload = Encoding.UTF8.GetString(FromB64Url(parts[0]));
            if (!System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(box.Mac(payload), FromB64Url(parts[1]))) return null;
            var bar = payload.LastIndexOf('|');
            if (bar <= 0 || !long.TryParse(payload[(bar + 1)..], out var expires) || clock.Now.ToUnixTimeSeconds() > expires) return null;
            return payload[..bar];
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed record BidvCaller(List<AccountSettings> Accounts);

    /// <summary>Token, then body, then service id, then checksum: the first failure is the answer.</summary>
    private static async Task<(BidvCaller? Caller, string? Code)> BidvAuthAsync(HttpRequest request, SecretBox box, BusinessClock clock, BankSettings settings, CancellationToken ct)
    {
        var user = TokenUser(request, box, clock);
        if (user is null) return (null, BidvBillPayment.BadCredentials);
        var accounts = await settings.BidvByUsernameAsync(user, ct);
        return accounts.Count == 0 ? (null, BidvBillPayment.BadCredentials) : (new BidvCaller(accounts), null);
    }

    private sealed record BidvCall<T>(T Call, byte[] Body);

    /// <summary>
    /// What every BIDV call goes through, in this order: token, body, service id, checksum. The first failure
    /// is the answer; otherwise the parsed call and its raw bytes.
    /// </summary>
    private static async Task<(BidvCall<T>? Call, IResult? Refusal)> BidvReceiveAsync<T>(HttpRequest request, SecretBox box, BusinessClock clock,
        BankSettings settings, ILogger log, string route, Func<byte[], T> parse, Func<T, string> serviceId, Func<string, T, bool> checksumMatches,
        CancellationToken ct)
    {
        var (caller, refused) = await BidvAuthAsync(request, box, clock, settings, ct);
        if (caller is null) return (null, Bidv(refused!, log, route));
        var body = await ReadBodyAsync(request, ct);
        if (body is null) return (null, Bidv(BidvBillPayment.MissingParameter, log, route));
        T call;
        try
        {
            call = parse(body);
        }
        catch (Exception e) when (e is MalformedBankCallException or BankAdapters.Inbound.MissingFieldException)
        {
            return (null, Bidv(BidvBillPayment.MissingParameter, log, route));
        }
        var service = caller.Accounts.Where(a => a.Account.BidvServiceId == serviceId(call)).ToList();
        if (service.Count == 0) return (null, Bidv(BidvBillPayment.UnknownService, log, route));
        if (!service.Any(a => a.BidvSecret is not null && checksumMatches(a.BidvSecret, call)))
            return (null, Bidv(BidvBillPayment.BadChecksum, log, route));
        return (new BidvCall<T>(call, body), null);
    }

    private static async Task<IResult> BidvGetBillAsync(HttpRequest request, FeesDb db, BankSettings settings, SecretBox box, BusinessClock clock, ILoggerFactory lf, CancellationToken ct)
    {
        var log = lf.CreateLogger("Banks.BIDV");
        try
        {
            var (received, refusal) = await BidvReceiveAsync(request, box, clock, settings, log, "getbill", b => BidvBillPayment.ParseInquiry(b),
                q => q.ServiceId, BidvBillPayment.InquiryChecksumMatches, ct);
            if (received is null) return refusal!;
            var q = received.Call;

            var student = await FindBidvCustomerAsync(db, q.CustomerId, q.ServiceId, ct);
            if (student is null) return Bidv(BidvBillPayment.UnknownCustomer, log, "getbill");
            var open = await (from n in db.Notices.AsNoTracking()
                              where n.StudentId == student.Id && (n.Status == NoticeStatus.Issued || n.Status == NoticeStatus.PartiallyPaid)
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

    private static async Task<Student?> FindBidvCustomerAsync(FeesDb db, string customerId, string serviceId, CancellationToken ct)
    {
        var authority = await db.Authorities.AsNoTracking().OrderBy(a => a.Code).FirstOrDefaultAsync(ct);
        if (authority is null || PaymentCode.TryParse(customerId, authority.PaymentCodePrefix) is not { } code) return null;
        var student = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.PaymentCode == code.Value, ct);
        if (student is null) return null;
        // The customer belongs to this service only through a school that collects with it.
        var served = await db.BankAccounts.AsNoTracking().AnyAsync(a => a.SchoolId == student.SchoolId && a.Bank == "BIDV" && a.BidvServiceId == serviceId, ct);
        return served ? student : null;
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
            var (p, body) = (received.Call, received.Body);

            var key = $"{p.ServiceId}:{p.TransId}";
            if (await FirstAnswerAsync(db, "BIDV", InboxKinds.BidvPay, key, ct) is { } first) return Replay(first, log, "BIDV paybill");
            var student = await FindBidvCustomerAsync(db, p.CustomerId, p.ServiceId, ct);
            if (student is null) return Bidv(BidvBillPayment.UnknownCustomer, log, "paybill");
            // Money BIDV has taken from a parent is never refused: stale bill, paid bill or another amount are applied and flagged.
            var account = await db.BankAccounts.AsNoTracking().FirstAsync(a => a.SchoolId == student.SchoolId && a.Bank == "BIDV" && a.BidvServiceId == p.ServiceId, ct);
            return await StoreAsync(db, clock, signal, log, "BIDV", InboxKinds.BidvPay, key, account.Id, body, new { },
                200, BidvBillPayment.Answer(BidvBillPayment.Success), ct, bankRef: p.TransBidv ?? p.TransId);
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
            var (r, body) = (received.Call, received.Body);

            var key = $"{r.ServiceId}:{r.TransId}";
            if (await FirstAnswerAsync(db, "BIDV", InboxKinds.BidvRevert, key, ct) is { } first) return Replay(first, log, "BIDV revertbill");
            var original = await db.Inbox.AsNoTracking().SingleOrDefaultAsync(m => m.Bank == "BIDV" && m.Kind == InboxKinds.BidvPay && m.IdempotencyKey == key, ct);
            if (original is null) return Bidv(BidvBillPayment.UnknownBill, log, "revertbill");
            var paid = BidvBillPayment.ParsePayment(Encoding.UTF8.GetBytes(original.RawBody));
            if (paid.AmountVnd != r.AmountVnd) return Bidv(BidvBillPayment.AmountDiffers, log, "revertbill");
            return await StoreAsync(db, clock, signal, log, "BIDV", InboxKinds.BidvRevert, key, original.AccountId, body, new { },
                200, BidvBillPayment.Answer(BidvBillPayment.Success), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("BIDV call failed on our side: {Error}", e.GetType().Name);
            return Bidv(BidvBillPayment.SystemError, log, "revertbill");
        }
    }

    // ---------- Vietcombank and MSB notifications ----------

    private static IResult Answer((int Status, string Body) a, ILogger log, string bank)
    {
        log.LogInformation("{Bank} notify answered {Status}", bank, a.Status);
        return Json(a.Status, a.Body);
    }

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
            catch (Exception x) when (x is MalformedBankCallException or BankAdapters.Inbound.MissingFieldException)
            {
                return Answer(VcbNotification.Malformed, log, "VCB");
            }
            var id = Guid.CreateVersion7();
            var (status, answer) = VcbNotification.Ok(id);
            return await StoreFastAsync(inbox, clock, signal, log, "VCB", e.IdempotencyKey, e.BankRef, account.Account.Id, body,
                new { signature = request.Headers[VcbNotification.SignatureHeader].ToString() }, status, answer, id, ct);
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
            catch (Exception x) when (x is MalformedBankCallException or BankAdapters.Inbound.MissingFieldException)
            {
                return Answer(MsbNotification.Malformed, log, "MSB");
            }
            var (status, answer) = MsbNotification.Ok;
            return await StoreFastAsync(inbox, clock, signal, log, "MSB", e.IdempotencyKey, e.BankRef, account.Account.Id, body,
                new { timestamp, signature = request.Headers[MsbNotification.SignatureHeader].ToString() }, status, answer, Guid.CreateVersion7(), ct);
        }
        catch (Exception x) when (x is not OperationCanceledException)
        {
            log.LogWarning("Notification failed on our side: {Error}", x.GetType().Name);
            return Answer(MsbNotification.OurFailure, log, "MSB");
        }
    }

    // ---------- the inbox ----------

    private sealed record StoredAnswer(Guid Id, int Status, string Body);

    private static async Task<StoredAnswer?> FirstAnswerAsync(FeesDb db, string bank, string kind, string key, CancellationToken ct) =>
        await db.Inbox.AsNoTracking().Where(m => m.Bank == bank && m.Kind == kind && m.IdempotencyKey == key)
            .Select(m => new StoredAnswer(m.Id, m.AnswerStatus, m.AnswerBody)).FirstOrDefaultAsync(ct);

    private static IResult Replay(StoredAnswer first, ILogger log, string what)
    {
        log.LogInformation("{What} repeated; first answer {InboxId} given again", what, first.Id);
        return Json(first.Status, first.Body);
    }

    /// <summary>Stores the verified call with the answer it gets; a concurrent duplicate loses on the unique key and gets the first answer.</summary>
    private static async Task<IResult> StoreAsync(FeesDb db, BusinessClock clock, InboxSignal signal, ILogger log, string bank, string kind, string key,
        Guid accountId, byte[] body, object headers, int status, string answer, CancellationToken ct, Guid? id = null, string? bankRef = null)
    {
        var msg = new InboxMessage
        {
            Id = id ?? Guid.CreateVersion7(), Bank = bank, Kind = kind, IdempotencyKey = key, AccountId = accountId, BankRef = bankRef,
            RawBody = Encoding.UTF8.GetString(body), Headers = JsonSerializer.Serialize(headers), ReceivedAt = clock.Now,
            AnswerStatus = status, AnswerBody = answer,
        };
        db.Inbox.Add(msg);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException x) when (x.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            if (await FirstAnswerAsync(db, bank, kind, key, ct) is { } first) return Replay(first, log, $"{bank} {kind}");
            throw;
        }
        signal.Poke();
        log.LogInformation("{Bank} {Kind} stored as {InboxId}, answered {Status}", bank, kind, msg.Id, status);
        return Json(status, answer);
    }

    /// <summary>One round trip: stored if new, else the first answer for the same call.</summary>
    private static async Task<IResult> StoreFastAsync(InboxStore inbox, BusinessClock clock, InboxSignal signal, ILogger log, string bank, string key,
        string bankRef, Guid accountId, byte[] body, object headers, int status, string answer, Guid id, CancellationToken ct)
    {
        var (stored, first) = await inbox.StoreAsync(new InboxMessage
        {
            Id = id, Bank = bank, Kind = InboxKinds.Notify, IdempotencyKey = key, BankRef = bankRef, AccountId = accountId, RawBody = Encoding.UTF8.GetString(body),
            Headers = JsonSerializer.Serialize(headers), ReceivedAt = clock.Now, AnswerStatus = status, AnswerBody = answer,
        }, ct);
        if (!stored) return Replay(new StoredAnswer(first.Id, first.Status, first.Body), log, $"{bank} notify");
        signal.Poke();
        log.LogInformation("{Bank} notify stored as {InboxId}, answered {Status}", bank, first.Id, first.Status);
        return Json(first.Status, first.Body);
    }

    private static bool FixedEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string Upper(string text) => Reconciliation.Matching.PaymentCodeExtractor.Fold(text);

    private static string B64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64Url(string s)
    {
        var t = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(t + new string('=', (4 - t.Length % 4) % 4));
    }
}
