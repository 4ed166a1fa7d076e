using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Parsing;

namespace TdmEdu.Fees.Api.Cli.Toolkit;

/// <summary>
/// Turns what the parser found wrong into the sentences the CLI has always printed (exit 1, one sentence on stderr).
/// It reads the parse result's structure, never the library's messages, so those never reach a user. The checks run
/// in the order the hand-written parser had: global options, the command, options given twice, each option in the
/// order the command declares it, unknown options, stray words, missing words.
/// </summary>
public static class UsageCheck
{
    /// <summary>The words after the global options (--db), which only stand before the command.</summary>
    public static IReadOnlyList<string> AfterGlobals(IReadOnlyList<string> argv)
    {
        var i = 0;
        while (i < argv.Count && IsOptionLike(argv[i]))
        {
            if (argv[i] == "--db") i += i + 1 < argv.Count ? 2 : throw new UsageException("--db needs a value.");
            else if (argv[i].StartsWith("--db=", StringComparison.Ordinal)) i++;
            else throw new UsageException($"unknown global option {argv[i]}.");
        }
        return argv.Skip(i).ToList();
    }

    public static void Check(ParseResult parsed, IReadOnlyList<string> argv)
    {
        var words = AfterGlobals(argv);
        var result = parsed.CommandResult;
        var command = result.Command;
        if (command.Action is null || !words.Take(PathOf(command).Count).SequenceEqual(PathOf(command)))
            throw new UsageException($"unknown command \"{string.Join(' ', words.Take(2))}\".");
        // Commands that hand their words on (./fees test, bench) take whatever follows.
        if (!command.TreatUnmatchedTokensAsErrors) return;

        var options = command.Options.Where(o => o is not HelpOption).ToList();
        var unmatched = parsed.UnmatchedTokens;
        var twice = options.Where(o => parsed.GetResult(o) is { IdentifierTokenCount: > 1 }).Select(o => o.Name)
            .Concat(unmatched.Where(IsOptionLike).GroupBy(w => w).Where(g => g.Count() > 1).Select(g => g.Key)).FirstOrDefault();
        if (twice is not null) throw new UsageException($"{twice} is given twice.");

        foreach (var option in options) CheckValue(parsed, option);

        // A word that looks like an option but is none: left over, or taken by the parser for the command's word.
        var taken = command.Arguments.SelectMany(a => parsed.GetResult(a)?.Tokens ?? []).Select(t => t.Value);
        var unknown = argv.Intersect(taken.Concat(unmatched).Where(IsOptionLike)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option {string.Join(", ", unknown)}.");

        if (unmatched.Count > 0)
            throw new UsageException(FlagBefore(parsed, options, unmatched[0]) is { } flag
                ? $"{flag} takes no value (\"{unmatched[0]}\" was given)."
                : $"unexpected word \"{unmatched[0]}\".");

        var missing = command.Arguments.OfType<Word>().FirstOrDefault(w => parsed.GetResult(w) is not { Tokens.Count: > 0 });
        if (missing is not null) throw new UsageException(missing.WhenMissing);

        // Every error the parser can raise for our options is answered above; this only keeps a new kind from passing.
        if (parsed.Errors.Count > 0) throw new UsageException(parsed.Errors[0].Message);
    }

    /// <summary>The command's words from the root down, as typed: ["notices", "issue"].</summary>
    public static IReadOnlyList<string> PathOf(Command command)
    {
        var path = new List<string>();
        for (var c = command; c is not RootCommand; c = c.Parents.OfType<Command>().First()) path.Insert(0, c.Name);
        return path;
    }

    private static void CheckValue(ParseResult parsed, Option option)
    {
        var result = parsed.GetResult(option);
        if (result is null || result.IdentifierTokenCount == 0)
        {
            if (option.Required) throw new UsageException($"{option.Name} is required.");
            return;
        }
        if (option.Arity.MaximumNumberOfValues == 0) return;
        // The hand-written parser never took a word starting with -- as a value: --out --school X lacks the file.
        if (result.Tokens.Count == 0 || IsOptionLike(result.Tokens[0].Value)) throw new UsageException($"{option.Name} needs a value.");
        var error = parsed.Errors.FirstOrDefault(e => e.SymbolResult == result || e.SymbolResult?.Parent == result);
        if (error is not null) throw new UsageException(error.Message);
    }

    /// <summary>The switch just before a stray word, if any: --dry-run extra reads as a switch given a value.</summary>
    private static string? FlagBefore(ParseResult parsed, List<Option> options, string word)
    {
        var tokens = parsed.Tokens;
        for (var i = 1; i < tokens.Count; i++)
            if (tokens[i].Value == word && tokens[i].Type == TokenType.Argument && tokens[i - 1].Type == TokenType.Option)
                return options.FirstOrDefault(o => o.Arity.MaximumNumberOfValues == 0 && (o.Name == tokens[i - 1].Value || o.Aliases.Contains(tokens[i - 1].Value)))?.Name;
        return null;
    }

    private static bool IsOptionLike(string word) => word.Length > 2 && word.StartsWith("--", StringComparison.Ordinal);
}
