using System.Reflection;
using System.Xml.Linq;

namespace TdmEdu.Fees.Api.Tests.Architecture;

/// <summary>
/// A project reference says "this project uses that one"; one that nothing uses tells a reader a dependency that
/// is not there. The compiler keeps in an assembly only the references its code uses, so each project's csproj is
/// held against its compiled assembly.
/// </summary>
public sealed class ProjectReferenceTests
{
    private static DirectoryInfo Root() => new DirectoryInfo(Support.Repository.Root);

    /// <summary>The assembly a project builds: its AssemblyName, else TdmEdu.{project} (Directory.Build.props).</summary>
    private static string AssemblyOf(string csprojPath) =>
        XDocument.Load(csprojPath).Descendants("AssemblyName").FirstOrDefault()?.Value ?? "TdmEdu." + Path.GetFileNameWithoutExtension(csprojPath);

    /// <summary>The assemblies of the projects a csproj references that its compiled assembly does not use.</summary>
    private static List<string> Unused(string csprojPath, IEnumerable<string> used)
    {
        var dir = Path.GetDirectoryName(csprojPath)!;
        return XDocument.Load(csprojPath).Descendants("ProjectReference")
            .Select(r => AssemblyOf(Path.GetFullPath(Path.Combine(dir, r.Attribute("Include")!.Value.Replace('\\', Path.DirectorySeparatorChar)))))
            .Except(used).ToList();
    }

    private static IEnumerable<string> Used(string assembly) => Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!);

    [Fact]
    public void EveryProjectReferenceInSrc_IsUsedByTheCode()
    {
        var projects = Directory.GetFiles(Path.Combine(Root().FullName, "src"), "*.csproj", SearchOption.AllDirectories);
        Assert.NotEmpty(projects);

        var unused = projects.SelectMany(p => Unused(p, Used(AssemblyOf(p))).Select(u => $"{Path.GetFileName(p)} → {u}")).ToList();

        Assert.True(unused.Count == 0, "referenced but not used (drop the reference, or use it): " + string.Join(", ", unused));
    }

    [Fact]
    public void TheRule_CanFail_OnAReferenceTheCodeDoesNotUse()
    {
        // Fees.Reconciliation as it was: a reference to BankAdapters (whose assembly name is its own), no code that uses it.
        var src = Directory.CreateTempSubdirectory("csproj-").FullName;
        Directory.CreateDirectory(Path.Combine(src, "BankAdapters"));
        File.WriteAllText(Path.Combine(src, "BankAdapters", "BankAdapters.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><AssemblyName>TdmEdu.Fees.BankAdapters</AssemblyName></PropertyGroup></Project>
            """);
        var csproj = Path.Combine(src, "Fees.Reconciliation", "Fees.Reconciliation.csproj");
        Directory.CreateDirectory(Path.GetDirectoryName(csproj)!);
        File.WriteAllText(csproj, """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><ProjectReference Include="..\BankAdapters\BankAdapters.csproj" /></ItemGroup>
            </Project>
            """);

        Assert.Equal(["TdmEdu.Fees.BankAdapters"], Unused(csproj, Used("TdmEdu.Fees.Reconciliation")));
    }
}
