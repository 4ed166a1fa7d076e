using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.BankAdapters.Bidv;

/// <summary>BIDV bill payment (family A of contracts/banks.md): result codes, checksums, request shapes.</summary>
public static class BidvBillPayment
{
    public const string Success = "000", MissingParameter = "001", BadCredentials = "003", BadChecksum = "004",
        UnknownService = "006", UnknownCustomer = "011", NothingToPay = "012", UnknownBill = "021",
        AmountDiffers = "022", AlreadyPaid = "023", SystemError = "031";

    public static string Describe(string code) => code switch
    {
        Success => "success",
        MissingParameter => "missing or invalid parameter",
        BadCredentials => "invalid credentials or token",
        BadChecksum => "invalid checksum",
        UnknownService => "unknown service id",
        UnknownCustomer => "unknown customer code",
        NothingToPay => "no bill to pay",
        UnknownBill => "unknown bill or transaction",
        AmountDiffers => "amount differs",
        AlreadyPaid => "bill already paid",
        _ => "system error",
    };

    public static int HttpStatus(string code) => code == Success ? 200 : code == SystemError ? 500 : 400;

    public sealed record Inquiry(string CustomerId, string ServiceId, string Checksum);

    public sealed record Payment(string TransId, string TransDate, string CustomerId, string ServiceId, string BillId, string AmountText,
        long AmountVnd, string Checksum, string? TransBidv);

    public sealed record Reversal(string TransId, string ServiceId, string BillId, string AmountText, long AmountVnd, string? Reason, string Checksum);

    public static Inquiry ParseInquiry(ReadOnlySpan<byte> body)
    {
        var o = BankJson.ParseObject(body);
        return new Inquiry(BankJson.Required(o, "customer_id"), BankJson.Required(o, "service_id"), BankJson.Required(o, "checksum"));
    }

    public static Payment ParsePayment(ReadOnlySpan<byte> body)
    {
        var o = BankJson.ParseObject(body);
        var amountText = BankJson.Required(o, "amount");
        var amount = BankJson.ParseAmount(amountText) ?? throw new MalformedBankCallException("amount is not a whole number of đồng above 0 and below 10^12", "amount");
        return new Payment(BankJson.Required(o, "trans_id"), BankJson.Required(o, "trans_date"), BankJson.Required(o, "customer_id"),
            BankJson.Required(o, "service_id"), BankJson.Required(o, "bill_id"), amountText, amount, BankJson.Required(o, "checksum"),
            BankJson.Text(o, "trans_bidv"));
    }

    public static Reversal ParseReversal(ReadOnlySpan<byte> body)
    {
        var o = BankJson.ParseObject(body);
        var amountText = BankJson.Required(o, "amount");
        var amount = BankJson.ParseAmount(amountText) ?? throw new MalformedBankCallException("amount is not a whole number of đồng above 0 and below 10^12", "amount");
        return new Reversal(BankJson.Required(o, "trans_id"), BankJson.Required(o, "service_id"), BankJson.Required(o, "bill_id"),
            amountText, amount, BankJson.Text(o, "reason", BankJson.MaxTextLength), BankJson.Required(o, "checksum"));
    }

    /// <summary>getbill: lowercase hex MD5(secret + service_id + customer_id).</summary>
    public static string InquiryChecksum(string secret, string serviceId, string customerId) =>
        Md5Hex(secret + serviceId + customerId);

    /// <summary>paybill/revertbill, first form: lowercase hex MD5(secret + trans_id + bill_id + amount).</summary>
    public static string PaymentChecksumMd5(string secret, string transId, string billId, string amount) =>
        Md5Hex(secret + transId + billId + amount);

    /// <summary>paybill/revertbill, second form: Base64(HMAC-SHA256(key = secret, message = secret + trans_id + bill_id + amount)).</summary>
    public static string PaymentChecksumHmac(string secret, string transId, string billId, string amount) =>
        Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(secret + transId + billId + amount)));

    public static bool InquiryChecksumMatches(string secret, Inquiry q) =>
        FixedEquals(q.Checksum.ToLowerInvariant(), InquiryChecksum(secret, q.ServiceId, q.CustomerId));

    public static bool PaymentChecksumMatches(string secret, string transId, string billId, string amount, string checksum) =>
        FixedEquals(checksum.ToLowerInvariant(), PaymentChecksumMd5(secret, transId, billId, amount))
        | FixedEquals(checksum, PaymentChecksumHmac(secret, transId, billId, amount));

    public static BankEvent ToEvent(Payment p, string accountNumber) => new(
        BankDirectory.Bidv, BankEventKind.Credit, $"{p.ServiceId}:{p.TransId}", p.TransBidv ?? p.TransId, p.AmountVnd, accountNumber, null,
        p.CustomerId, p.BillId, "", null, p.TransDate, null);

    /// <summary>A revertbill names the payment it undoes by its own key: (service id, trans id) of that payment.</summary>
    public static BankEvent ToEvent(Reversal r, string accountNumber) => new(
        BankDirectory.Bidv, BankEventKind.Reversal, $"{r.ServiceId}:{r.TransId}", r.TransId, r.AmountVnd, accountNumber, null, null, r.BillId, r.Reason ?? "",
        $"{r.ServiceId}:{r.TransId}", null, null);

    public static string Answer(string code) =>
        JsonSerializer.Serialize(new { result_code = code, result_desc = Describe(code) });

    /// <summary>A refusal that says why, in our words (a field name and a rule, never a value from the call).</summary>
    public static string Answer(string code, string? why) =>
        why is null ? Answer(code) : JsonSerializer.Serialize(new { result_code = code, result_desc = $"{Describe(code)}: {why}" });

    private static string Md5Hex(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
