using System.Text;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.BankAdapters.Tests.Inbound;

/// <summary>What the adapters take from a bank body is text PostgreSQL can hold and our keys can index.</summary>
public sealed class BankJsonTests
{
    private static MalformedBankCallException Refused(string json) =>
        Assert.Throws<MalformedBankCallException>(() => BankJson.ParseObject(Encoding.UTF8.GetBytes(json)));

    [Theory]
    [InlineData("""{"bill_id": "TS02\u0000"}""", "bill_id")]
    [InlineData("""{"bill_id": "TS02\u001f"}""", "bill_id")]
    [InlineData("""{"bill_id": "TS02\u007f"}""", "bill_id")]
    [InlineData("""{"bill_id": "TS02\u0085"}""", "bill_id")]
    [InlineData("""{"payerName": "A\nB"}""", "payerName")]
    [InlineData("""{"additionalData": {"inner": ["ok", "x\u0000"]}}""", "additionalData")]
    public void ParseObject_ControlCharacterInAnyValue_IsRefusedNamingTheField(string json, string field)
    {
        var e = Refused(json);

        Assert.Equal(field, e.Field);
        Assert.Contains("control character", e.Message);
    }

    [Theory]
    [InlineData("""{"amount": 1000, "content": "hoc phi", "amount": 5000000}""", "amount")]
    [InlineData("""{"data": {"amount": 1000, "amount": 5000000}}""", "data")]
    public void ParseObject_ANameTwiceInOneObject_IsRefusedNamingTheField(string json, string field)
    {
        var e = Refused(json);

        Assert.Equal(field, e.Field);
        Assert.Contains("twice", e.Message);
    }

    [Fact]
    public void ParseObject_TheSameNameInTwoObjects_IsAccepted() =>
        Assert.Equal(2, BankJson.ParseObject("""{"a": {"amount": 1}, "b": {"amount": 2}}"""u8).EnumerateObject().Count());

    [Fact]
    public void ParseObject_ControlCharacterInAName_IsRefusedWithoutRepeatingTheName()
    {
        var e = Refused("""{"bill\u0000id": "TS02"}""");

        Assert.Null(e.Field);
        Assert.DoesNotContain("bill", e.Message);
    }

    [Theory]
    [InlineData("""{"content": "hoc \ud800 phi"}""")]
    [InlineData("""{"content": "hoc \udc00 phi"}""")]
    public void ParseObject_HalfASurrogatePair_IsRefused(string json)
    {
        Assert.Equal("content", Refused(json).Field);
    }

    [Theory]
    [InlineData("""{"a": "1"} {"a": "2"}""")]
    [InlineData("{\"a\": \"1\"}\0")]
    [InlineData("""{"a": "1"}x""")]
    public void ParseObject_AnythingAfterTheObject_IsRefused(string json)
    {
        Refused(json);
    }

    [Fact]
    public void ParseObject_VietnameseMarksAnEmojiAndTrailingWhiteSpace_AreTaken()
    {
        var o = BankJson.ParseObject(Encoding.UTF8.GetBytes("{\"content\": \"Học phí tháng 9 \\ud83d\\ude00 HS10000004\"}\r\n "));

        Assert.Equal("Học phí tháng 9 😀 HS10000004", BankJson.Text(o, "content", BankJson.MaxTextLength));
    }

    [Fact]
    public void Text_LongerThanItsLimit_IsRefusedNamingTheField()
    {
        var o = BankJson.ParseObject(Encoding.UTF8.GetBytes(
            $$"""{"id100": "{{new string('a', 100)}}", "id101": "{{new string('a', 101)}}", "text1000": "{{new string('b', 1000)}}", "text1001": "{{new string('b', 1001)}}"}"""));

        Assert.Equal(100, BankJson.Required(o, "id100").Length);
        Assert.Equal(1000, BankJson.Text(o, "text1000", BankJson.MaxTextLength)!.Length);
        Assert.Equal("id101", Assert.Throws<MalformedBankCallException>(() => BankJson.Required(o, "id101")).Field);
        Assert.Equal("text1001", Assert.Throws<MalformedBankCallException>(() => BankJson.Text(o, "text1001", BankJson.MaxTextLength)).Field);
    }

    [Fact]
    public void EachAdapter_LongIdentifierOrDescription_IsRefused()
    {
        var longId = new string('7', 101);
        var longText = new string('x', 1001);

        Assert.Throws<MalformedBankCallException>(() => BidvBillPayment.ParsePayment(Encoding.UTF8.GetBytes(
            $$"""{"trans_id": "{{longId}}", "trans_date": "20250910093000", "customer_id": "HS10000004", "service_id": "S", "bill_id": "B", "amount": "1000", "checksum": "c"}""")));
        Assert.Throws<MalformedBankCallException>(() => BidvBillPayment.ParseReversal(Encoding.UTF8.GetBytes(
            $$"""{"trans_id": "T", "service_id": "S", "bill_id": "B", "amount": "1000", "reason": "{{longText}}", "checksum": "c"}""")));
        Assert.Throws<MalformedBankCallException>(() => VcbNotification.Parse(BankJson.ParseObject(Encoding.UTF8.GetBytes(
            $$"""{"transactionId": "T", "referenceNumber": "R", "accountNumber": "1", "amount": 1000, "creditDebit": "C", "content": "{{longText}}"}"""))));
        Assert.Throws<MalformedBankCallException>(() => MsbNotification.Parse(BankJson.ParseObject(Encoding.UTF8.GetBytes(
            $$"""{"transactionId": "{{longId}}", "accountNumber": "1", "amount": 1000, "dcSign": "C", "remark": "r"}"""))));
    }

    [Theory]
    [InlineData(" ")]
    [InlineData("\u00a0\u3000")]
    [InlineData("   ")]
    public void ABlankTransactionId_IsMissing(string blank)
    {
        // Found by attack (round 6): a trans_id of one space was stored and applied under the key "SERVICE: ".
        var json = $$"""{"trans_id": "{{blank}}", "trans_date": "20250910093000", "customer_id": "HS10000004", "service_id": "S", "bill_id": "B", "amount": "1000", "checksum": "c"}""";
        Assert.Equal("trans_id", Assert.Throws<BankFieldMissingException>(() => BidvBillPayment.ParsePayment(Encoding.UTF8.GetBytes(json))).Field);
        Assert.Throws<BankFieldMissingException>(() => VcbNotification.Parse(BankJson.ParseObject(Encoding.UTF8.GetBytes(
            $$"""{"transactionId": "{{blank}}", "referenceNumber": "R", "accountNumber": "1", "amount": 1000, "creditDebit": "C", "content": "x"}"""))));
    }

    [Fact]
    public void BidvReversal_ToEvent_NamesThePaymentItUndoesByItsKey()
    {
        var r = BidvBillPayment.ParseReversal(Encoding.UTF8.GetBytes(
            """{"trans_id": "T1", "service_id": "HOCPHI", "bill_id": "B1", "amount": "1000", "reason": "khiếu nại", "checksum": "c"}"""));

        var e = BidvBillPayment.ToEvent(r, "65210000000001");

        Assert.Equal((BankEventKind.Reversal, "HOCPHI:T1", "HOCPHI:T1", 1000L, "khiếu nại"), (e.Kind, e.IdempotencyKey, e.OriginalKey, e.AmountVnd, e.Description));
    }
}
