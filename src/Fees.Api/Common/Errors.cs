using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TdmEdu.Fees.Api.Common;

/// <summary>
/// One thing wrong with an input: where (file, line, column) and why, in the accountant's words. The reason may
/// also be given in Vietnamese, for the web pages; the CLI speaks English.
/// </summary>
public sealed record InputProblem(string Source, int? Line, string? Column, string Reason, string? ReasonVi = null)
{
    /// <summary>A message that already names its file, line and column, as a parser wrote it.</summary>
    public static InputProblem Whole(string message) => new(message, null, null, "");

    public override string ToString() => Render(vietnamese: false);

    /// <summary>The problem in English, or in Vietnamese where a Vietnamese reason was given (a CLI flag is not named to a page user).</summary>
    public string Render(bool vietnamese)
    {
        if (Reason.Length == 0) return Source;
        var vi = vietnamese && ReasonVi is not null;
        var where = vi && Source.StartsWith("--", StringComparison.Ordinal) ? "" : Source;
        if (Line is { } l) where += vi ? $", dòng {l}" : $", line {l}";
        if (!string.IsNullOrEmpty(Column)) where += vi ? $", cột {Column}" : $", column {Column}";
        var reason = vi ? ReasonVi! : Reason;
        return where.Length == 0 ? Capitalise(reason) : $"{where.TrimStart(',', ' ')}: {reason}";
    }

    private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}

/// <summary>Bad input: nothing was written. The CLI exits with 2.</summary>
public sealed class BadInputException : Exception
{
    /// <summary>
    /// Problems reported, at most: a file of 100,000 bad rows would otherwise answer with a page (or a terminal)
    /// of a million lines. The rest are counted in a last line.
    /// </summary>
    public const int MaxReported = 200;

    public BadInputException(IReadOnlyList<InputProblem> problems) : this(Capped(problems), capped: true) { }

    private BadInputException(IReadOnlyList<InputProblem> problems, bool capped)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.ToString()))) => Problems = problems;

    public BadInputException(string source, int? line, string? column, string reason, string? reasonVi = null)
        : this([new InputProblem(source, line, column, reason, reasonVi)]) { }

    public IReadOnlyList<InputProblem> Problems { get; }

    /// <summary>A statement sheet whose columns the service does not know yet: the page offers to map them instead of only refusing.</summary>
    public bool ColumnsUnknown { get; init; }

    private static IReadOnlyList<InputProblem> Capped(IReadOnlyList<InputProblem> problems)
    {
        if (problems.Count <= MaxReported) return problems;
        var more = problems.Count - MaxReported;
        var en = more.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture);
        return [.. problems.Take(MaxReported), new InputProblem("", null, null,
            $"... and {en} more problems, not listed (the first {MaxReported} are).",
            $"... và {en.Replace(',', '.')} lỗi khác không liệt kê (chỉ liệt kê {MaxReported} lỗi đầu).")];
    }
}

/// <summary>Refused by a business rule (a closed period, a cancelled notice); nothing was written. Exit 3.</summary>
public class BusinessRuleException(string message, string? vietnamese = null) : Exception(message)
{
    /// <summary>The same refusal in Vietnamese, for the web pages (the English one where none was written).</summary>
    public string Vietnamese { get; } = vietnamese ?? message;
}

/// <summary>Something outside the input is wrong: no database, a missing prerequisite. Exit 4.</summary>
public sealed class EnvironmentProblemException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The kinds of failure every face answers (ADR 21). Each face maps them in one place: the CLI to its exit codes and
/// sentences, the JSON API to ProblemDetails (Http/ApiProblems), the pages to an HTML page in the page's language
/// (Pages/Error), the banks' routes to each bank's own answers (Http/Banks).
/// </summary>
public enum FailureKind
{
    /// <summary>The input cannot be used (<see cref="BadInputException"/>); nothing was written.</summary>
    BadInput,

    /// <summary>A business rule refused (<see cref="BusinessRuleException"/>); nothing was written.</summary>
    Refused,

    /// <summary>
    /// Someone else changed the same rows at the same moment: an optimistic check lost, a unique key taken, a
    /// serialization failure or a deadlock. The transaction was rolled back; trying again is safe.
    /// </summary>
    ConcurrentChange,

    /// <summary>Something outside the request is wrong: the database cannot be reached, a setting is missing.</summary>
    Environment,

    /// <summary>A fault of ours: the transaction was rolled back, and the type tells a developer where to look.</summary>
    Fault,
}

public static class Failures
{
    public static FailureKind KindOf(Exception e) => e switch
    {
        BadInputException => FailureKind.BadInput,
        BusinessRuleException => FailureKind.Refused,
        EnvironmentProblemException => FailureKind.Environment,
        DbUpdateConcurrencyException => FailureKind.ConcurrentChange,
        _ when DatabaseUnavailable(e) => FailureKind.Environment,
        _ => Database(e) switch
        {
            PostgresException { SqlState: "23505" or "40001" or "40P01" } => FailureKind.ConcurrentChange,
            // No such database, or refused credentials.
            PostgresException { SqlState: "3D000" or "28P01" or "28000" } => FailureKind.Environment,
            _ => FailureKind.Fault,
        },
    };

    /// <summary>
    /// The database could not be reached, or not as a primary: no connection (refused, cut, timed out, or no host is
    /// the primary while a failover is under way: Npgsql's "No suitable host was found", which it does not call
    /// transient), the server shutting down or starting up, or a node that has just become a standby refusing a write.
    /// The transaction did not commit (or, cut while committing, is found by its key when tried again); trying the same
    /// work again in a moment, on whichever node is primary by then, is safe. Seen in the full city's failover drill:
    /// pages answered 500 and bank calls were not stored again for "No suitable host was found".
    /// </summary>
    public static bool DatabaseUnavailable(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            switch (x)
            {
                case PostgresException p:
                    return Unreachable(p);
                case NpgsqlException n:
                    // "No suitable host was found" carries what each host answered: a server that refused who we are
                    // (a wrong password, 28P01; no such role or no entry for us, 28000; no such database, 3D000) is a
                    // fault of configuration that waiting will not cure. Any other answer (too many connections while
                    // every instance reconnects to a new primary) is part of a failover.
                    return !Answers(n.InnerException).Any(p => p.SqlState is "28P01" or "28000" or "3D000");
                case TimeoutException:
                    return true;
            }
        return false;
    }

    /// <summary>Connection exceptions (08…), admin or crash shutdown, cannot connect now, read-only transaction.</summary>
    private static bool Unreachable(PostgresException p) =>
        p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState is "57P01" or "57P02" or "57P03" or "25006";

    /// <summary>What servers answered under an exception: one per host when Npgsql tried several.</summary>
    private static IEnumerable<PostgresException> Answers(Exception? x) => x switch
    {
        null => [],
        PostgresException p => [p],
        AggregateException a => a.InnerExceptions.SelectMany(Answers),
        _ => Answers(x.InnerException),
    };

    /// <summary>The database's own exception under EF's wrappers, or the exception itself.</summary>
    private static Exception Database(Exception e)
    {
        while (e.InnerException is not null && e is not NpgsqlException) e = e.InnerException;
        return e;
    }
}

/// <summary>What an action did, in English (the CLI, the API) and in Vietnamese (the pages).</summary>
public sealed record Said(string En, string Vi)
{
    public override string ToString() => En;

    public static Said operator +(Said a, Said b) => new(a.En + b.En, a.Vi + b.Vi);
}
