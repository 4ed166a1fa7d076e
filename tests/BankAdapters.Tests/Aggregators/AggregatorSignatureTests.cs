using System.Text.Json;
using TdmEdu.Fees.BankAdapters.Aggregators;
using TdmEdu.Fees.BankAdapters.Inbound;

namespace TdmEdu.Fees.BankAdapters.Tests.Aggregators;

/// <summary>The providers' own published examples (key, body, signature) verify; any changed byte does not.</summary>
public sealed class AggregatorSignatureTests
{
    // Casso's documented sample: its checksum key, header and body.
    private const string CassoKey = "mgExMrjj4i7a1p8Cs6LmFbpCd8lbw4sSX4LZXPag7TKazeIogtR90tvWYTkwQbvs";
    private const string CassoHeader = "t=1727948258788,v1=ed0a4bd2e826d5cb69988cdb141e6c1a080e21f3b57eb72cd78192220042b9e7dde0868fc667faea8e224900fa7904e7c88dfa098032fb2d6b6996856e8b7ff3";
    private const string CassoBody = """
        {"error":0,"data":{"id":0,"reference":"MA_GIAO_DICH_THU_NGHIEM","description":"giao dich thu nghiem","amount":599000,"runningBalance":25000000,
        "transactionDateTime":"2024-10-03 15:06:37","accountNumber":"88888888","bankName":"VPBank","bankAbbreviation":"VPB","virtualAccountNumber":"",
        "virtualAccountName":"","counterAccountName":"NGUYEN VAN A","counterAccountNumber":"8888888888","counterAccountBankId":"970415","counterAccountBankName":"VietinBank"}}
        """;

    // payOS's documented sample: its checksum key, data and signature.
    private const string PayosKey = "1a54716c8f0efb2744fb28b6e38b25da7f67a925d98bc1c18bd8faaecadd7675";
    private const string PayosBody = """
        {"code":"00","desc":"success","success":true,"data":{"orderCode":123,"amount":3000,"description":"VQRIO123","accountNumber":"12345678",
        "reference":"TF230204212323","transactionDateTime":"2023-02-04 18:25:00","currency":"VND","paymentLinkId":"124c33293c43417ab7879e14c8d9eb18",
        "code":"00","desc":"Thành công","counterAccountBankId":"","counterAccountBankName":"","counterAccountName":"","counterAccountNumber":"",
        "virtualAccountName":"","virtualAccountNumber":""},"signature":"412e915d2871504ed31be63c8f62a149a4410d34c4c42affc9006ef9917eaa03"}
        """;

    private static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement.Clone();

    [Fact]
    public void Casso_TheDocumentedSample_Verifies_AndAChangedAmountOrTimeDoesNot()
    {
        Assert.True(CassoWebhook.SignatureMatches(CassoKey, CassoHeader, Json(CassoBody)));
        Assert.False(CassoWebhook.SignatureMatches(CassoKey, CassoHeader, Json(CassoBody.Replace("599000", "599001", StringComparison.Ordinal))));
        Assert.False(CassoWebhook.SignatureMatches(CassoKey, CassoHeader.Replace("t=1727948258788", "t=1727948258789", StringComparison.Ordinal), Json(CassoBody)));
        Assert.False(CassoWebhook.SignatureMatches(CassoKey + "x", CassoHeader, Json(CassoBody)));
        Assert.False(CassoWebhook.SignatureMatches(CassoKey, "v1=abc", Json(CassoBody)));
    }

    [Fact]
    public void Casso_OnlyACallWithinFiveMinutesOfItsTime_IsFresh()
    {
        var sent = DateTimeOffset.FromUnixTimeMilliseconds(1727948258788);

        Assert.True(CassoWebhook.IsFresh(CassoHeader, sent.AddMinutes(4)));
        Assert.False(CassoWebhook.IsFresh(CassoHeader, sent.AddMinutes(6)));
        Assert.False(CassoWebhook.IsFresh(CassoHeader, sent.AddMinutes(-6)));
    }

