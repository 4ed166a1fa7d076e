using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Cli.Commands;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Cli;

/// <summary>
/// The `fees` command (contracts/cli.md): the command tree parses the line, the usage check answers a wrong one in
/// our sentences, the command runs, and what it throws becomes an exit code: 0 done, 1 usage, 2 bad input (nothing
/// written), 3 refused by a business rule, 4 environment problem. Errors are sentences on stderr, never stack traces.
/// </summary>
public sealed class CommandLine(TextWriter stdout, TextWriter stderr, TimeProvider time)
{
    public async Task<int> RunAsync(string[] argv, CancellationToken ct = default)
    {
        try
        {
            var root = CommandTree.Build(new Terminal(stdout, stderr, time));
            var parsed = root.Parse(argv, CommandTree.Parsing);
            if (parsed.Action is not ShowHelp)
            {
                if (UsageCheck.AfterGlobals(argv).Count == 0)
                {
                    await stdout.WriteAsync(HelpText.For(root));
                    return ExitCode.Usage;
                }
                UsageCheck.Check(parsed, argv);
            }
            // Exceptions come to us (no library error page) and Ctrl-C is Program's, which cancels ct.
            return await parsed.InvokeAsync(new InvocationConfiguration
            {
                Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null,
            }, ct);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"fees: {e.Message}");
            await stderr.WriteLineAsync("Run `fees help` for the list of commands.");
            return ExitCode.Usage;
        }
        catch (BadInputException e)
        {
            // At most BadInputException.MaxReported, then a line counting the rest.
            foreach (var p in e.Problems) await stderr.WriteLineAsync(p.ToString());
            await stderr.WriteLineAsync("Nothing was written.");
            return ExitCode.BadInput;
        }
        catch (BusinessRuleException e)
        {
            await stderr.WriteLineAsync($"Refused: {e.Message} Nothing was written.");
            return ExitCode.Refused;
        }
        catch (EnvironmentProblemException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return ExitCode.Environment;
        }
        catch (Exception e) when (Unreachable(e))
        {
            await stderr.WriteLineAsync($"Cannot reach the database: {Inner(e).Message}. Start it with ./fees up, or give --db / FEES_DB.");
            return ExitCode.Environment;
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException || Inner(e) is PostgresException { SqlState: "23505" or "40001" or "40P01" })
        {
            await stderr.WriteLineAsync("Refused: someone else changed the same records at the same moment; nothing was written. Run the command again.");
            return ExitCode.Refused;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("Stopped before the end; what was not committed was rolled back.");
            return ExitCode.Environment;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"A file could not be read or written: {e.Message}");
            return ExitCode.Environment;
        }
        catch (Exception e)
        {
            // A fault of ours. The transaction is rolled back; the type tells a developer where to look.
            await stderr.WriteLineAsync($"Unexpected problem ({e.GetType().Name}): {e.Message} Nothing was written.");
            return ExitCode.Environment;
        }
    }

    private static Exception Inner(Exception e)
    {
        while (e.InnerException is not null && e is not PostgresException and not NpgsqlException) e = e.InnerException;
        return e;
    }

    private static bool Unreachable(Exception e) =>
        Inner(e) is NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException }
        || Inner(e) is PostgresException { SqlState: "3D000" or "28P01" or "28000" or "57P03" }
        || e is InvalidOperationException && e.Message.Contains("database", StringComparison.OrdinalIgnoreCase) && e.InnerException is NpgsqlException;
}
