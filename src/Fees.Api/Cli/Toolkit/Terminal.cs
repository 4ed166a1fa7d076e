using System.CommandLine;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Cli.Toolkit;

/// <summary>What every command runs with: the two streams, the clock, and the database the global --db names.</summary>
public sealed class Terminal(TextWriter stdout, TextWriter stderr, TimeProvider time)
{
    public TextWriter Out => stdout;
    public TextWriter Err => stderr;
    public TimeProvider Time => time;

    /// <summary>Written before the command; it wins over FEES_DB (contracts/cli.md).</summary>
    public Option<string> Db { get; } = new("--db")
    {
        HelpName = "\"<connection string>\"",
        Description = "the PostgreSQL database (Npgsql connection string); else FEES_DB, else the local one ./fees starts",
    };

    public string? Connection(ParseResult parsed) => parsed.GetValue(Db) ?? System.Environment.GetEnvironmentVariable("FEES_DB");

    /// <summary>A command that touches no database.</summary>
    public static Command Does(Command command, Func<ParseResult, CancellationToken, Task<int>> body)
    {
        command.SetAction(body);
        return command;
    }

    /// <summary>A command on the database, opened for it and closed after; the clock and the actor are those of this run.</summary>
    public Command OnDb(Command command, Func<DbRun, Task<int>> body)
    {
        command.SetAction(async (parsed, ct) =>
        {
            var connection = Connection(parsed);
            await using var db = Database.Open(connection);
            return await body(new DbRun(parsed, db, connection!, new BusinessClock(time), Actor.FromEnvironment(), ct));
        });
        return command;
    }
}

/// <summary>One run of a database command: its parsed line, the open database, the business clock, who runs it.</summary>
public sealed record DbRun(ParseResult Parsed, FeesDb Db, string Connection, BusinessClock Clock, Actor Actor, CancellationToken Ct)
{
    public T? Get<T>(Option<T> option) => Parsed.GetValue(option);

    public string? Get(Argument<string> word) => Parsed.GetValue(word);

    /// <summary>A required option's value; the usage check has already refused its absence.</summary>
    public string Need(Option<string> option) => Parsed.GetValue(option) ?? throw new UsageException($"{option.Name} is required.");

    public T Need<T>(Option<T?> option) where T : struct => Parsed.GetValue(option) ?? throw new UsageException($"{option.Name} is required.");
}
