using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>
/// The key a statement line is stored under once per account. A bank reference names one transaction: a credit
/// is keyed by its reference alone (the key every earlier import used), a debit or a reversal by its reference,
/// direction and reversal mark, so that a credit taken back under the credit's own reference is a line of its own.
/// A line without a reference is keyed by its booking date, amount, direction and content with its occurrence
/// among such lines of the same file or answer. Within one file a reference seen again with the same amount,
/// day, direction and description is the same transaction written twice (kept once, said in a warning); with
/// other facts, a description included, the file is refused, naming both lines: silently keeping one of two
/// different transactions would lose money (two pupils' transfers under one reference would pay only one).
/// </summary>
internal sealed class StatementLineKeys(string fileName)
{
    private readonly Dictionary<string, int> _occurrences = [];
    private readonly Dictionary<string, (int Line, long Amount, DateOnly Booking, string Content)> _seen = [];

    public List<InputProblem> Problems { get; } = [];
    public List<string> Warnings { get; } = [];
    public List<string> WarningsVi { get; } = [];

    public static string ForReference(string bankRef, string direction, bool reversal) =>
        direction == "credit" && !reversal ? "ref:" + bankRef : $"ref:{bankRef}:{direction}{(reversal ? "-reversal" : "")}";

    /// <summary>The line's key, or null when the line is not to be stored: it repeats an earlier line of the file
    /// (a warning) or reuses its reference for another transaction (a problem).</summary>
    public string? Next(int line, string? bankRef, DateOnly booking, long amount, string direction, bool reversal, string content)
    {
        if (string.IsNullOrEmpty(bankRef))
        {
            var basis = $"{booking:yyyy-MM-dd}|{amount}|{direction}|{content}";
            var n = _occurrences[basis] = _occurrences.GetValueOrDefault(basis) + 1;
            return $"nr:{booking:yyyyMMdd}:{amount}:{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(basis)))[..16]}:{n}";
        }
        var key = ForReference(bankRef, direction, reversal);
        if (!_seen.TryGetValue(key, out var first))
        {
            _seen[key] = (line, amount, booking, Words(content));
            return key;
        }
        if (first.Amount == amount && first.Booking == booking && first.Content == Words(content))
        {
            Warnings.Add($"{fileName}, line {line}: repeats line {first.Line} (reference {bankRef}, {Money(amount)} đồng on {booking:yyyy-MM-dd}); kept once.");
            WarningsVi.Add($"{fileName}, dòng {line}: lặp lại dòng {first.Line} (mã giao dịch {bankRef}, {Dong(amount)} đồng ngày {booking:dd/MM/yyyy}); chỉ giữ một lần.");
            return null;
        }
        if (first.Amount == amount && first.Booking == booking)
        {
            Problems.Add(new InputProblem(fileName, line, null,
                $"the bank reference {bankRef} is also on line {first.Line} for the same {Money(amount)} đồng on {booking:yyyy-MM-dd}, but with another description; a reference names one transaction, so the file is not imported (ask the bank for a corrected statement).",
                $"mã giao dịch {bankRef} đã có ở dòng {first.Line} với cùng {Dong(amount)} đồng ngày {booking:dd/MM/yyyy}, nhưng nội dung khác; một mã chỉ thuộc một giao dịch nên không nhập tệp này (đề nghị ngân hàng gửi lại sao kê đúng)."));
            return null;
        }
        Problems.Add(new InputProblem(fileName, line, null,
            $"the bank reference {bankRef} is also on line {first.Line} for {Money(first.Amount)} đồng on {first.Booking:yyyy-MM-dd}, but here for {Money(amount)} đồng on {booking:yyyy-MM-dd}; a reference names one transaction, so the file is not imported (ask the bank for a corrected statement).",
            $"mã giao dịch {bankRef} đã có ở dòng {first.Line} với {Dong(first.Amount)} đồng ngày {first.Booking:dd/MM/yyyy}, nhưng ở đây là {Dong(amount)} đồng ngày {booking:dd/MM/yyyy}; một mã chỉ thuộc một giao dịch nên không nhập tệp này (đề nghị ngân hàng gửi lại sao kê đúng)."));
        return null;
    }

    /// <summary>A description compared by its words: spacing and line breaks of one file's layout do not make another transaction.</summary>
    private static string Words(string content) => string.Join(' ', content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    internal static string Money(long amount) => amount.ToString("#,0", CultureInfo.InvariantCulture);
    internal static string Dong(long amount) => Money(amount).Replace(',', '.');
}
