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
    public void Cancel_WithAnEarlierReplacementNumber_Throws() =>
        Assert.Throws<InvalidOperationException>(() => new Receipt("T", "S", 7, 1).Cancel(5));

    [Fact]
    public void FindGaps_ReportsMissingAndRepeatedNumbers()
    {
        var (missing, repeated) = Receipt.FindGaps([1, 2, 4, 4, 6]);

        Assert.Equal([3L, 5L], missing);
        Assert.Equal([4L], repeated);
        Assert.Empty(Receipt.FindGaps([1, 2, 3]).Missing);
    }
}
