using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Tests.Matching;

/// <summary>
/// Every verdict of the matcher says why in words (cli.md: reconcile export `reason`), and what it suggests is
/// each pupil once, at most five, strongest clue first. Each test runs under a prefix of its own (see
/// <see cref="MatchContext.FreshPrefix"/>).
/// </summary>
public sealed class MatcherReasonTests
{
    private readonly MatchContext _ctx = new(MatchContext.FreshPrefix());

    [Fact]
    public void Decide_ADebit_IsNeverAFeePayment()
    {
        var d = Matcher.Decide(MatchContext.Credit("hoc phi") with { Credit = false }, _ctx);

        Assert.Equal((MatchOutcome.Ignored, "a debit, not a fee payment"), (d.Outcome, d.Reason));
    }

    [Fact]
    public void Decide_AReversal_IsLeftToTheCreditItUndoes()
    {
        var d = Matcher.Decide(MatchContext.Credit("hoc phi") with { Credit = false, Reversal = true }, _ctx);

        Assert.Equal((MatchOutcome.Ignored, "a reversal of an earlier credit; undone where that credit was applied"), (d.Outcome, d.Reason));
    }

    [Theory]
    [InlineData("INT")]
    [InlineData("CHG")]
    [InlineData("NINT")]
    [InlineData("NCHG")]
    public void Decide_ALineTheBankTypesAsInterestOrCharge_IsIgnoredEvenWithACode(string type)
    {
        var an = _ctx.Add(1000000, "Nguyễn Văn An");

        var d = Matcher.Decide(MatchContext.Credit($"hoc phi {an.PaymentCode}", type: type), _ctx);

        Assert.Equal((MatchOutcome.Ignored, "interest or a bank fee, not a fee payment"), (d.Outcome, d.Reason));
    }

    [Fact]
    public void Decide_InterestWordsBesideAPaymentCode_AreAFeePayment()
    {
        var an = _ctx.Add(1000000, "Nguyễn Văn An");

        var d = Matcher.Decide(MatchContext.Credit($"tien lai tiet kiem gui hoc phi {an.PaymentCode}", type: "NTRF"), _ctx);

        Assert.Equal(MatchOutcome.Matched, d.Outcome);
    }

    [Fact]
    public void Decide_ABidvCustomerCode_PaysThatPupilWhateverTheDescriptionSays()
    {
        var an = _ctx.Add(1000000, "Nguyễn Văn An");
        var binh = _ctx.Add(1000001, "Nguyễn Thị Bình", openBalanceVnd: 400_000);

        var d = Matcher.Decide(MatchContext.Credit($"hoc phi {an.PaymentCode}", 400_000, customerId: binh.PaymentCode.ToLowerInvariant(), bank: "BIDV"), _ctx);

        Assert.Equal([binh.Id], d.Students.Select(s => s.Id));
        Assert.Equal($"BIDV customer code {binh.PaymentCode}, amount equals balance", d.Reason);
    }

    [Fact]
    public void Decide_Siblings_ArePaidInTheOrderNamedAndTheRestIsCreditOfTheFirst()
    {
        var an = _ctx.Add(1000000, "Nguyễn Văn An");
        var binh = _ctx.Add(1000001, "Nguyễn Thị Bình");

        var d = Matcher.Decide(MatchContext.Credit($"{binh.PaymentCode} {an.PaymentCode}", 3_000_000), _ctx);

        Assert.Equal(MatchOutcome.Multi, d.Outcome);
        Assert.Equal($"codes {binh.PaymentCode}, {an.PaymentCode} in description; paid in that order, the rest is credit of {binh.PaymentCode}", d.Reason);
    }

    [Fact]
    public void Decide_SiblingsBesideAPupilOfAnotherSchool_AreSuggestedEachWithWhy()
    {
        var an = _ctx.Add(1000000, "Nguyễn Văn An");
        var bao = _ctx.Add(1000002, "Đặng Quốc Bảo", otherSchool: true);

        var d = Matcher.Decide(MatchContext.Credit($"hoc phi {an.PaymentCode} va {bao.PaymentCode}", 2_000_000), _ctx);

        Assert.Equal((MatchOutcome.Suggested, false), (d.Outcome, d.Apply));
        Assert.Equal($"codes {an.PaymentCode}, {bao.PaymentCode} in description, but the money came to another school's account; not moved between schools automatically", d.Reason);
        Assert.Equal([(an.Id, "named beside a pupil of another school"), (bao.Id, "a pupil of another school")], d.Suggestions.Select(s => (s.StudentId, s.Why)));
    }

