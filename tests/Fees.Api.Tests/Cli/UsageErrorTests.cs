namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>
/// A wrong command line is answered in our own sentences (exit 1), whatever the parser underneath calls the mistake:
/// the same sentences the hand-written parser printed. None of these reaches a database.
/// </summary>
public sealed class UsageErrorTests
{
    private const string Hint = "\nRun `fees help` for the list of commands.\n";

    [Theory]
    [InlineData("frobnicate", "unknown command \"frobnicate\".")]
    [InlineData("frobnicate now", "unknown command \"frobnicate now\".")]
    [InlineData("notices", "unknown command \"notices\".")]
    [InlineData("notices frob", "unknown command \"notices frob\".")]
    [InlineData("--bogus qr decode X", "unknown global option --bogus.")]
    [InlineData("--db", "--db needs a value.")]
    [InlineData("qr encode --bank VCB --account 1 --bogus x", "unknown option --bogus.")]
    [InlineData("qr encode --bank VCB --account 1 --db X", "unknown option --db.")]
    [InlineData("statements parse --fromat x a.sta", "unknown option --fromat.")]
    [InlineData("qr encode --bank", "--bank needs a value.")]
    [InlineData("notices export --period 2025-09 --out --bogus", "--out needs a value.")]
    [InlineData("qr encode --bank VCB --bank VCB --account 1", "--bank is given twice.")]
    [InlineData("qr encode --bank VCB", "--account is required.")]
    [InlineData("qr encode --bank VCB --account 1 extra", "unexpected word \"extra\".")]
    [InlineData("statements parse", "give the statement file.")]
    [InlineData("students import", "give the file to import.")]
    [InlineData("users passwd", "users passwd takes one login: users passwd EMAIL.")]
    [InlineData("review split ID", "--to is required.")]
    [InlineData("notices issue --period 2025-9", "--period: \"2025-9\" is not a month like 2025-09.")]
    [InlineData("notices issue --period 2025-09 --dry-run extra", "--dry-run takes no value (\"extra\" was given).")]
    [InlineData("notices issue --period 2025-09 --dry-run --dry-run", "--dry-run is given twice.")]
    [InlineData("payments cash --notice X --amount -5", "--amount: \"-5\" is negative; amounts are above zero.")]
    [InlineData("seed demo --students x", "--students: \"x\" is not a whole number.")]
    [InlineData("reconcile export --from 2025-13-01 --out x.csv", "--from: \"2025-13-01\" is not a date like 2025-09-30.")]
    [InlineData("up --port 5080", "up is carried out by ./fees at the repository root (it starts what it needs first): ./fees up.")]
    public async Task AWrongLine_IsRefusedWithOurSentence_AndExit1(string line, string sentence)
    {
        var r = await Support.Cli.RunAsync(line.Split(' '));

        Assert.Equal((1, "fees: " + sentence + Hint, ""), (r.ExitCode, r.Err, r.Out));
    }

    [Fact]
    public async Task TheGlobalDb_GoesBeforeTheCommand()
    {
        var r = await Support.Cli.RunAsync("--db", "Host=nowhere", "qr", "encode", "--bank", "970436", "--account", "0281000111222");

        Assert.Equal(0, r.ExitCode);
        Assert.StartsWith("000201010211", r.Out);
    }

    [Fact]
    public async Task AWordStartingWithAt_IsAFileName_NotAResponseFile()
    {
        var r = await Support.Cli.RunAsync("statements", "parse", "@no-such-file.sta");

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no-such-file.sta", r.Err);
    }
}
