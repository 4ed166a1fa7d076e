using System.Runtime.CompilerServices;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// Receipts in tests are signed as in `./fees up`: with sandbox certificates made on first use in a folder of this
/// test run (the command line and every host the tests start read EReceipts__SandboxCertificates from the environment).
/// A school without a tax code still cannot sign, and its receipts wait, as in production.
/// </summary>
internal static class SandboxSigning
{
    public static string Folder { get; private set; } = "";

    [ModuleInitializer]
    internal static void Start()
    {
        Folder = Environment.GetEnvironmentVariable("EReceipts__SandboxCertificates") is { Length: > 0 } given
            ? given
            : Directory.CreateTempSubdirectory("fees-certs-").FullName;
        Environment.SetEnvironmentVariable("EReceipts__SandboxCertificates", Folder);
    }
}
