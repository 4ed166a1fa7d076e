using System.CommandLine;
using TdmEdu.Fees.Api.Cli.Commands;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>`fees help` is written from the command tree that parses and runs; these prove the two cannot drift apart.</summary>
public sealed class HelpTests
{
    private static Task<CliResult> RunAsync(params string[] args) => Support.Cli.RunAsync(args);

    private static RootCommand Tree() => CommandTree.Build(new Terminal(TextWriter.Null, TextWriter.Null, TimeProvider.System));

    /// <summary>The synopses `fees help` lists: a line at two spaces, up to the padding, with its continuation lines.</summary>
    private static List<string> Listed(string help)
    {
        var lines = help.Split('\n');
        var listed = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("  ", StringComparison.Ordinal) || lines[i].Length < 3 || lines[i][2] == ' ') continue;
            var pad = lines[i].IndexOf("  ", 2, StringComparison.Ordinal);
            var synopsis = pad < 0 ? lines[i][2..] : lines[i][2..pad];
            // Continuation lines of a long synopsis are indented less than the descriptions' column.
            while (pad < 0 && i + 1 < lines.Length && Indent(lines[i + 1]) is > 2 and < 36) synopsis += " " + lines[++i].Trim();
            listed.Add(synopsis);
        }
        return listed;
    }

    /// <summary>Every command of the tree that runs something, walked here rather than by the help's own walk.</summary>
    private static IEnumerable<Command> Runnable(Command command) =>
        (command.Action is not null && command is not RootCommand ? [command] : Enumerable.Empty<Command>()).Concat(command.Subcommands.SelectMany(Runnable));

    private static int Indent(string line) => line.Length - line.TrimStart().Length;

    private static string PathOf(string synopsis) => string.Join(' ', synopsis.Split(' ').TakeWhile(w => w.Length > 0 && char.IsAsciiLetterLower(w[0]) && w.All(c => char.IsAsciiLetterLower(c) || c == '-')));

    [Fact]
    public async Task Help_ListsEveryCommandOfTheTree_AndNothingElse()
    {
        var help = await RunAsync("help");

        Assert.Equal(0, help.ExitCode);
        var listed = Listed(help.Out).Select(PathOf).ToList();
        var inTree = Runnable(Tree()).Select(c => string.Join(' ', UsageCheck.PathOf(c))).ToList();
        Assert.Equal(inTree, listed);
        Assert.Contains("notices pdf", listed);
        Assert.Contains("bench", listed);
        Assert.True(listed.Count > 40, $"only {listed.Count} commands listed");
    }

    [Fact]
    public async Task EveryCommandHelpLists_ParsesWithEveryOptionItShows()
    {
        var root = Tree();

        foreach (var synopsis in Listed((await RunAsync("help")).Out))
        {
            var argv = SampleLine(synopsis);
            var parsed = root.Parse(argv, CommandTree.Parsing);

            Assert.True(parsed.Errors.Count == 0, $"fees {string.Join(' ', argv)}: {string.Join("; ", parsed.Errors.Select(e => e.Message))}");
            Assert.Equal(PathOf(synopsis), string.Join(' ', UsageCheck.PathOf(parsed.CommandResult.Command)));
            UsageCheck.Check(parsed, argv);
        }
    }

    /// <summary>A line as a user would type it from the synopsis: every option shown, with a value of its kind.</summary>
    private static string[] SampleLine(string synopsis)
    {
        var argv = new List<string>();
        foreach (var part in Parts(synopsis))
        {
            var optional = part.StartsWith('[');
            var inner = optional ? part[1..^1] : part;
            var words = inner.Split(' ', 2);
            if (words[0].StartsWith("--", StringComparison.Ordinal))
            {
                argv.Add(words[0]);
                if (words.Length == 2) argv.Add(Sample(words[1]));
            }
            else if (!optional) argv.Add(PathOf(inner) == inner ? inner : Sample(inner));
        }
        return [.. argv];
    }

    /// <summary>The synopsis split into words and bracketed parts ([--school CODE] is one part).</summary>
    private static IEnumerable<string> Parts(string synopsis)
    {
        var depth = 0;
        var part = "";
        foreach (var word in synopsis.Split(' '))
        {
            part = part.Length == 0 ? word : part + " " + word;
            depth += word.Count(c => c == '[') - word.Count(c => c == ']');
            if (depth > 0) continue;
            yield return part;
            part = "";
        }
    }

    private static string Sample(string placeholder) => placeholder switch
    {
        "YYYY-MM" => "2025-09",
        "DATE" => "2025-09-30",
        "N" or "K" => "1",
        _ when placeholder.All(char.IsAsciiDigit) => placeholder,
        _ => "x",
    };

    [Fact]
    public async Task HelpOfAGroup_ShowsThatGroupAndWhatItsOptionsMean_AsDoesGroupDashDashHelp()
    {
        var group = await RunAsync("help", "notices");
        var dashed = await RunAsync("notices", "--help");

        Assert.Equal(0, group.ExitCode);
        Assert.Contains("notices pdf --period YYYY-MM --school CODE", group.Out);
        Assert.Contains("--dry-run                     print the totals per school and class and write nothing", group.Out);
        Assert.DoesNotContain("payments cash", group.Out);
        Assert.Equal((0, group.Out), (dashed.ExitCode, dashed.Out));
    }

    [Fact]
    public async Task DashDashHelpAndDashH_AreHelp()
    {
        var help = await RunAsync("help");

        Assert.Equal((0, help.Out), ((await RunAsync("--help")).ExitCode, (await RunAsync("--help")).Out));
        Assert.Equal((0, help.Out), ((await RunAsync("-h")).ExitCode, (await RunAsync("-h")).Out));
        Assert.Contains("usage: fees [--db \"<connection string>\"] qr encode --bank BIN|CODE", (await RunAsync("qr", "encode", "-h")).Out);
    }

    [Fact]
    public async Task NoCommand_PrintsTheListAndExitsWith1()
    {
        var none = await RunAsync();

        Assert.Equal(1, none.ExitCode);
        Assert.Equal((await RunAsync("help")).Out, none.Out);
    }

    [Fact]
    public async Task HelpOfAnUnknownGroup_IsAUsageError()
    {
        var r = await RunAsync("help", "frobnicate");

        Assert.Equal((1, "fees: unknown command \"frobnicate\".\nRun `fees help` for the list of commands.\n"), (r.ExitCode, r.Err));
    }
}
