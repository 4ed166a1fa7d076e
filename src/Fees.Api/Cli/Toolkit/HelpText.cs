using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Text;

namespace TdmEdu.Fees.Api.Cli.Toolkit;

/// <summary>
/// `fees help`, `fees help GROUP` and --help, written from the same command tree that parses and runs, so the list
/// cannot miss a command or show an option the command does not take. One line per command (synopsis, then what it
/// does); the help of one group or command adds what each of its options means.
/// </summary>
public static class HelpText
{
    private const int Column = 36, Width = 116;

    /// <summary>The whole list, or one group's part of it with what each option means, or one command's.</summary>
    public static string For(Command command)
    {
        var root = command;
        while (root is not RootCommand) root = root.Parents.OfType<Command>().First();
        var usage = "usage: fees " + string.Join(' ', root.Options.Where(o => o is not HelpOption).Select(o => $"[{o.Name} {o.HelpName}]")) + " ";
        var text = new StringBuilder();
        if (command.Subcommands.Count == 0)
        {
            Append(text, Fill(SynopsisParts(command).Prepend(usage.TrimEnd()), Width, "", new string(' ', usage.Length)));
            Append(text, ["", .. Wrap(command.Description ?? "", Width, "", ""), ""]);
            Append(text, Details(command));
            return text.ToString();
        }
        var path = command is RootCommand ? "" : string.Join(' ', UsageCheck.PathOf(command)) + " ";
        Append(text, [usage + path + "COMMAND ...", ""]);
        if (command is not RootCommand && !string.IsNullOrEmpty(command.Description)) Append(text, [.. Wrap(command.Description, Width, "", ""), ""]);
        foreach (var c in Leaves(command))
        {
            Append(text, Line(c));
            if (command is not RootCommand) Append(text, Details(c));
        }
        if (command is RootCommand && !string.IsNullOrEmpty(root.Description)) Append(text, ["", root.Description]);
        return text.ToString();
    }

    private static void Append(StringBuilder text, IEnumerable<string> lines)
    {
        foreach (var line in lines) text.Append(line).Append('\n');
    }

    /// <summary>Every command that runs, in the order the tree lists them; a group itself runs nothing.</summary>
    public static IEnumerable<Command> Leaves(Command command)
    {
        if (command.Action is not null && command is not RootCommand) yield return command;
        foreach (var sub in command.Subcommands.Where(s => !s.Hidden))
            foreach (var leaf in Leaves(sub)) yield return leaf;
    }

    /// <summary>The command as typed, every word and option: required ones bare, the others in brackets.</summary>
    private static IEnumerable<string> SynopsisParts(Command command)
    {
        yield return string.Join(' ', UsageCheck.PathOf(command));
        foreach (var a in command.Arguments) yield return a.Arity.MinimumNumberOfValues > 0 ? a.HelpName! : $"[{a.HelpName}]";
        foreach (var o in command.Options.Where(o => o is not HelpOption && !o.Hidden))
        {
            var part = o.Arity.MaximumNumberOfValues == 0 ? o.Name : $"{o.Name} {o.HelpName}";
            yield return o.Required ? part : $"[{part}]";
        }
    }

    private static IEnumerable<string> Line(Command command)
    {
        var synopsis = Fill(SynopsisParts(command), Width, "  ", new string(' ', 4 + UsageCheck.PathOf(command)[0].Length));
        var description = Wrap(command.Description ?? "", Width - Column, "", "");
        if (synopsis.Count == 1 && synopsis[0].Length < Column - 1)
        {
            yield return (synopsis[0].PadRight(Column) + description[0]).TrimEnd();
            description.RemoveAt(0);
        }
        else foreach (var s in synopsis) yield return s;
        foreach (var d in description.Where(d => d.Length > 0)) yield return new string(' ', Column) + d;
    }

    private static IEnumerable<string> Details(Command command)
    {
        var described = command.Arguments.Where(a => a.Description is not null).Select(a => (a.HelpName!, a.Description!))
            .Concat(command.Options.Where(o => o is not HelpOption && !o.Hidden && o.Description is not null)
                .Select(o => (o.Arity.MaximumNumberOfValues == 0 ? o.Name : $"{o.Name} {o.HelpName}", o.Description!)))
            .ToList();
        foreach (var (name, description) in described)
        {
            var indent = new string(' ', Column);
            var lines = Wrap(description, Width, indent, indent);
            var head = "      " + name;
            if (head.Length < Column - 1) lines[0] = head.PadRight(Column) + lines[0].TrimStart();
            else lines.Insert(0, head);
            foreach (var l in lines) yield return l;
        }
        if (described.Count > 0) yield return "";
    }

    /// <summary>Words filled into lines of at most width characters; a line break in the text is kept.</summary>
    private static List<string> Wrap(string text, int width, string first, string next)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Split('\n'))
            lines.AddRange(Fill(paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries), width, lines.Count == 0 ? first : next, next));
        return lines;
    }

    /// <summary>Pieces that must not be broken (a word, or an option with its value) filled into lines.</summary>
    private static List<string> Fill(IEnumerable<string> pieces, int width, string first, string next)
    {
        var lines = new List<string>();
        var line = new StringBuilder(first);
        var fresh = true;
        foreach (var piece in pieces)
        {
            if (!fresh && line.Length + 1 + piece.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear().Append(next);
                fresh = true;
            }
            line.Append(fresh ? "" : " ").Append(piece);
            fresh = false;
        }
        lines.Add(line.ToString());
        return lines;
    }
}

/// <summary>--help and -h on any command: that command's help on stdout, exit 0, whatever else the line got wrong.</summary>
public sealed class ShowHelp(TextWriter stdout) : SynchronousCommandLineAction
{
    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        stdout.Write(HelpText.For(parseResult.CommandResult.Command));
        return ExitCode.Ok;
    }

    public static HelpOption Option(TextWriter stdout) => new("--help", "-h") { Action = new ShowHelp(stdout), Description = "this help" };
}
