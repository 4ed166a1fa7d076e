using System.Text.Json;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

public sealed class QrCommandTests
{
    private static Task<CliResult> RunAsync(params string[] args) => Support.Cli.RunAsync(args);

    [Fact]
    public async Task QrEncode_WithAmount_IsDynamicAndDecodesBack()
    {
        var png = Path.Combine(Path.GetTempPath(), $"qr-{Guid.NewGuid():N}.png");
        try
        {
            var enc = await RunAsync("qr", "encode", "--bank", "BIDV", "--account", "6521000000001", "--amount", "1.500.000", "--purpose", "Học phí HS12345671", "--png", png);
            var dec = await RunAsync("qr", "decode", "--png", png);

            Assert.Equal(0, enc.ExitCode);
            Assert.StartsWith("000201010212", enc.Out);
            Assert.Equal(0, dec.ExitCode);
            var json = JsonDocument.Parse(dec.Out).RootElement;
            Assert.Equal("dynamic", json.GetProperty("initiation").GetString());
            Assert.Equal("970418", json.GetProperty("bank_bin").GetString());
            Assert.Equal(1_500_000, json.GetProperty("amount").GetInt64());
            Assert.Equal("Hoc phi HS12345671", json.GetProperty("purpose").GetString());
        }
        finally
        {
            File.Delete(png);
        }
    }

    [Fact]
    public async Task QrEncode_WithoutAmount_IsStatic()
    {
        var enc = await RunAsync("qr", "encode", "--bank", "970436", "--account", "0281000111222");

        Assert.Equal(0, enc.ExitCode);
        Assert.StartsWith("000201010211", enc.Out);
    }

    [Theory]
    [InlineData("--purpose", "Nộp tiền học phí và tiền ăn tháng chín")]
    [InlineData("--bank", "NOBANK")]
    [InlineData("--amount", "12,5")]
    public async Task QrEncode_BadValue_ExitsWith2(string option, string value)
    {
        var args = new List<string> { "qr", "encode", "--bank", "VCB", "--account", "0281000111222" };
        var i = args.IndexOf(option);
        if (i >= 0) args[i + 1] = value; else args.AddRange([option, value]);

        var r = await RunAsync([.. args]);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains(option, r.Err);
    }

    [Fact]
    public async Task QrDecode_WrongCrc_ExitsWith2AndSaysSo()
    {
        var r = await RunAsync("qr", "decode", "00020101021138600010A00000072701300006970403011697040311012345670208QRIBFTTC53037045802VN6304A203");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("Bad CRC", r.Err);
    }
}
