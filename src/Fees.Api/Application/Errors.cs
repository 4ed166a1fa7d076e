namespace TdmEdu.Fees.Api.Application;

/// <summary>One thing wrong with an input: where (file, line, column) and why, in the accountant's words.</summary>
public sealed record InputProblem(string Source, int? Line, string? Column, string Reason)
{
    /// <summary>A message that already names its file, line and column, as a parser wrote it.</summary>
    public static InputProblem Whole(string message) => new(message, null, null, "");

    public override string ToString()
    {
        if (Reason.Length == 0) return Source;
        var where = Source;
        if (Line is { } l) where += $", line {l}";
        if (!string.IsNullOrEmpty(Column)) where += $", column {Column}";
        return $"{where}: {Reason}";
    }
}

/// <summary>Bad input: nothing was written. The CLI exits with 2.</summary>
public sealed class BadInputException : Exception
{
    public BadInputException(IReadOnlyList<InputProblem> problems)
        : base(string.Join(Environment.NewLine, problems.Select(p => p.ToString()))) => Problems = problems;

    public BadInputException(string source, int? line, string? column, string reason)
        : this([new InputProblem(source, line, column, reason)]) { }

    public IReadOnlyList<InputProblem> Problems { get; }
}

/// <summary>Refused by a business rule (a closed period, a cancelled notice); nothing was written. Exit 3.</summary>
public sealed class BusinessRuleException(string message) : Exception(message);

/// <summary>Something outside the input is wrong: no database, a missing prerequisite. Exit 4.</summary>
public sealed class EnvironmentProblemException(string message, Exception? inner = null) : Exception(message, inner);
