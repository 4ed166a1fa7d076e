namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>The repository the tests were built from: the folder holding TdmEdu.Fees.sln above the test binaries.</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "TdmEdu.Fees.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("TdmEdu.Fees.sln was not found above the test's directory.");
    }
}
