using System.Globalization;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Matching;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>
/// One row per statement line (booking date in range) with its outcome, as cli.md fixes the columns: read through
/// <see cref="BankTransactions"/>, the query the transactions page reads, and with the suggestions the review queue shows.
/// </summary>
public sealed class ReconcileExport(FeesDb db)
{
    public static readonly string[] Columns =
    [
        "bank", "account_no", "bank_ref", "booking_date", "amount", "direction", "content", "outcome", "notice_nos", "student_codes", "allocated", "credited", "reason",
        "suggested_student_codes",
    ];

    public async Task<int> WriteAsync(DateOnly? from, DateOnly? to, string path, CancellationToken ct = default)
    {
        var rows = await new BankTransactions(db).ListAsync(new TransactionFilter(From: from, To: to, Channel: "statement"), ct);
        // The review queue's suggestions, best first, as student codes (what a school imports and knows its pupils by).
        var suggested = rows.Where(r => r.Outcome is "suggested" or "unmatched")
            .ToDictionary(r => r.Id, r => SuggestionJson.Read(r.Suggestions).Select(s => s.PaymentCode).ToList());
        var codes = suggested.Values.SelectMany(c => c).Distinct().ToList();
        var studentCodes = codes.Count == 0 ? []
            : await db.Students.AsNoTracking().Where(s => codes.Contains(s.PaymentCode)).ToDictionaryAsync(s => s.PaymentCode, s => s.StudentCode, ct);
        await Files.CsvFile.WriteAsync(path, Columns, rows.Select(r =>
        {
            var credited = r.PaymentAmount > 0 ? r.PaymentAmount - r.Allocated : 0;
            var proposed = suggested.TryGetValue(r.Id, out var c) ? string.Join(';', c.Select(p => studentCodes.GetValueOrDefault(p)).OfType<string>()) : "";
            return (IEnumerable<string>)
            [
                r.Bank, r.AccountNo, r.BankRef ?? "", r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.AmountVnd.ToString(CultureInfo.InvariantCulture),
                r.Direction, r.Content ?? "", r.Outcome, r.NoticeNos ?? "", r.StudentCodes ?? "",
                r.Allocated.ToString(CultureInfo.InvariantCulture), credited.ToString(CultureInfo.InvariantCulture), r.Reason ?? "not reconciled yet", proposed,
            ];
        }), ct);
        return rows.Count;
    }
}
