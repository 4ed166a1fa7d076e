using TdmEdu.Fees.BankAdapters.Banks;

namespace TdmEdu.Fees.BankAdapters.Tests.Banks;

public sealed class BankDirectoryTests
{
    [Fact]
    public void CollectionBanks_AreTheThreeWithAdapters_InWordsForRefusals()
    {
        Assert.Equal(["BIDV", "VCB", "MSB"], BankDirectory.CollectionBanks);
        Assert.Equal("BIDV, VCB or MSB", BankDirectory.CollectionBanksInWords);
        Assert.All(BankDirectory.CollectionBanks, code => Assert.Equal(code, BankDirectory.ByCode(code.ToLowerInvariant())?.Code));
    }
}
