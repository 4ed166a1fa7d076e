using System.CommandLine;
using TdmEdu.Fees.Api.Cli.Toolkit;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>
/// Every command of `fees` (contracts/cli.md), in the order `fees help` lists them. A command is added in its group's
/// file only: its definition is what parses, runs, and shows in help.
/// </summary>
public static class CommandTree
{
    private const string Notes = """
        Files have limits (exit 2 naming the file and the limit, nothing written): a roster 30 MB and 100,000 pupils,
        schools 5 MB and 10,000 rows, a schedule 1 MB, a statement 100 MB and 500,000 lines; an XLSX 20 MB, unpacking
        to 256 MB, 100 columns; the first 200 problems are listed, then how many more (docs/operations.md).

        A receipt REF is what `payments cash` prints: SCHOOL/TEMPLATE/SERIES/NUMBER, e.g. TS01/01BLP0-001/AA-25E/0000012.
        `fees help GROUP` (or `fees GROUP --help`) also says what each option of the group's commands means.
        """;

    /// <summary>No @response files (a file argument may start with @), no bundling of one-letter options (we have none).</summary>
    public static readonly ParserConfiguration Parsing = new() { ResponseFileTokenReplacer = null, EnablePosixBundling = false };

    public static RootCommand Build(Terminal t)
    {
        var root = new RootCommand(Notes);
        // Ours only: no --version, no [suggest] directive, and help in the list's own words.
        root.Options.Clear();
        root.Directives.Clear();
        root.Add(t.Db);
        root.Add(ShowHelp.Option(t.Out));
        root.Add(Help(t));
        IEnumerable<Command> groups =
        [
            .. ServeCommands.Build(t), .. SetupCommands.Build(t), .. RosterCommands.Build(t), NoticeCommands.Build(t),
            .. PaymentCommands.Build(t), .. ReportCommands.Build(t), QrCommands.Build(t), .. StatementCommands.Build(t),
            ReviewCommands.Build(t), .. BankCommands.Build(t), NotifySimCommands.Build(t), TvanSimCommands.Build(t), UserCommands.Build(t), ReceiptCommands.Build(t),
        ];
        foreach (var group in groups) root.Add(group);
        return root;
    }

    private static Command Help(Terminal t)
    {
        var words = new Argument<string[]>("COMMAND") { HelpName = "GROUP [COMMAND]", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("help", "this list; with a group or command, that part of it and what each option means") { words };
        command.SetAction(parsed =>
        {
            Command found = parsed.RootCommandResult.Command;
            foreach (var word in parsed.GetValue(words) ?? [])
                found = found.Subcommands.FirstOrDefault(c => c.Name == word)
                    ?? throw new UsageException($"unknown command \"{string.Join(' ', (parsed.GetValue(words) ?? []).Take(2))}\".");
            t.Out.Write(HelpText.For(found));
            return ExitCode.Ok;
        });
        return command;
    }
}
