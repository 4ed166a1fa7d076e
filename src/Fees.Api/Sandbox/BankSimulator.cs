using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>
/// Plays a sandbox bank against a running service, signed exactly like the real one: BIDV bill payment,
/// a Vietcombank notification with the code in the description, an MSB virtual-account credit. It can send
/// duplicates (all at once) and a reversal of what it paid. For demos and end-to-end tests only.
/// </summary>
public sealed class BankSimulator(HttpClient http, FeesDb db, SecretBox box, BusinessClock clock)
{
    public sealed record Sent(string What, int Status, string Answer);

    public async Task<List<Sent>> PayAsync(string noticeNo, string via, long? amountVnd, int duplicates, bool reverse, CancellationToken ct = default)
    {
        var bank = via.ToLowerInvariant() switch
        {
            "bidv" => "BIDV",
            "vcb" => "VCB",
            "msb" => "MSB",
            "sepay" => BankDirectory.Sepay,
            "casso" => BankDirectory.Casso,
            "payos" => BankDirectory.Payos,
            _ => throw new BadInputException("--via", null, null, $"\"{via}\" is not bidv, vcb, msb, sepay, casso or payos."),
        };
        var aggregator = BankDirectory.Aggregators.Contains(bank);
        if (aggregator && reverse) throw new BadInputException("--reverse", null, null, "the aggregators tell of credits and debits, never of reversals.");
        var notice = await (from n in db.Notices.AsNoTracking()
                            join s in db.Students.AsNoTracking() on n.StudentId equals s.Id
                            join sc in db.Schools.AsNoTracking() on n.SchoolId equals sc.Id
                            where n.NoticeNo == noticeNo
                            select new { n.NoticeNo, Balance = n.AmountDueVnd - n.AmountPaidVnd, s.PaymentCode, s.SchoolId, sc.Code }).SingleOrDefaultAsync(ct)
            ?? throw new BadInputException("--notice", null, null, $"there is no notice {noticeNo}.");
        var amount = amountVnd ?? notice.Balance;
        if (amount <= 0) throw new BusinessRuleException($"Notice {noticeNo} has nothing left to pay; give --amount to pay anyway.");
        var credentials = (await new BankSandbox(db, box).EnsureAsync(ct))
                              .FirstOrDefault(c => c.SchoolCode == notice.Code && (aggregator ? c.Aggregator?.Via == bank : c.Bank == bank && c.Aggregator is null))
            ?? throw new BusinessRuleException($"School {notice.Code} does not collect through {bank}.");

        var reference = $"{DateTime.UtcNow:yyMMddHHmmss}{RandomNumberGenerator.GetInt32(100000, 999999)}";
        var now = TimeZoneInfo.ConvertTime(clock.Now, BusinessClock.Zone);
        var sent = new List<Sent>();
        switch (bank)
        {
            case BankDirectory.Sepay or BankDirectory.Casso or BankDirectory.Payos:
                sent.AddRange(await SendManyAsync($"{bank} webhook", duplicates,
                    () => AggregatorCalls.Credit(credentials, long.Parse(reference[^12..], CultureInfo.InvariantCulture), "FT" + reference, amount, $"{notice.PaymentCode} hoc phi", now, clock.Now), ct));
                break;
            case "BIDV":
            {
                var b = credentials.Bidv!;
                var token = await BidvTokenAsync(b, ct);
                var amountText = amount.ToString(CultureInfo.InvariantCulture);
                var transId = "FT" + reference;
                var pay = JsonSerializer.Serialize(new
                {
                    trans_id = transId, trans_date = now.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), customer_id = notice.PaymentCode,
                    service_id = b.ServiceId, bill_id = notice.NoticeNo, amount = amountText, trans_bidv = "BIDV" + reference,
                    checksum = BidvBillPayment.PaymentChecksumMd5(b.Secret, transId, notice.NoticeNo, amountText),
                });
                sent.AddRange(await SendManyAsync("BIDV paybill", duplicates, () => Post("/api/banks/bidv/paybill", pay, token), ct));
                if (reverse)
                {
                    var revert = JsonSerializer.Serialize(new
                    {
                        trans_id = transId, service_id = b.ServiceId, bill_id = notice.NoticeNo, amount = amountText, reason = "customer complaint",
                        checksum = BidvBillPayment.PaymentChecksumHmac(b.Secret, transId, notice.NoticeNo, amountText),
                    });
                    sent.Add(await SendAsync("BIDV revertbill", Post("/api/banks/bidv/revertbill", revert, token), ct));
                }
                break;
            }
            case "VCB":
            {
                var key = credentials.Vcb?.PrivateKeyPem ?? throw new BusinessRuleException($"The VCB account of school {notice.Code} has a real key configured; the sandbox cannot sign for it.");
                var id = "VCB" + reference;
                string Body(string cd, string txId, long amt, string? original) => JsonSerializer.Serialize(new
                {
                    transactionId = txId, transactionTime = now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    valueDate = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), referenceNumber = "FT" + txId[3..],
                    accountNumber = credentials.AccountNo, amount = amt, currency = "VND", creditDebit = cd,
                    content = $"MBVCB.{reference[..8]}.{reference[8..]}.{notice.PaymentCode.ToLowerInvariant()} hoc phi.CT tu 0123456789 NGUYEN VAN A toi {credentials.AccountNo} TRUONG",
                    payerAccount = "0123456789", payerName = "NGUYEN VAN A", originalTransactionId = original,
                });
                var credit = Body("C", id, amount, null);
                sent.AddRange(await SendManyAsync("VCB notify", duplicates, () => Signed("/api/banks/vcb/notify", credit,
                    r => r.Headers.Add(VcbNotification.SignatureHeader, VcbNotification.Sign(key, Encoding.UTF8.GetBytes(credit)))), ct));
                if (reverse)
                {
                    var debit = Body("D", id + "R", amount, id);
                    sent.Add(await SendAsync("VCB reversal", Signed("/api/banks/vcb/notify", debit,
                        r => r.Headers.Add(VcbNotification.SignatureHeader, VcbNotification.Sign(key, Encoding.UTF8.GetBytes(debit)))), ct));
                }
                break;
            }
            default:
            {
                var m = credentials.Msb!;
                var id = "FT" + reference;
                var va = VirtualAccounts.Of(BankDirectory.Msb, m.VaPrefix, notice.PaymentCode);
                string Body(string sign, string txId, string? original) => JsonSerializer.Serialize(new
                {
                    transactionId = txId, referenceNo = $"IB20SML247/{txId}", vaNumber = va, accountNumber = credentials.AccountNo, amount,
                    currency = "VND", transactionTime = now.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    valueDate = now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), dcSign = sign,
                    remark = $"{credentials.AccountNo}-{reference}-hoc phi", payerName = "TRAN THI B", payerAccount = "9876543210",
                    payerBankCode = "970422", originalTransactionId = original,
                });
                HttpRequestMessage SignedMsb(string body)
                {
                    var ts = clock.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
                    return Signed("/api/banks/msb/notify", body, r =>
                    {
                        r.Headers.Add(MsbNotification.TimestampHeader, ts);
                        r.Headers.Add(MsbNotification.SignatureHeader, MsbNotification.Sign(m.Secret, ts, Encoding.UTF8.GetBytes(body)));
                    });
                }
                var credit = Body("C", id, null);
                sent.AddRange(await SendManyAsync("MSB notify", duplicates, () => SignedMsb(credit), ct));
                if (reverse) sent.Add(await SendAsync("MSB reversal", SignedMsb(Body("D", id + "R", id)), ct));
                break;
            }
        }
        return sent;
    }

    private async Task<string> BidvTokenAsync(BidvSandbox b, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/banks/bidv/token_generate");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{b.Username}:{b.Password}")));
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new BusinessRuleException($"BIDV token_generate was refused ({(int)response.StatusCode}): {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("access_token").GetString()!;
    }

    private static HttpRequestMessage Post(string path, string body, string token)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return r;
    }

    private static HttpRequestMessage Signed(string path, string body, Action<HttpRequestMessage> sign)
    {
        var r = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        sign(r);
        return r;
    }

    private async Task<List<Sent>> SendManyAsync(string what, int duplicates, Func<HttpRequestMessage> make, CancellationToken ct)
    {
        var first = await SendAsync(what, make(), ct);
        if (duplicates <= 0) return [first];
        // The duplicates go all at once, as a bank's retry storm would.
        var again = await Task.WhenAll(Enumerable.Range(0, duplicates).Select(_ => SendAsync(what + " (duplicate)", make(), ct)));
        return [first, .. again];
    }

    private async Task<Sent> SendAsync(string what, HttpRequestMessage request, CancellationToken ct)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, ct);
            return new Sent(what, (int)response.StatusCode, await response.Content.ReadAsStringAsync(ct));
        }
    }
}