    [Fact]
    public void Decide_WithoutACodeButWithClues_SaysHowManySuggestionsWait()
    {
        var an = _ctx.Add(1000000, "Nguyễn Văn An");
        var binh = _ctx.Add(1000001, "Nguyễn Thị Bình", openBalanceVnd: 250_000);

        var d = Matcher.Decide(MatchContext.Credit("PH NGUYEN VAN AN dong tien", 250_000), _ctx);

        Assert.Equal(MatchOutcome.Suggested, d.Outcome);
        Assert.Equal("no valid payment code; 2 suggestion(s) for review", d.Reason);
        Assert.Equal([an.Id, binh.Id], d.Suggestions.Select(s => s.StudentId));
    }

    [Fact]
    public void Decide_AMangledCodeWithClues_QuotesTheCodeThatFailedItsCheck()
    {
        var an = _ctx.Add(1000000, "Nguyễn Văn An");
        var mangled = an.PaymentCode[..^2] + an.PaymentCode[^1] + an.PaymentCode[^2];

        var d = Matcher.Decide(MatchContext.Credit($"hoc phi {mangled.ToLowerInvariant()} Nguyen Van An"), _ctx);

        Assert.Equal($"\"{mangled}\" looks like a payment code but fails its check digit; 1 suggestion(s) for review", d.Reason);
    }

    [Fact]
    public void Decide_AMangledCodeOneSlipFromNobodyOfTheSchool_IsNotMatchedToAnyone()
    {
        _ctx.Add(1000000, "Nguyễn Văn An");
        var far = TdmEdu.Fees.Domain.Students.PaymentCode.Create(_ctx.Prefix, 5555555).Value;
        var mangled = far[..^1] + (char)('0' + (far[^1] - '0' + 1) % 10);

        var d = Matcher.Decide(MatchContext.Credit($"hoc phi {mangled}", 7_777), _ctx);

        Assert.Equal((MatchOutcome.Unmatched, $"\"{mangled}\" looks like a payment code but fails its check digit; not matched to anyone"), (d.Outcome, d.Reason));
    }

    [Fact]
    public void Decide_NothingToGoOn_SaysWhatWasLookedFor()
    {
        _ctx.Add(1000000, "Nguyễn Văn An");

        var d = Matcher.Decide(MatchContext.Credit("chuyen tien", 7_777), _ctx);

        Assert.Equal((MatchOutcome.Unmatched, "no virtual account, customer code or payment code in the description"), (d.Outcome, d.Reason));
    }

    [Fact]
    public void Decide_APupilWithSeveralClues_IsSuggestedOnceForTheStrongest()
    {
        var an = _ctx.Add(1000000, "Nguyễn Văn An", openBalanceVnd: 500_000);
        _ctx.Payers["0123456789"] = [an.Id];

        var d = Matcher.Decide(MatchContext.Credit("PH Nguyen Van An lop 1A1", 500_000, payer: "0123456789"), _ctx);

        Assert.Equal([(an.Id, "this payer's account paid for this student before")], d.Suggestions.Select(s => (s.StudentId, s.Why)));
    }

    [Fact]
    public void Decide_AnAmountEqualToABalance_IsSuggestedBesideOtherClues()
    {
        var an = _ctx.Add(1000000, "Nguyễn Văn An", openBalanceVnd: 500_000);
        var binh = _ctx.Add(1000001, "Nguyễn Thị Bình", openBalanceVnd: 300_000);

        var alone = Matcher.Decide(MatchContext.Credit("chuyen tien", 300_000), _ctx);
        var beside = Matcher.Decide(MatchContext.Credit("Nguyen Van An", 300_000), _ctx);

        Assert.Equal([(binh.Id, "the amount equals an open notice of this period")], alone.Suggestions.Select(s => (s.StudentId, s.Why)));
        Assert.Equal([an.Id, binh.Id], beside.Suggestions.Select(s => s.StudentId));
    }

    [Fact]
    public void Decide_ManyClues_SuggestFiveAtMost()
    {
        var pupils = Enumerable.Range(0, 6).Select(i => _ctx.Add(1000000 + i, $"Học Sinh Số {i}")).ToList();
        _ctx.Payers["0123456789"] = pupils.Select(p => p.Id).ToList();

        var d = Matcher.Decide(MatchContext.Credit("chuyen tien", 7_777, payer: "0123456789"), _ctx);

        Assert.Equal(pupils.Take(5).Select(p => p.Id), d.Suggestions.Select(s => s.StudentId));
        Assert.Equal("no valid payment code; 5 suggestion(s) for review", d.Reason);
    }
}
