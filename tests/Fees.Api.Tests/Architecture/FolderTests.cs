using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Tests.Architecture;

/// <summary>
/// The walls between the folders of Fees.Api (docs/architecture.md, "Rooms"): faces on top, services in the
/// middle, infrastructure below, and no folder that reaches back up. Each rule is checked on the real
/// assembly, and on the samples in <see cref="Samples"/>, which break it on purpose, to show it can fail.
/// </summary>
public sealed class FolderTests
{
    private static readonly string[] Faces = ["Cli", "Http", "Pages", "Printing", "Web"];
    private static readonly string[] Composition = ["(root)", "Hosting", "Sandbox"];
    private static readonly string[] Infrastructure = ["Common", "Files", "Persistence", "Security"];

    private static NamespaceGraph Graph(Type inAssembly, string root) =>
        NamespaceGraph.Read(inAssembly.Assembly.Location, root, first => first == "Application" ? 2 : 1);

    private static NamespaceGraph Api => Graph(typeof(FeesDb), "TdmEdu.Fees.Api");

    private static NamespaceGraph Sample => Graph(typeof(FolderTests), typeof(Samples.Common.Clock).Namespace![..^".Common".Length]);

    private static bool IsService(string node) => node.StartsWith("Application.", StringComparison.Ordinal);

    /// <summary>Uses from a folder that matches <paramref name="from"/> to one that matches <paramref name="to"/>, each with an example.</summary>
    private static List<string> Uses(NamespaceGraph g, Func<string, bool> from, Func<string, bool> to) =>
        g.Nodes.Where(from)
            .SelectMany(f => g.UsesOf(f).Where(u => to(u.Key)).Select(u => $"{f} uses {u.Key}: {u.Value}"))
            .ToList();

    private static List<string> BelowTheFacesReachingUp(NamespaceGraph g) =>
        Uses(g, n => IsService(n) || Infrastructure.Contains(n), n => Faces.Contains(n) || Composition.Contains(n));

    private static List<string> InfrastructureUsingServices(NamespaceGraph g) =>
        Uses(g, n => Infrastructure.Contains(n), IsService);

    private static List<string> CommonUsingAnything(NamespaceGraph g) =>
        Uses(g, n => n == "Common", _ => true);

    private static void None(IReadOnlyList<string> violations) =>
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));

    [Fact]
    public void NothingBelowTheFaces_UsesCliHttpPagesPrintingOrTheHost() => None(BelowTheFacesReachingUp(Api));

    [Fact]
    public void PersistenceFilesSecurityAndCommon_NeverUseTheServices() => None(InfrastructureUsingServices(Api));

    [Fact]
    public void Common_UsesNoOtherFolder() => None(CommonUsingAnything(Api));

    [Fact]
    public void NoFolder_ReachesBackToItself()
    {
        var g = Api;
        None(g.Cycles().Select(c => c + Environment.NewLine + string.Join(Environment.NewLine,
            c.Split(" → ").Zip(c.Split(" → ").Skip(1)).Select(p => "    " + g.UsesOf(p.First)[p.Second]))).ToList());
    }

    [Fact]
    public void TheGraph_SeesTheUsesItMustSee()
    {
        // A graph that saw nothing would pass every rule above: the faces must be seen using the services.
        var g = Api;

        Assert.Contains("Application.Payments", g.UsesOf("Cli").Keys);
        Assert.Contains("Persistence", g.UsesOf("Application.Payments").Keys);
        Assert.Contains("Application.Matching", g.UsesOf("Application.Statements").Keys);
    }

    [Fact]
    public void EachRule_CanFail_OnSamplesThatBreakIt()
    {
        var g = Sample;

        Assert.Contains(BelowTheFacesReachingUp(g), v => v.StartsWith("Application.Billing uses Http", StringComparison.Ordinal));
        Assert.Contains(InfrastructureUsingServices(g), v => v.StartsWith("Persistence uses Application.Billing", StringComparison.Ordinal));
        Assert.Contains(CommonUsingAnything(g), v => v.StartsWith("Common uses Persistence", StringComparison.Ordinal));
        Assert.Contains("Application.Billing → Persistence → Application.Billing", g.Cycles());
    }
}
