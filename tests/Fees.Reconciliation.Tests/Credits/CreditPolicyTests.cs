using TdmEdu.Fees.Reconciliation.Credits;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Tests.Credits;

public sealed class CreditPolicyTests
{
    private static readonly StudentFacts An = new(Guid.NewGuid(), "HS00000018", "Nguyễn Văn An", "1A1", 500_000);
    private static readonly StudentFacts Binh = new(Guid.NewGuid(), "HS00000026", "Nguyễn Văn Bình", "3A1", 300_000);

    private static MatchDecision Sure(params StudentFacts[] students) =>
        new(students.Length > 1 ? MatchOutcome.Multi : MatchOutcome.Matched, students, [], new Words("code in the description", "nội dung ghi mã"));

    private static MatchDecision Unsure() => new(MatchOutcome.Suggested, [], [new(An.Id, An.PaymentCode, new Words("name and class", "tên và lớp"))],
        new Words("no code; a name suggests a pupil", "không có mã; tên gợi ý một học sinh"));

    [Fact]
    public void Decide_WhenTheMatcherIsSure_AppliesToTheNamedPupilsInOrder()
    {
        var d = CreditPolicy.Decide(new CreditFacts(800_000, ClaimState.Free, Sure(An, Binh)));

        Assert.Equal(CreditAction.Apply, d.Action);
        Assert.True(d.MovesMoney);
        Assert.Equal([An.Id, Binh.Id], d.Students);
        Assert.Equal("code in the description", d.Reason);
        Assert.Null(d.Flag);
    }

    [Fact]
    public void Decide_WhenTheSourceAlreadyHoldsItsOwnReference_StillApplies()
    {
        Assert.Equal(CreditAction.Apply, CreditPolicy.Decide(new CreditFacts(800_000, ClaimState.Mine, Sure(An))).Action);
    }

    [Theory]
    [InlineData(ClaimState.HeldByNotification, "the same credit (FT1) was already taken from a notification; not applied again")]
    [InlineData(ClaimState.HeldByStatement, "the same credit (FT1) was already taken from a statement; not applied again")]
    public void Decide_WhenAnotherChannelHoldsTheReference_IsADuplicateEvenIfSure(ClaimState claim, string reason)
    {
        var d = CreditPolicy.Decide(new CreditFacts(800_000, claim, Sure(An), BankRef: "FT1"));

        Assert.Equal(CreditAction.Duplicate, d.Action);
        Assert.False(d.MovesMoney);
        Assert.Empty(d.Students);
        Assert.Equal(reason, d.Reason);
    }

    [Fact]
    public void Decide_DuplicateWithoutAReference_SaysSoWithoutOne()
    {
        Assert.Equal("the same credit was already taken from a notification; not applied again",
            CreditPolicy.Decide(new CreditFacts(1, ClaimState.HeldByNotification, null)).Reason);
    }

    [Fact]
    public void Decide_WhenTheMatcherIsNotSure_HoldsWithTheMatchersReason()
    {
        var d = CreditPolicy.Decide(new CreditFacts(800_000, ClaimState.Free, Unsure()));

        Assert.Equal(CreditAction.Hold, d.Action);
        Assert.Equal("no code; a name suggests a pupil", d.Reason);
        Assert.Empty(d.Students);
        Assert.False(d.MovesMoney);
    }

    [Fact]
    public void Decide_WhenNobodyWasNamed_Holds()
    {
        var d = CreditPolicy.Decide(new CreditFacts(800_000, ClaimState.Free, null));

        Assert.Equal(CreditAction.Hold, d.Action);
        Assert.Equal("nobody was named for the money; for a person to decide", d.Reason);
    }

    [Fact]
    public void Decide_WhenAnyNamedPupilIsOfAnotherSchool_Holds()
    {
        var d = CreditPolicy.Decide(new CreditFacts(800_000, ClaimState.Free, Sure(An, Binh with { OtherSchool = true })));

        Assert.Equal(CreditAction.Hold, d.Action);
        Assert.EndsWith("but not every pupil named is of the school that received the money", d.Reason);
    }

    [Fact]
    public void Decide_WhenASureMatchNamesNobody_Holds()
    {
        Assert.Equal(CreditAction.Hold, CreditPolicy.Decide(new CreditFacts(800_000, ClaimState.Free, new(MatchOutcome.Matched, [], [], new Words("odd", "lạ")))).Action);
    }

