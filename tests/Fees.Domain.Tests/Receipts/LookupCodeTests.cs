using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Domain.Tests.Receipts;

/// <summary>Look-up codes: 12 Crockford base32 characters from 60 random bits, printed in groups of four, read back as people type them.</summary>
public sealed class LookupCodeTests
{
    [Fact]
    public void New_Gives12CrockfordCharacters_NeverTheSameTwiceInAThousand()
    {
        var codes = Enumerable.Range(0, 1000).Select(_ => LookupCode.New()).ToList();
        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{12}$", c));
        Assert.Equal(1000, codes.Distinct().Count());
    }

    [Theory]
    [InlineData("7QK2-M9XD-4HTB", "7QK2M9XD4HTB")]
    [InlineData("7qk2 m9xd 4htb", "7QK2M9XD4HTB")]
    [InlineData("7QK2-M9XD-4HTI", "7QK2M9XD4HT1")]
    [InlineData("OQK2M9XD4HTL", "0QK2M9XD4HT1")]
    [InlineData("7QK2M9XD4HT", null)]
    [InlineData("7QK2M9XD4HTU", null)]
    [InlineData("", null)]
    public void Normalise_ReadsWhatAPersonTypes(string typed, string? stored) => Assert.Equal(stored, LookupCode.Normalise(typed));

    [Fact]
    public void Display_PrintsThreeGroupsOfFour() => Assert.Equal("7QK2-M9XD-4HTB", LookupCode.Display("7QK2M9XD4HTB"));
}
