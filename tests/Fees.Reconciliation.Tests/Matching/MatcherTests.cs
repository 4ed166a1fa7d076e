using TdmEdu.Fees.Domain.Students;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Tests.Matching;

public sealed class MatcherTests
{
    private static readonly string An = PaymentCode.Create("HS", 1000000).Value;
    private static readonly string Binh = PaymentCode.Create("HS", 1000001).Value;

    private static MatchContext Ctx()
    {
        var c = new MatchContext();
        c.Students.Add(new StudentFacts(Guid.NewGuid(), An, "Nguyễn Văn An", "1A1", 1_371_800));
        c.Students.Add(new StudentFacts(Guid.NewGuid(), Binh, "Nguyễn Thị Bình", "3A1", 901_800));
        return c;
    }

    private static LineFacts Credit(string content, long amount = 1_371_800, string? va = null, string? payer = null, string bank = "VCB", string? type = null) =>
        MatchContext.Credit(content, amount, va, payer: payer, bank: bank, type: type);

    [Fact]
    public void Decide_CodeInAWrappedDescription_MatchesAndSaysWhy()
    {
        var d = Matcher.Decide(Credit($"MBVCB.123.456.{An.ToLowerInvariant()} hoc phi.CT tu 0123 NGUYEN VAN BINH"), Ctx());

        Assert.Equal(MatchOutcome.Matched, d.Outcome);
        Assert.True(d.Apply);
        Assert.Equal($"code {An} in description, amount equals balance", d.Reason);
    }

    [Theory]
    [InlineData(1_000_000, MatchOutcome.Partial, "pays 1000000 of 1371800 owed")]
    [InlineData(1_500_000, MatchOutcome.Overpaid, "128200 more than owed becomes credit")]
    public void Decide_OtherAmounts_FollowTheDomainRules(long amount, MatchOutcome outcome, string reason)
    {
        var d = Matcher.Decide(Credit(An, amount), Ctx());

        Assert.Equal(outcome, d.Outcome);
        Assert.EndsWith(reason, d.Reason);
    }

    [Fact]
    public void Decide_Siblings_AreMultiInTheOrderNamed()
    {
        var d = Matcher.Decide(Credit($"hoc phi {Binh} va {An}", 2_273_600), Ctx());

        Assert.Equal(MatchOutcome.Multi, d.Outcome);
        Assert.Equal([Binh, An], d.Students.Select(s => s.PaymentCode));
    }

    [Fact]
    public void Decide_VirtualAccountBeatsADescriptionNamingSomeoneElse()
    {
        var d = Matcher.Decide(Credit($"hoc phi {Binh}", va: "880001" + An[2..], bank: "MSB"), Ctx());

        Assert.Equal(An, d.Students.Single().PaymentCode);
        Assert.StartsWith("virtual account", d.Reason);
    }

    [Fact]
    public void Decide_TypoInTheCode_IsNeverApplied_ButThePupilOneSlipAwayIsSuggestedFirst()
    {
        var mangled = An[..^2] + An[^1] + An[^2];
        var c = Ctx();
        c.Payers["0123456789"] = [c.Students[0].Id];

        var alone = Matcher.Decide(Credit($"hoc phi {mangled}", 5_000), c);
        var withClues = Matcher.Decide(Credit($"hoc phi {mangled}", 901_800, payer: "0123456789"), c);

        Assert.Equal((MatchOutcome.Suggested, false), (alone.Outcome, alone.Apply));
        Assert.Empty(alone.Students);
        Assert.Equal([(An, true)], alone.Suggestions.Select(s => (s.PaymentCode, s.Best)));
        Assert.Contains("fails its check digit; 1 suggestion(s) for review", alone.Reason);
        Assert.Equal(MatchOutcome.Suggested, withClues.Outcome);
        Assert.False(withClues.Apply);
        Assert.Empty(withClues.Students);
        Assert.Equal([(An, $"one slip from \"{mangled}\" (two digits swapped); this payer's account paid for this pupil before", true),
                (Binh, "the amount equals an open notice of this period", false)],
            withClues.Suggestions.Select(s => (s.PaymentCode, s.Why, s.Best)));
    }

