using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.BankAdapters.Tests.Banks;

public sealed class VirtualAccountsTests
{
    private static readonly string Code = PaymentCode.Create("HS", 1_234_567).Value;

    [Fact]
    public void Of_BidvTakesTheWholeCode_MsbItsEightDigits()
    {
        Assert.Equal("V001" + Code, VirtualAccounts.Of("BIDV", "V001", Code));
        Assert.Equal("880001" + Code[2..], VirtualAccounts.Of("MSB", "880001", Code));
    }

    [Theory]
    [InlineData("BIDV", "V001", true)]
    [InlineData("BIDV", "v0a1", true)]
    [InlineData("BIDV", "V01", false)]
    [InlineData("BIDV", "V-01", false)]
    [InlineData("MSB", "880001", true)]
    [InlineData("MSB", "88000A", false)]
    [InlineData("MSB", "8800011", false)]
    [InlineData("VCB", "V001", false)]
    public void PrefixFits_TheFormEachBankGives(string bank, string prefix, bool fits) =>
        Assert.Equal(fits, VirtualAccounts.PrefixFits(bank, prefix));

    [Fact]
    public void PaymentCodeOf_ReadsBackWhatOfWrote_ForEitherBank()
    {
        Assert.Equal(Code, VirtualAccounts.PaymentCodeOf(VirtualAccounts.Of("BIDV", "V001", Code), "V001", "HS"));
        Assert.Equal(Code, VirtualAccounts.PaymentCodeOf(VirtualAccounts.Of("MSB", "880001", Code), "880001", "HS"));
        Assert.Equal(Code, VirtualAccounts.PaymentCodeOf(" v001" + Code.ToLowerInvariant() + " ", "V001", "HS"));
    }

    [Theory]
    [InlineData("V002", "V001")]  // another prefix
    [InlineData("V001", null)]    // the account has no virtual accounts
    [InlineData("V001", "")]
    public void PaymentCodeOf_AnotherOrNoPrefix_IsNoCode(string written, string? prefix) =>
        Assert.Null(VirtualAccounts.PaymentCodeOf(written + Code, prefix, "HS"));

    [Fact]
    public void PaymentCodeOf_ACodeWhoseCheckDigitFails_IsNoCode()
    {
        var wrong = Code[..^1] + (char)('0' + (Code[^1] - '0' + 1) % 10);

        Assert.Null(VirtualAccounts.PaymentCodeOf("V001" + wrong, "V001", "HS"));
        Assert.Null(VirtualAccounts.PaymentCodeOf("880001" + wrong[2..], "880001", "HS"));
        Assert.Null(VirtualAccounts.PaymentCodeOf("880001" + Code[3..], "880001", "HS"));
    }
}
