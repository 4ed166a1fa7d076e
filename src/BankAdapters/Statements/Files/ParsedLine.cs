namespace TdmEdu.Fees.BankAdapters.Statements.Files;

/// <summary>
/// One transaction as a statement file says it (cli.md, `statements parse`): nothing is judged yet, so any
/// currency and fractions are kept; only `statements import` refuses what a school account cannot hold.
/// </summary>
public sealed record ParsedLine(
    int Line,
    string? Account,
    string? StatementId,
    string? BankRef,
    string? CustomerRef,
    DateOnly? BookingDate,
    DateOnly? ValueDate,
    string Direction,
    bool Reversal,
    string Amount,
    string? Currency,
    string? Type,
    string? Content,
    string? CounterpartyName,
    string? CounterpartyAccount,
    string? VirtualAccount = null);

/// <summary>
/// The balances a statement in a file states; amounts as decimal text, negative when the balance is a debit. The dates are
/// the ones the file gives each balance (the opening's is the day it opens, the closing's the day it closes), when it does.
/// </summary>
public sealed record StatementBalance(string? StatementId, int Line, string? Opening, string? Closing, DateOnly? OpeningDate = null, DateOnly? ClosingDate = null,
    string? OpeningCurrency = null, string? ClosingCurrency = null);

/// <summary>A statement file that cannot be read; the message names the file, the line and what is wrong.</summary>
public sealed class StatementFormatException : FormatException
{
    public StatementFormatException(string message) : base(message) { }

    /// <summary>
    /// A refusal that keeps where it is apart from why, so a host can report it like any other file refusal
    /// (the spreadsheet layouts do: their refusals read exactly as the host's own did before they moved here).
    /// </summary>
    public StatementFormatException(string file, int? line, string? column, string reason, string? reasonVi = null)
        : this($"{file}{(line is { } l ? $", line {l}" : "")}{(column is null ? "" : $", column {column}")}: {reason}", file, line, column, reason, reasonVi)
    {
    }

    /// <summary>A message written whole (for the command line) with its parts kept apart (for a page's list of problems).</summary>
    public StatementFormatException(string message, string file, int? line, string? column, string reason, string? reasonVi) : base(message)
    {
        File = file;
        Line = line;
        Column = column;
        Reason = reason;
        ReasonVi = reasonVi;
    }

    public string? File { get; }
    public int? Line { get; }
    public string? Column { get; }

    /// <summary>Why, without where; null when the message was written whole.</summary>
    public string? Reason { get; }

    /// <summary>The same in Vietnamese, for the pages (ADR 13); null where none was written.</summary>
    public string? ReasonVi { get; }

    /// <summary>A sheet whose columns are not known (no bank layout, no column map that fits it): a page offers to map them.</summary>
    public bool ColumnsUnknown { get; init; }
}

public static class StatementAmounts
{
    /// <summary>"1.500.000,00"-free decimal text with "." as separator: "1500000", "1500000.5"; null when not a plain non-negative number.</summary>
    public static string? Normalise(string text, char decimalSeparator)
    {
        var t = text.Trim();
        if (t.Length == 0) return null;
        var parts = t.Split(decimalSeparator);
        if (parts.Length > 2 || parts[0].Length == 0 || !parts.All(p => p.All(char.IsAsciiDigit))) return null;
        var whole = parts[0].TrimStart('0');
        if (whole.Length == 0) whole = "0";
        var fraction = parts.Length == 2 ? parts[1].TrimEnd('0') : "";
        return fraction.Length == 0 ? whole : $"{whole}.{fraction}";
    }
}

/// <summary>What a reader skipped or read by a rule rather than as written (a bank's preamble, an unknown field, 30 February), per line.</summary>
public sealed record ParseNote(int Line, string En, string Vi);
