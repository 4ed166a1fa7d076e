using System.CommandLine;
using System.Globalization;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Cli.Toolkit;

/// <summary>
/// The kinds of option and word the commands take, each with the name `fees help` shows for its value. A value that
/// does not read is a parse error carrying the sentence the CLI has always printed (exit 1), so a command's body only
/// sees values of the right kind. Values whose refusal is bad input (exit 2) stay text and are read in the body.
/// </summary>
public static class Opt
{
    public delegate T? Reader<T>(string text, out string? why) where T : struct;

    public static Option<string> Text(string name, string helpName, string? description = null) =>
        new(name) { HelpName = helpName, Description = description };

    public static Option<string> Required(string name, string helpName, string? description = null) =>
        new(name) { HelpName = helpName, Description = description, Required = true };

    /// <summary>A switch such as --dry-run: it takes no value, so a word after it is refused, never swallowed.</summary>
    public static Option<bool> Flag(string name, string? description = null) =>
        new(name) { Arity = ArgumentArity.Zero, Description = description };

    /// <summary>A whole number of zero or more.</summary>
    public static Option<int?> Count(string name, string helpName, string? description = null) =>
        Read<int>(name, helpName, description, false, (string text, out string? why) =>
        {
            why = int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? null : $"\"{text}\" is not a whole number.";
            return why is null ? n : null;
        });

    /// <summary>Whole đồng, written 1500000, 1.500.000 or 1,500,000.</summary>
    public static Option<long?> Amount(string name, bool required = false, string? description = null) =>
        Read(name, "N", description, required, Files.Values.ParseAmount);

    public static Option<BillingMonth?> Month(string name, bool required = false, string? description = null) =>
        Read<BillingMonth>(name, "YYYY-MM", description, required, (string text, out string? why) =>
        {
            why = BillingMonth.TryParse(text, out var m) ? null : $"\"{text}\" is not a month like 2025-09.";
            return why is null ? m : null;
        });

    public static Option<DateOnly?> Date(string name, string? description = null) =>
        Read<DateOnly>(name, "DATE", description, false, (string text, out string? why) =>
        {
            why = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? null : $"\"{text}\" is not a date like 2025-09-30.";
            return why is null ? d : null;
        });

    /// <summary>A word after the command that may be left out (the body says what it wants instead).</summary>
    public static Argument<string> OptionalWord(string helpName, string? description = null) =>
        new(helpName) { HelpName = helpName, Description = description, Arity = ArgumentArity.ZeroOrOne };

    private static Option<T?> Read<T>(string name, string helpName, string? description, bool required, Reader<T> read) where T : struct =>
        new(name)
        {
            HelpName = helpName,
            Description = description,
            Required = required,
            CustomParser = result =>
            {
                // A missing value or a second one is the usage check's to report; only a single value is read here.
                if (result.Tokens.Count != 1) return null;
                var value = read(result.Tokens[0].Value, out var why);
                if (value is null) result.AddError($"{name}: {why}");
                return value;
            },
        };
}

/// <summary>A word the command needs (a file, an id, a login); missing, it is refused with the command's own sentence.</summary>
public sealed class Word : Argument<string>
{
    public Word(string helpName, string whenMissing, string? description = null) : base(helpName)
    {
        HelpName = helpName;
        Description = description;
        WhenMissing = whenMissing;
    }

    public string WhenMissing { get; }
}
