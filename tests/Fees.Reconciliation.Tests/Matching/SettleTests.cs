using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Tests.Matching;

/// <summary>
/// A paying decision is worded against what the pupil owes when its money is applied: an earlier line of the same
/// batch may already have paid them. Only single-pupil payments are reworded; the clue stays first.
/// </summary>
public sealed class SettleTests
{
    private static readonly StudentFacts An = new(Guid.NewGuid(), "HS10000003", "Nguyễn Văn An", "1A1", 1_000_000);

    private static readonly Words Code = new("code HS10000003 in description", "nội dung ghi mã HS10000003");

    private static MatchDecision Paying(bool withBasis = true) =>
        new(MatchOutcome.Matched, [An], [], Code + new Words(", amount equals balance", ", số tiền bằng số còn phải nộp"), withBasis ? Code : null);

    [Theory]
    [InlineData(500_000, 500_000, MatchOutcome.Matched, "code HS10000003 in description, amount equals balance")]
    [InlineData(500_000, 700_000, MatchOutcome.Partial, "code HS10000003 in description, pays 500000 of 700000 owed")]
    [InlineData(500_000, 300_000, MatchOutcome.Overpaid, "code HS10000003 in description, 200000 more than owed becomes credit")]
    [InlineData(500_000, 0, MatchOutcome.Overpaid, "code HS10000003 in description, nothing is owed; all of it becomes credit")]
    public void Settle_WordsWhatTheMoneyDoesAgainstWhatIsOwedNow(long amountVnd, long owedVnd, MatchOutcome outcome, string reason)
    {
        var d = Matcher.Settle(Paying(), amountVnd, owedVnd);

        Assert.Equal((outcome, reason), (d.Outcome, d.Reason));
        Assert.Equal([An], d.Students);
    }

    [Fact]
    public void Settle_Siblings_StayMultiWhateverIsOwed()
    {
        var multi = Paying() with { Outcome = MatchOutcome.Multi, Said = new Words("codes HS10000003, HS10000013 in description", "nội dung ghi các mã HS10000003, HS10000013") };

        Assert.Same(multi, Matcher.Settle(multi, 500_000, 0));
    }

    [Fact]
    public void Settle_ADecisionThatPaysNobody_IsLeftAsItIs()
    {
        var suggested = Paying() with { Outcome = MatchOutcome.Suggested, Students = [] };

        Assert.Same(suggested, Matcher.Settle(suggested, 500_000, 0));
    }

    [Fact]
    public void Settle_ADecisionWithoutItsClue_IsLeftAsItIs()
    {
        var unworded = Paying(withBasis: false);

        Assert.Same(unworded, Matcher.Settle(unworded, 500_000, 0));
    }
}
