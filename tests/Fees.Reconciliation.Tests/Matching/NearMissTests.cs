using TdmEdu.Fees.Domain.Students;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Tests.Matching;

/// <summary>
/// Near-miss suggestions: a code that fails its check (or has a digit too few or too many) proposes the school's pupils one
/// slip away, ranked by what else speaks for them, and is never applied. Each test runs under a prefix of its own.
/// </summary>
public sealed class NearMissTests
{
    private readonly MatchContext _ctx = new(MatchContext.FreshPrefix());

    private string Code(int sequence) => PaymentCode.Create(_ctx.Prefix, sequence).Value;

    [Theory]
    [InlineData(CodeEdit.WrongDigit)]
    [InlineData(CodeEdit.MissingDigit)]
    [InlineData(CodeEdit.ExtraDigit)]
    [InlineData(CodeEdit.Swapped)]
    public void Decide_EachKindOfSlip_SuggestsThePupil_NeverPays(CodeEdit edit)
    {
        var an = _ctx.Add(1234567, "Nguyễn Văn An");
        var typed = Slip(an.PaymentCode, edit);

        var d = Matcher.Decide(MatchContext.Credit($"hoc phi {typed} T10", 1_000_000), _ctx);

        Assert.Equal((MatchOutcome.Suggested, false), (d.Outcome, d.Apply));
        Assert.Empty(d.Students);
        var first = d.Suggestions[0];
        Assert.Equal((an.Id, true), (first.StudentId, first.Best));
        Assert.StartsWith($"one slip from \"{typed}\"", first.Why);
    }

    [Fact]
    public void Decide_APupilOneSlipAwayAtAnotherSchool_IsNotSuggested()
    {
        var other = _ctx.Add(1234567, "Đặng Quốc Bảo", otherSchool: true);

        var d = Matcher.Decide(MatchContext.Credit($"hoc phi {Slip(other.PaymentCode, CodeEdit.WrongDigit)}", 7_777), _ctx);

        Assert.Equal(MatchOutcome.Unmatched, d.Outcome);
        Assert.Empty(d.Suggestions);
        Assert.EndsWith("fails its check digit; not matched to anyone", d.Reason);
    }

    [Fact]
    public void Decide_TwoClassmatesOneSlipAway_TheOneOwingTheAmountComesFirst()
    {
        // 1234567 and 1234568 differ in the last digit of the sequence: the check digit slot, left wrong, reaches both.
        var an = _ctx.Add(1234567, "Nguyễn Văn An", openBalanceVnd: 860_000);
        var binh = _ctx.Add(1234568, "Trần Thị Bình", openBalanceVnd: 1_010_000);
        var typed = TypedReaching(an.PaymentCode, binh.PaymentCode);

        var d = Matcher.Decide(MatchContext.Credit($"HP {typed}", 1_010_000), _ctx);

        Assert.Equal([(binh.Id, true), (an.Id, false)], d.Suggestions.Select(s => (s.StudentId, s.Best)));
        Assert.Contains("owes exactly this amount", d.Suggestions[0].Why);
    }

    [Fact]
    public void Decide_TwoClassmatesOneSlipAwayOwingTheSame_NeitherIsPutFirst()
    {
        var an = _ctx.Add(1234567, "Nguyễn Văn An", openBalanceVnd: 860_000);
        var binh = _ctx.Add(1234568, "Trần Thị Bình", openBalanceVnd: 860_000);
        var typed = TypedReaching(an.PaymentCode, binh.PaymentCode);

        var d = Matcher.Decide(MatchContext.Credit($"HP {typed}", 860_000), _ctx);

        Assert.Equal(MatchOutcome.Suggested, d.Outcome);
        Assert.Contains(d.Suggestions, s => s.StudentId == an.Id);
        Assert.Contains(d.Suggestions, s => s.StudentId == binh.Id);
        Assert.All(d.Suggestions, s => Assert.False(s.Best));
    }

    [Fact]
    public void Decide_TheNameWrittenOut_OutweighsTheAmount()
    {
        var an = _ctx.Add(1234567, "Nguyễn Văn An", openBalanceVnd: 860_000);
        var binh = _ctx.Add(1234568, "Trần Thị Bình", openBalanceVnd: 1_010_000);
        var typed = TypedReaching(an.PaymentCode, binh.PaymentCode);

        var d = Matcher.Decide(MatchContext.Credit($"{typed} NGUYEN VAN AN", 1_010_000), _ctx);

        Assert.Equal((an.Id, true), (d.Suggestions[0].StudentId, d.Suggestions[0].Best));
    }

