using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Domain.Tests.Receipts;

public sealed class ReceiptTests
{
    [Fact]
    public void Cancel_KeepsTheNumberAndPointsAtTheReplacement()
    {
        var r = new Receipt("01BLP0-001", "AA-25E", 7, 100_000);

        r.Cancel(replacementNumber: 12);

        Assert.Equal(ReceiptStatus.Cancelled, r.Status);
        Assert.Equal(7, r.Number);
        Assert.Equal(12, r.ReplacedByNumber);
        Assert.Equal("01BLP0-001/AA-25E/0000007", r.Display);
        Assert.Throws<InvalidOperationException>(() => r.Cancel(null));
    }

    [Fact]
    public void Cancel_Twice_IsRefusedNamingTheReceipt()
    {
        var r = new Receipt("EBL01", "26T", 7, 100_000);
        r.Cancel(null);

        var e = Assert.Throws<InvalidOperationException>(() => r.Cancel(null));

        Assert.Equal("Receipt EBL01/26T/0000007 is already cancelled.", e.Message);
        Assert.Null(r.ReplacedByNumber);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    public void Cancel_WithAReplacementNumberNotLater_IsRefusedAndLeavesTheReceiptIssued(long replacement)
    {
        var r = new Receipt("EBL01", "26T", 7, 100_000);

        var e = Assert.Throws<InvalidOperationException>(() => r.Cancel(replacement));

        Assert.Equal("A replacement receipt takes a later number than EBL01/26T/0000007.", e.Message);
        Assert.Equal(ReceiptStatus.Issued, r.Status);
    }

    [Fact]
    public void New_TheFirstNumberIsOne()
    {
        var r = new Receipt("EBL01", "26T", 1, 1);

        Assert.Equal(("EBL01/26T/0000001", 1L, ReceiptStatus.Issued), (r.Display, r.AmountVnd, r.Status));
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Receipt("EBL01", "26T", 0, 1));
        Assert.Equal("number", e.ParamName);
        Assert.StartsWith("Receipt numbers start at 1.", e.Message);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-100_000)]
    public void New_ForNoMoney_IsRefused(long amountVnd)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Receipt("EBL01", "26T", 1, amountVnd));

        Assert.Equal("amountVnd", e.ParamName);
        Assert.StartsWith("A receipt is for money received.", e.Message);
    }

    [Fact]
    public void FindGaps_ReportsMissingAndRepeatedNumbers()
    {
        var (missing, repeated) = Receipt.FindGaps([1, 2, 4, 4, 6]);

        Assert.Equal([3L, 5L], missing);
        Assert.Equal([4L], repeated);
        Assert.Empty(Receipt.FindGaps([1, 2, 3]).Missing);
    }

    [Fact]
    public void FindGaps_OfASeriesWithNoReceiptYet_FindsNothing()
    {
        var (missing, repeated) = Receipt.FindGaps([]);

        Assert.Empty(missing);
        Assert.Empty(repeated);
    }

    [Fact]
    public void FindGaps_ReportsTheFirstHundredMissingNumbersOnly()
    {
        var (missing, _) = Receipt.FindGaps([1, 500]);

        Assert.Equal(100, missing.Count);
        Assert.Equal(2, missing[0]);
        Assert.Equal(101, missing[^1]);
    }
}
