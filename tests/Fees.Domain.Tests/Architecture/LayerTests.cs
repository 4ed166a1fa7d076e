using System.Reflection;

namespace TdmEdu.Fees.Domain.Tests.Architecture;

public sealed class LayerTests
{
    /// <summary>Framework assemblies and Stateless; anything else in the domain is a layering mistake.</summary>
    private static IReadOnlyList<string> ForeignReferences(Assembly assembly) =>
        assembly.GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n != "Stateless" && n != "netstandard" && !n.StartsWith("System", StringComparison.Ordinal)
                        && !n.StartsWith("Microsoft.Win32", StringComparison.Ordinal))
            .ToList();

    [Fact]
    public void Domain_ReferencesNothingButStateless() =>
        Assert.Empty(ForeignReferences(typeof(TdmEdu.Fees.Domain.Money.Money).Assembly));

    [Fact]
    public void TheRule_CanFail_OnAnAssemblyThatBreaksIt()
    {
        // The test assembly references xunit and the domain: the same rule must catch that.
        var foreign = ForeignReferences(typeof(LayerTests).Assembly);

        Assert.Contains("xunit.core", foreign);
        Assert.Contains("TdmEdu.Fees.Domain", foreign);
    }
}