    [Fact]
    public void Decide_ThePayersEarlierPayment_BreaksATie()
    {
        var an = _ctx.Add(1234567, "Nguyễn Văn An", openBalanceVnd: 860_000);
        var binh = _ctx.Add(1234568, "Trần Thị Bình", openBalanceVnd: 860_000);
        _ctx.Payers["0011223344"] = [binh.Id];
        var typed = TypedReaching(an.PaymentCode, binh.PaymentCode);

        var d = Matcher.Decide(MatchContext.Credit($"HP {typed}", 860_000, payer: "0011223344"), _ctx);

        Assert.Equal((binh.Id, true), (d.Suggestions[0].StudentId, d.Suggestions[0].Best));
        Assert.False(d.Apply);
    }

    [Fact]
    public void Tokens_AValidCode_IsNoToken_AndAMonthAfterSevenDigitsIsReadBothWays()
    {
        var code = Code(1234567);

        Assert.Empty(NearMiss.Tokens($"hoc phi {code} 2025-10", _ctx.Prefix));
        Assert.Equal(["1234567", "12345679"], NearMiss.Tokens($"hoc phi {code[..^1]} 9/2025", _ctx.Prefix).Select(t => t.Digits));
        Assert.Equal(["123456710"], NearMiss.Tokens($"{code}0", _ctx.Prefix).Select(t => t.Digits));
        Assert.Empty(NearMiss.Tokens("hoc phi 1234567 T10", _ctx.Prefix));
    }

    [Fact]
    public void Codes_EveryCandidate_PassesItsCheckDigit()
    {
        var codes = NearMiss.Codes($"{_ctx.Prefix} 1234 5679", _ctx.Prefix);

        Assert.NotEmpty(codes);
        Assert.All(codes, c => Assert.NotNull(PaymentCode.TryParse(c.PaymentCode, _ctx.Prefix)));
    }

    [Fact]
    public void Rank_WithNoNearMissOrName_PutsNothingFirst()
    {
        var s = new Suggestion(Guid.NewGuid(), "X", Words.None);

        var ranked = NearMiss.Rank([(s, new Clues(false, false, false, true, true))]);

        Assert.False(ranked.Single().Best);
    }

    /// <summary>The code with one slip of the kind asked for.</summary>
    [Fact]
    public void Tokens_AreReadFromTheFirstFewCodeLikeWordsOnly_SoALongCraftedTextCostsLittle()
    {
        var typed = Enumerable.Range(1, NearMiss.MaxTokens + 3).Select(i => Slip(Code(1_000_000 + i * 1_111), CodeEdit.WrongDigit)).ToList();

        var tokens = NearMiss.Tokens(string.Join(" ", typed), _ctx.Prefix);

        Assert.Equal(typed.Take(NearMiss.MaxTokens), tokens.Select(t => t.Text));
        Assert.Equal(NearMiss.Tokens(string.Join(" ", typed.Take(NearMiss.MaxTokens)), _ctx.Prefix).Count, NearMiss.Codes(string.Join(" ", typed), _ctx.Prefix).Select(c => c.Token).Distinct().Count());
    }

    private static string Slip(string code, CodeEdit edit)
    {
        var letters = code.TakeWhile(char.IsAsciiLetter).Count();
        var (p, d) = (code[..letters], code[letters..]);
        return edit switch
        {
            CodeEdit.WrongDigit => p + d[..3] + (char)('0' + (d[3] - '0' + 5) % 10) + d[4..],
            CodeEdit.MissingDigit => p + d[..2] + d[3..],
            CodeEdit.ExtraDigit => p + d[..4] + '7' + d[4..],
            _ => p + d[..5] + d[6] + d[5] + d[7..],
        };
    }

    /// <summary>Digits one wrong digit from both codes (they differ in one place): the first with its check digit changed, if that reaches the second.</summary>
    private static string TypedReaching(string a, string b)
    {
        var letters = a.TakeWhile(char.IsAsciiLetter).Count();
        for (var d = '0'; d <= '9'; d++)
        {
            var typed = a[..^1] + d;
            if (typed == a || PaymentCode.HasValidCheckDigit(typed[letters..])) continue;
            var near = PaymentCodeTypos.OneSlipAway(typed[letters..]).Select(n => a[..letters] + n.Digits).ToList();
            if (near.Contains(a) && near.Contains(b)) return typed;
        }
        throw new InvalidOperationException($"no single slip reaches both {a} and {b}");
    }
}
