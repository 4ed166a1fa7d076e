using TdmEdu.Fees.Api.Security;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>
/// A school's tax code and address from the schools file (what its e-receipts state), and the sandbox's signing
/// certificate made from them: it loads with the password written beside it, names the tax code, says it is the
/// sandbox's and passes the checks before signing. A school without a tax code gets none; a bad tax code is refused.
/// </summary>
public sealed class SandboxCertificateTests
{
    private const string Schools = """
        school_code,name,level,ward,bank,account_no,account_name,tax_code,address
        TS01,Trường Tiểu học Thử Nghiệm,TH,Phú Cường,VCB,0281000111222,TRUONG TIEU HOC THU NGHIEM,3700000001,"12 Yersin, Phú Cường"
        TS02,Trường THCS Thử Nghiệm,THCS,Hiệp Thành,BIDV,65210000000001,TRUONG THCS THU NGHIEM,,
        """;

    [Fact]
    public async Task TheSchoolsFile_GivesTaxCodeAndAddress_AndTheSandboxCertificateIsMadeFromThem()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Schools));
        Assert.Equal(["TS01 3700000001 12 Yersin, Phú Cường", "TS02"],
            await fees.Db.ListAsync("SELECT concat_ws(' ', code, tax_code, address) FROM schools ORDER BY code"));
        // A file without the columns keeps them.
        await fees.OkAsync("schools", "import", fees.File("again.csv", """
            school_code,name,level,ward,bank,account_no,account_name
            TS01,Trường Tiểu học Thử Nghiệm,TH,Phú Cường,VCB,0281000111222,TRUONG TIEU HOC THU NGHIEM
            """));
        Assert.Equal(["3700000001"], await fees.Db.ListAsync("SELECT tax_code FROM schools WHERE code = 'TS01'"));

        var folder = Path.Combine(fees.Folder, "certs");
        var made = await fees.OkAsync("ereceipts", "sandbox-cert", "--school", "ts01", "--out", folder);
        Assert.Contains("sandbox certificate of TS01", made);
        using var certificate = SchoolCertificates.Load(await File.ReadAllBytesAsync(Path.Combine(folder, "TS01.p12")),
            await File.ReadAllTextAsync(Path.Combine(folder, "TS01.password")));
        Assert.True(SchoolCertificates.IsSandbox(certificate));
        Assert.Contains("CN=Trường Tiểu học Thử Nghiệm", certificate.Subject);
        Assert.Null(SchoolCertificates.Check(certificate, "3700000001", DateTimeOffset.UtcNow));
        if (!OperatingSystem.IsWindows()) Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(folder, "TS01.password")));

        var none = await fees.RunAsync("ereceipts", "sandbox-cert", "--school", "TS02", "--out", folder);
        Assert.Equal(3, none.ExitCode);
        Assert.Contains("has no tax code", none.Err);
        var unknown = await fees.RunAsync("ereceipts", "sandbox-cert", "--school", "TS09", "--out", folder);
        Assert.Equal(2, unknown.ExitCode);
        Assert.False(File.Exists(Path.Combine(folder, "TS02.p12")));
    }

    [Fact]
    public async Task ATaxCodeThatIsNone_OrTwoForOneSchool_IsRefusedByLineAndColumn()
    {
        await using var fees = await Support.Fees.StartAsync();
        var bad = await fees.RunAsync("schools", "import", fees.File("schools.csv", """
            school_code,name,level,ward,bank,account_no,account_name,tax_code
            TS01,Trường A,TH,Phú Cường,VCB,0281000111222,TRUONG A,37000-0001
            TS02,Trường B,THCS,Hiệp Thành,BIDV,65210000000001,TRUONG B,3700000002
            TS02,Trường B,THCS,Hiệp Thành,MSB,03000000000001,TRUONG B,3700000003
            """));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("line 2", bad.Err);
        Assert.Contains("\"37000-0001\" is not a tax code", bad.Err);
        Assert.Contains("line 4", bad.Err);
        Assert.Contains("another tax code or address on line 3", bad.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM schools"));
    }
}
