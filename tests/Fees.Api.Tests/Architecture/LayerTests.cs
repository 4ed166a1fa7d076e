using System.Reflection;

namespace TdmEdu.Fees.Api.Tests.Architecture;

/// <summary>The layer rules of STYLE.md for the assemblies the domain tests cannot see.</summary>
public sealed class LayerTests
{
    private static IReadOnlyList<string> ProjectReferences(string assembly) =>
        Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => !n.StartsWith("System", StringComparison.Ordinal) && n != "netstandard")
            .ToList();

    [Fact]
    public void BankAdapters_DependOnTheDomainOnly() =>
        Assert.All(ProjectReferences("TdmEdu.Fees.BankAdapters"), n => Assert.Contains(n, new[] { "TdmEdu.Fees.Domain", "Stateless" }));

    [Fact]
    public void Reconciliation_DependsOnTheDomainAndBankAdaptersOnly() =>
        Assert.All(ProjectReferences("TdmEdu.Fees.Reconciliation"),
            n => Assert.Contains(n, new[] { "TdmEdu.Fees.Domain", "TdmEdu.Fees.BankAdapters", "Stateless" }));

    [Fact]
    public void TheRule_CanFail_OnTheHostThatComposesEverything() =>
        Assert.Contains("Microsoft.EntityFrameworkCore", ProjectReferences("TdmEdu.Fees.Api"));
}
