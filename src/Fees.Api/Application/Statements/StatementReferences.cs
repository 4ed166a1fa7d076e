using Npgsql;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>
/// What an import does with lines whose key is already stored for the account, inside the import's transaction
/// (the lines sit in the temporary table <c>incoming_lines</c>). The same transaction again is skipped; a
/// reference the account already holds for another amount, day or direction is refused, naming the line and the
/// earlier file, because skipping it would drop a transaction's money without a word.
/// </summary>
internal static class StatementReferences
{
    // Every incoming line is of the import's account; saying so again as a constant lets the planner probe the account's
    // key index line by line instead of hashing the whole table of every account's lines, once per import (found by
    // profiling: 20–90 ms a file at 60,000 stored lines, growing with every month kept).
    /// <summary>At most this many such lines are named in one refusal.</summary>
    private const int Named = 20;

    public static async Task RefuseReusedAsync(NpgsqlConnection conn, Guid accountId, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            SELECT i.file_line, COALESCE(i.bank_ref, i.dedupe_key), i.amount_vnd, i.booking_date, i.direction, s.amount_vnd, s.booking_date, s.direction, f.file_name, s.file_line
            FROM incoming_lines i
            JOIN statement_lines s ON s.account_id = i.account_id AND s.dedupe_key = i.dedupe_key AND s.account_id = $1
            JOIN statement_imports f ON f.id = s.import_id
            WHERE (s.amount_vnd, s.booking_date, s.direction, s.reversal) IS DISTINCT FROM (i.amount_vnd, i.booking_date, i.direction, i.reversal)
            ORDER BY i.file_line LIMIT {Named}
            """, conn) { Parameters = { new() { Value = accountId } } };
        var problems = new List<InputProblem>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
            {
                var (line, bankRef, amount, day) = (r.GetInt32(0), r.GetString(1), r.GetInt64(2), r.GetFieldValue<DateOnly>(3));
                var (before, beforeDay, beforeFile, beforeLine) = (r.GetInt64(5), r.GetFieldValue<DateOnly>(6), r.GetString(8), r.GetInt32(9));
                problems.Add(new InputProblem(name, line, null,
                    $"the bank reference {bankRef} was imported before ({beforeFile}, line {beforeLine}) for {StatementLineKeys.Money(before)} đồng on {beforeDay:yyyy-MM-dd}, but here it is {StatementLineKeys.Money(amount)} đồng on {day:yyyy-MM-dd}; a reference names one transaction, so the file is not imported.",
                    $"mã giao dịch {bankRef} đã được nhập trước đây ({beforeFile}, dòng {beforeLine}) với {StatementLineKeys.Dong(before)} đồng ngày {beforeDay:dd/MM/yyyy}, nhưng ở đây là {StatementLineKeys.Dong(amount)} đồng ngày {day:dd/MM/yyyy}; một mã chỉ thuộc một giao dịch nên không nhập tệp này."));
            }
        if (problems.Count > 0) throw new BadInputException(problems);
    }

    /// <summary>
    /// Ties the import to each line it carries. A bank's statement API confirms a line an uploaded file brought first
    /// only when it describes it the same way: the file's text, in letters and digits, equal to the API's or the start of
    /// it (a file may cut a long text). Otherwise the tie says it disagrees, and the line's references are returned (found by
    /// attack: a file uploaded before the pull rewrote a real line's text into a pupil's payment code, and the pull then
    /// counted the line as the bank's).
    /// </summary>
    public static async Task<List<string>> LinkAsync(NpgsqlConnection conn, Guid accountId, Guid importId, bool fromApi, CancellationToken ct)
    {
        // A line another API import brought is the bank's own word already: only a file's text is held to the API's.
        // The texts compared once each, in letters and digits, upper case: the stored line's (f) and the API's (a).
        const string same = """
            (EXISTS (SELECT 1 FROM statement_imports o WHERE o.id = s.import_id AND o.format = 'api')
             OR (SELECT t.f = t.a OR (t.f <> '' AND starts_with(t.a, t.f))
                 FROM (SELECT upper(regexp_replace(s.content, '[^0-9A-Za-z]', '', 'g')) AS f, upper(regexp_replace(i.content, '[^0-9A-Za-z]', '', 'g')) AS a) t))
            """;
        var differing = new List<string>();
        if (fromApi)
        {
            await using var find = new NpgsqlCommand($"""
                SELECT DISTINCT COALESCE(s.bank_ref, s.dedupe_key) FROM incoming_lines i
                JOIN statement_lines s ON s.account_id = i.account_id AND s.dedupe_key = i.dedupe_key AND s.account_id = $2
                WHERE s.import_id <> $1 AND NOT {same} ORDER BY 1
                """, conn) { Parameters = { new() { Value = importId }, new() { Value = accountId } } };
            await using var r = await find.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) differing.Add(r.GetString(0));
        }
        await using var cmd = new NpgsqlCommand($"""
            INSERT INTO statement_import_lines (import_id, line_id, disagrees)
            SELECT $1, s.id, bool_or($2 AND s.import_id <> $1 AND NOT {same})
            FROM incoming_lines i JOIN statement_lines s ON s.account_id = i.account_id AND s.dedupe_key = i.dedupe_key AND s.account_id = $3
            GROUP BY s.id
            """, conn) { Parameters = { new() { Value = importId }, new() { Value = fromApi }, new() { Value = accountId } } };
        await cmd.ExecuteNonQueryAsync(ct);
        return differing;
    }
}
