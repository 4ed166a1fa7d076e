using System.Diagnostics;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// xmlsec1 (libxmlsec1, from Debian; `./fees test` installs it): an XML-DSig verifier that is not our code, given only
/// the certificate to trust and told that DLCTu's Id attribute names the signed data.
/// </summary>
public static class Xmlsec1
{
    public static async Task<(int Code, string Output)> VerifyAsync(string trustedPem, string file)
    {
        var start = new ProcessStartInfo("xmlsec1") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--verify", "--trusted-pem", trustedPem, "--id-attr:Id", "DLCTu", file }) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }
}