    [Fact]
    public void Decide_WhenANotificationOfTheSameAmountAndDayPaidThePupil_HoldsAsAProbableDuplicate()
    {
        var d = CreditPolicy.Decide(new CreditFacts(800_000, ClaimState.Free, Sure(An), SameDayNotification: true));

        Assert.Equal(CreditAction.Hold, d.Action);
        Assert.Contains("probable duplicate", d.Reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Decide_WhenTheAmountIsNotPositive_HoldsAndFlags(long amount)
    {
        var d = CreditPolicy.Decide(new CreditFacts(amount, ClaimState.Free, Sure(An)));

        Assert.Equal(CreditAction.Hold, d.Action);
        Assert.Equal("not a positive amount", d.Flag);
        Assert.Equal($"a credit of {amount} đồng cannot pay anything; for a person to look at", d.Reason);
    }

    [Theory]
    [InlineData(50_000_000, null)]
    [InlineData(50_000_001, "unusually large amount")]
    public void Decide_AboveFiftyMillion_AppliesButAsksAPersonToLook(long amount, string? flag)
    {
        var d = CreditPolicy.Decide(new CreditFacts(amount, ClaimState.Free, Sure(An)));

        Assert.Equal(CreditAction.Apply, d.Action);
        Assert.Equal(flag, d.Flag);
    }

    private static readonly Guid Account = Guid.NewGuid();

    [Theory]
    [InlineData(OriginalState.Paid, "the bank took back the credit; its payment is reversed")]
    [InlineData(OriginalState.Parked, "the bank took back money that was parked for review")]
    public void DecideReversal_OfAWholeCreditOfTheSameAccount_Reverses(OriginalState state, string reason)
    {
        var d = CreditPolicy.DecideReversal(new ReversalFacts(Account, 800_000, state, Account, 800_000));

        Assert.Equal(ReversalAction.Reverse, d.Action);
        Assert.Equal(reason, d.Reason);
    }

    [Theory]
    [InlineData(799_999)]
    [InlineData(800_001)]
    [InlineData(1)]
    public void DecideReversal_OfAnotherAmount_Holds(long amount)
    {
        var d = CreditPolicy.DecideReversal(new ReversalFacts(Account, amount, OriginalState.Paid, Account, 800_000));

        Assert.Equal(ReversalAction.Hold, d.Action);
        Assert.Equal($"takes back {amount} đồng of a credit of 800000 đồng; only a whole reversal is automatic, a person decides", d.Reason);
    }

    [Theory]
    [InlineData(OriginalState.Paid)]
    [InlineData(OriginalState.Parked)]
    public void DecideReversal_OnAnotherAccount_HoldsEvenForTheWholeAmount(OriginalState state)
    {
        var d = CreditPolicy.DecideReversal(new ReversalFacts(Account, 800_000, state, Guid.NewGuid(), 800_000));

        Assert.Equal(ReversalAction.Hold, d.Action);
        Assert.Equal("names a credit received on another account; moves nothing, for a person to look at", d.Reason);
    }

    [Theory]
    [InlineData(OriginalState.Unknown, "reverses a credit we have no record of")]
    [InlineData(OriginalState.AlreadyReversed, "reverses a credit that is already reversed")]
    [InlineData(OriginalState.Unsettled, "reverses a credit that is still waiting for review")]
    [InlineData(OriginalState.NotApplied, "reverses a credit that was not applied yet when the reversal came")]
    [InlineData(OriginalState.PartlyRefunded, "reverses a credit part of which was refunded")]
    public void DecideReversal_OfACreditNotInForce_Holds(OriginalState state, string reason)
    {
        var d = CreditPolicy.DecideReversal(new ReversalFacts(Account, 800_000, state, Account, 800_000));

        Assert.Equal(ReversalAction.Hold, d.Action);
        Assert.StartsWith(reason, d.Reason);
    }

    [Fact]
    public void DecideReversal_OfMoneyMarkedReturned_TakesItBack_AndAsksAPersonToLook()
    {
        var d = CreditPolicy.DecideReversal(new ReversalFacts(Account, 800_000, OriginalState.Returned, Account, 800_000));

        Assert.Equal((ReversalAction.Reverse, true), (d.Action, d.LookAt));
        Assert.StartsWith("the bank took back money the school had marked as returned", d.Reason);
        Assert.Equal(ReversalAction.Hold, CreditPolicy.DecideReversal(new ReversalFacts(Account, 1, OriginalState.Returned, Account, 800_000)).Action);
    }

    [Fact]
    public void DecideReversal_WhenTheOriginalAmountIsUnknown_Holds()
    {
        Assert.Equal(ReversalAction.Hold, CreditPolicy.DecideReversal(new ReversalFacts(Account, 800_000, OriginalState.Paid, Account, null)).Action);
    }
}
