using System.Text.RegularExpressions;
using TdmEdu.Fees.Api.Cli.Commands;
using TdmEdu.Fees.Api.Cli.Toolkit;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>
/// `fees help` also lists what the ./fees script carries out itself (up, test, bench...). These read the script and
/// the benchmarks' program, so the list says what really exists.
/// </summary>
public sealed class ScriptCommandsTests
{
    private static string Repository() => Support.Repository.Root;

    [Fact]
    public void EveryCommandOfTheFeesScript_IsInTheCommandTree()
    {
        var script = File.ReadAllText(Path.Combine(Repository(), "fees"));
        // The script's top-level case: a label alone on its line at two spaces, such as `  up)` or `  qr|docs)`.
        var labels = Regex.Matches(script, @"^  ([a-z][a-z|-]*)\)$", RegexOptions.Multiline)
            .SelectMany(m => m.Groups[1].Value.Split('|')).Where(l => char.IsAsciiLetterLower(l[0])).ToList();
        var tree = CommandTree.Build(new Terminal(TextWriter.Null, TextWriter.Null, TimeProvider.System)).Subcommands.Select(c => c.Name).ToList();

        Assert.Contains("screenshots", labels);
        Assert.All(labels, label => Assert.Contains(label, tree));
    }

    [Fact]
    public void Bench_NamesTheBenchmarksTheProgramRuns()
    {
        var program = File.ReadAllText(Path.Combine(Repository(), "benchmarks", "Fees.Benchmarks", "Program.cs"));
        var runs = Regex.Matches(program, "what [=!]= \"([a-z]+)\"").Select(m => m.Groups[1].Value).Distinct().Order().ToList();

        Assert.Equal(runs, ServeCommands.Benchmarks.Order().ToList());
    }
}