    [Fact]
    public void Decide_ANameAndClassWithoutACode_AreASuggestionNeverAPayment()
    {
        var withClass = Matcher.Decide(Credit("PH chuyen tien hoc phi cho NGUYEN VAN AN lop 1A1", 7_777), Ctx());
        var nameOnly = Matcher.Decide(Credit("Nguyễn Thị Bình đóng tiền", 7_777), Ctx());
        var partOfAName = Matcher.Decide(Credit("chuyen tien VAN AN", 7_777), Ctx());

        Assert.Equal(MatchOutcome.Suggested, withClass.Outcome);
        Assert.Empty(withClass.Students);
        Assert.Equal([(An, "the description names this student and the class")], withClass.Suggestions.Select(s => (s.PaymentCode, s.Why)));
        Assert.Equal([(Binh, "the description names this student")], nameOnly.Suggestions.Select(s => (s.PaymentCode, s.Why)));
        Assert.Equal(MatchOutcome.Unmatched, partOfAName.Outcome);
    }

    [Fact]
    public void Decide_ACodeOfAPupilOfAnotherSchool_IsSuggestedNeverMovedBetweenSchools()
    {
        var c = Ctx();
        var other = PaymentCode.Create("HS", 1000002).Value;
        c.Students.Add(new StudentFacts(Guid.NewGuid(), other, "Đặng Quốc Bảo", "6A1", 1_000_000, OtherSchool: true));

        var alone = Matcher.Decide(Credit($"hoc phi {other}", 1_000_000), c);
        var withSibling = Matcher.Decide(Credit($"hoc phi {An} va {other}", 2_371_800), c);

        Assert.Equal((MatchOutcome.Suggested, false), (alone.Outcome, alone.Apply));
        Assert.Contains("another school's account; not moved between schools automatically", alone.Reason);
        Assert.Equal([(other, "a pupil of another school")], alone.Suggestions.Select(s => (s.PaymentCode, s.Why)));
        Assert.False(withSibling.Apply);
        Assert.Equal([An, other], withSibling.Suggestions.Select(s => s.PaymentCode));
    }

    [Theory]
    [InlineData("Tra lai tien gui thang 9", null)]
    [InlineData("", "INT")]
    [InlineData("PHI QUAN LY TAI KHOAN T9", null)]
    public void Decide_InterestAndBankCharges_AreClassifiedNotForced(string content, string? type)
    {
        var d = Matcher.Decide(Credit(content, type: type), Ctx());

        Assert.Equal(MatchOutcome.Ignored, d.Outcome);
        Assert.False(d.Apply);
    }

    [Fact]
    public void Decide_FeeTextWithoutAnyCode_WaitsForAPerson()
    {
        var d = Matcher.Decide(Credit("hoc phi dich vu ban tru be Na lop 1A1", 7_777), Ctx());

        Assert.Equal(MatchOutcome.Unmatched, d.Outcome);
        Assert.Equal("no virtual account, customer code or payment code in the description", d.Reason);
    }

    [Fact]
    public void Decide_Debits_AreNeverPayments()
    {
        var reversal = Matcher.Decide(Credit(An) with { Credit = false, Reversal = true }, Ctx());
        var debit = Matcher.Decide(Credit(An) with { Credit = false }, Ctx());

        Assert.Equal((MatchOutcome.Ignored, MatchOutcome.Ignored), (reversal.Outcome, debit.Outcome));
        Assert.Contains("reversal", reversal.Reason);
    }

    [Fact]
    public void Decide_ManyNoisyLines_NeverApplyToAStudentTheLineDoesNotName()
    {
        var rng = new Random(9);
        var c = Ctx();
        for (var i = 0; i < 5000; i++)
        {
            var target = c.Students[rng.Next(2)];
            var code = target.PaymentCode;
            var noisy = rng.Next(4) switch
            {
                0 => code.ToLowerInvariant(),
                1 => $"{code[..2]} {code[2..6]} {code[6..]}",
                2 => code[..^1] + (char)('0' + (code[^1] - '0' + 1 + rng.Next(9)) % 10), // a broken check digit
                _ => $"CT tu 0123 {code}-1/1-CRE-002",
            };
            var d = Matcher.Decide(Credit($"MBVCB.{rng.Next()}.{noisy} hoc phi", rng.Next(1, 3_000_000)), c);
            Assert.True(!d.Apply || d.Students.All(s => s.Id == target.Id), $"'{noisy}' was applied to someone else");
        }
    }
}
