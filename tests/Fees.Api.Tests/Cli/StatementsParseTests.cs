using System.Text.Json;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

public sealed class StatementsParseTests
{
    private static Task<CliResult> RunAsync(params string[] args) => Support.Cli.RunAsync(args);

    private static string Write(string name, string text)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("stmt-").FullName, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task StatementsParse_Mt940_PrintsOneJsonObjectPerLineWithTheDocumentedKeys()
    {
        var path = Write("bidv.sta", ":20:S1\n:25:65210000000001\n:60F:C250909VND0,\n:61:2509100910C1371800,00NTRFNONREF//FT1\n:86:HS10000004\n hoc phi\n:62F:C250910VND1371800,\n");

        var r = await RunAsync("statements", "parse", path);

        Assert.Equal(0, r.ExitCode);
        var json = JsonDocument.Parse(r.Out.Trim()).RootElement;
        Assert.Equal(
            ["account", "statement_id", "bank_ref", "customer_ref", "booking_date", "value_date", "direction", "reversal", "amount", "currency", "type", "content", "counterparty_name", "counterparty_account"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("FT1", json.GetProperty("bank_ref").GetString());
        Assert.Equal("1371800", json.GetProperty("amount").GetString());
        Assert.Equal("2025-09-10", json.GetProperty("booking_date").GetString());
        Assert.Equal("HS10000004 hoc phi", json.GetProperty("content").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("customer_ref").ValueKind);
    }

    [Fact]
    public async Task StatementsParse_BrokenFile_ExitsWith2NamingTheLine()
    {
        var path = Write("bad.sta", ":20:S1\n:25:65210000000001\n:61:25091X0910C1,NTRF\n");

        var r = await RunAsync("statements", "parse", path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad.sta, line 3: the :61: line", r.Err);
    }

    [Fact]
    public async Task StatementsParse_UnknownContent_AsksForTheFormat()
    {
        var r = await RunAsync("statements", "parse", Write("notes.txt", "hello"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("neither a camt.053 nor an MT940", r.Err);
    }

    [Fact]
    public async Task StatementsParse_SaysWhatItSkippedOnStderr_AndKeepsStdoutJson()
    {
        var path = Write("pre.sta", "BANK HEADING\n:20:S1\n:25:65210000000001\n:61:2509100910C1371800,00NTRFNONREF//FT1\n:99:own field\n more\n");

        var r = await RunAsync("statements", "parse", path);

        Assert.Equal(0, r.ExitCode);
        Assert.Single(r.Out.Trim().Split('\n'), l => JsonDocument.Parse(l).RootElement.GetProperty("bank_ref").GetString() == "FT1");
        Assert.Contains("Warning: pre.sta, line 1: \"BANK HEADING\" is outside any statement", r.Err);
        Assert.Contains("Warning: pre.sta, line 5: field :99: is not one this reader uses; skipped with its 2 line(s).", r.Err);
    }
}