    [Fact]
    public void Casso_ReadsItsCallAsACredit_AndMoneyOutAsADebit()
    {
        var e = CassoWebhook.Parse(Json(CassoBody));

        Assert.Equal(("CASSO", BankEventKind.Credit, "0", "MA_GIAO_DICH_THU_NGHIEM", 599000L, "88888888", "giao dich thu nghiem", new DateOnly(2024, 10, 3)),
            (e.Bank, e.Kind, e.IdempotencyKey, e.BankRef, e.AmountVnd, e.AccountNumber, e.Description, e.ValueDate));
        Assert.Equal(BankEventKind.OtherDebit, CassoWebhook.Parse(Json(CassoBody.Replace("599000", "-599000", StringComparison.Ordinal))).Kind);
        Assert.Throws<MalformedBankCallException>(() => CassoWebhook.Parse(Json(CassoBody.Replace("\"error\":0", "\"error\":1", StringComparison.Ordinal))));
        Assert.Throws<MalformedBankCallException>(() => CassoWebhook.Parse(Json(CassoBody.Replace("599000", "599000.5", StringComparison.Ordinal))));
    }

    [Fact]
    public void Payos_TheDocumentedSample_Verifies_AndAChangedFieldDoesNot()
    {
        Assert.True(PayosWebhook.SignatureMatches(PayosKey, Json(PayosBody)));
        Assert.False(PayosWebhook.SignatureMatches(PayosKey, Json(PayosBody.Replace("\"amount\":3000", "\"amount\":3001", StringComparison.Ordinal))));
        Assert.False(PayosWebhook.SignatureMatches(PayosKey, Json(PayosBody.Replace("12345678", "12345679", StringComparison.Ordinal))));
        Assert.False(PayosWebhook.SignatureMatches("other", Json(PayosBody)));
        Assert.False(PayosWebhook.SignatureMatches(PayosKey, Json(PayosBody.Replace(",\"signature\":\"412e915d2871504ed31be63c8f62a149a4410d34c4c42affc9006ef9917eaa03\"", "", StringComparison.Ordinal))));
    }

    [Fact]
    public void Payos_OnlyAPaidCallInVnd_IsMoney()
    {
        var e = PayosWebhook.Parse(Json(PayosBody));

        Assert.Equal(("PAYOS", BankEventKind.Credit, "TF230204212323", 3000L, "12345678"), (e.Bank, e.Kind, e.BankRef, e.AmountVnd, e.AccountNumber));
        Assert.Throws<MalformedBankCallException>(() => PayosWebhook.Parse(Json(PayosBody.Replace("\"code\":\"00\",\"desc\":\"Thành công\"", "\"code\":\"01\",\"desc\":\"x\"", StringComparison.Ordinal))));
        Assert.Throws<MalformedBankCallException>(() => PayosWebhook.Parse(Json(PayosBody.Replace("\"currency\":\"VND\"", "\"currency\":\"USD\"", StringComparison.Ordinal))));
    }

    [Fact]
    public void Sepay_OnlyItsExactKey_Passes()
    {
        Assert.True(SepayWebhook.KeyMatches("k-123", "Apikey k-123"));
        Assert.False(SepayWebhook.KeyMatches("k-123", "Apikey k-124"));
        Assert.False(SepayWebhook.KeyMatches("k-123", "Bearer k-123"));
        Assert.False(SepayWebhook.KeyMatches("k-123", null));
        Assert.False(SepayWebhook.KeyMatches("k-123", "Apikey "));
    }

    [Fact]
    public void Sepay_ReadsMoneyInAndOut()
    {
        const string body = """
            {"id":92704,"gateway":"Vietcombank","transactionDate":"2023-03-25 14:02:37","accountNumber":"0123499999","code":null,"content":"HS10000004 hoc phi",
            "transferType":"in","transferAmount":2277000,"accumulated":19077000,"subAccount":null,"referenceCode":"MBVCB.3278907687","description":""}
            """;

        var e = SepayWebhook.Parse(Json(body));

        Assert.Equal(("SEPAY", BankEventKind.Credit, "92704", "MBVCB.3278907687", 2277000L, "0123499999", "HS10000004 hoc phi"),
            (e.Bank, e.Kind, e.IdempotencyKey, e.BankRef, e.AmountVnd, e.AccountNumber, e.Description));
        Assert.Equal(BankEventKind.OtherDebit, SepayWebhook.Parse(Json(body.Replace("\"in\"", "\"out\"", StringComparison.Ordinal))).Kind);
        Assert.Throws<MalformedBankCallException>(() => SepayWebhook.Parse(Json(body.Replace("2277000", "0", StringComparison.Ordinal))));
    }
}
