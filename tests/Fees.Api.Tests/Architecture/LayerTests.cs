using System.Reflection;

namespace TdmEdu.Fees.Api.Tests.Architecture;

/// <summary>The layer rules of STYLE.md for the assemblies the domain tests cannot see.</summary>
public sealed class LayerTests
{
    private static readonly string[] Persistence = ["Microsoft.EntityFrameworkCore", "Npgsql", "Microsoft.EntityFrameworkCore.Relational"];

    private static IReadOnlyList<string> References(string assembly) =>
        Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).ToList();

    [Fact]
    public void BankAdapters_KnowTheDomainButNeitherPersistenceNorTheHost()
    {
        var refs = References("TdmEdu.Fees.BankAdapters");

        Assert.DoesNotContain(refs, n => Persistence.Contains(n) || n is "TdmEdu.Fees.Api" or "TdmEdu.Fees.Reconciliation");
    }

    [Fact]
    public void Reconciliation_KnowsDomainAndAdaptersButNeitherPersistenceNorTheHost()
    {
        var refs = References("TdmEdu.Fees.Reconciliation");

        Assert.DoesNotContain(refs, n => Persistence.Contains(n) || n == "TdmEdu.Fees.Api");
    }

    [Fact]
    public void TheRule_CanFail_OnTheHostThatComposesEverything() =>
        Assert.Contains(References("TdmEdu.Fees.Api"), n => Persistence.Contains(n));
}
