using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>Storing what was read: the lines copied in, joined to the account's earlier lines, all or nothing.</summary>
public sealed partial class StatementImporter
{
    private async Task<StatementImportResult> StoreAsync(SchoolBankAccount account, string name, string format, string sha,
        (List<StatementLineRow> Rows, StatementLineKeys Keys) read, List<StatementBalance> balances, List<DayBalance> days, DateOnly? pulledThrough, CancellationToken ct,
        DateOnly? coveredFrom = null)
    {
        var (bank, rows) = (account.Bank, read.Rows);
        // Balances that do not chain are worth a look (a missing day, a file of another account), not a refusal.
        var warnings = read.Keys.Warnings;
        var warningsVi = read.Keys.WarningsVi;
        for (var i = 1; i < balances.Count; i++)
            if (balances[i].Opening is { } open && balances[i - 1].Closing is { } close && open != close)
            {
                warnings.Add($"{name}, line {balances[i].Line}: statement {balances[i].StatementId} opens at {open} but the one before closed at {close}.");
                warningsVi.Add($"{name}, dòng {balances[i].Line}: sao kê {balances[i].StatementId} có số dư đầu {open} nhưng sao kê trước có số dư cuối {close}.");
            }
        var previous = await db.StatementImports.AsNoTracking().Where(x => x.AccountId == account.Id && x.ClosingBalance != null)
            .OrderByDescending(x => x.At).Select(x => new { x.FileName, x.ClosingBalance }).FirstOrDefaultAsync(ct);
        if (previous is not null && balances.FirstOrDefault()?.Opening is { } firstOpen && firstOpen != previous.ClosingBalance)
        {
            warnings.Add($"{name}: the opening balance {firstOpen} does not follow the closing balance {previous.ClosingBalance} of {previous.FileName}, imported before.");
            warningsVi.Add($"{name}: số dư đầu {firstOpen} không nối tiếp số dư cuối {previous.ClosingBalance} của {previous.FileName} đã nhập trước.");
        }

        // Joins a caller's transaction: the statement page's preview imports and decides, then rolls everything back.
        await using var tx = await UnitOfWork.BeginAsync(db, ct);
        await JoinReadBeforeAsync(account, name, rows, warnings, warningsVi, ct);
        var import = new StatementImport
        {
            OpeningBalance = balances.FirstOrDefault()?.Opening,
            ClosingBalance = balances.LastOrDefault()?.Closing,
            Id = Guid.CreateVersion7(), AccountId = account.Id, FileName = name, Format = format, Lines = rows.Count, At = clock.Now, Actor = actor.Name,
            FileSha256 = sha,
            FileCreditsVnd = rows.Where(r => r.Direction == "credit").Sum(r => r.AmountVnd),
            FileDebitsVnd = rows.Where(r => r.Direction == "debit").Sum(r => r.AmountVnd),
            CoveredFrom = coveredFrom, CoveredThrough = coveredFrom is null ? null : pulledThrough,
        };
        db.StatementImports.Add(import);
        db.StatementBalances.AddRange(days.Select(d => new StatementBalanceRow
        {
            Id = Guid.CreateVersion7(), AccountId = account.Id, ImportId = import.Id, Day = d.Day, BalanceVnd = d.BalanceVnd, Stated = d.Stated, FileLine = d.FileLine,
        }));
        await db.SaveChangesAsync(ct);

        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var create = new NpgsqlCommand("CREATE TEMP TABLE incoming_lines (LIKE statement_lines INCLUDING DEFAULTS) ON COMMIT DROP", conn))
            await create.ExecuteNonQueryAsync(ct);
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY incoming_lines (id, account_id, import_id, bank, dedupe_key, bank_ref, customer_ref, statement_id, booking_date, value_date, direction, reversal, amount_vnd, type, content, counterparty_name, counterparty_account, file_line, virtual_account) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var r in rows)
            {
                w.StartRow();
                w.Write(r.Id, NpgsqlDbType.Uuid);
                w.Write(r.AccountId, NpgsqlDbType.Uuid);
                w.Write(import.Id, NpgsqlDbType.Uuid);
                w.Write(r.Bank, NpgsqlDbType.Text);
                w.Write(r.DedupeKey, NpgsqlDbType.Text);
                WriteText(w, r.BankRef);
                WriteText(w, r.CustomerRef);
                WriteText(w, r.StatementId);
                w.Write(r.BookingDate, NpgsqlDbType.Date);
                if (r.ValueDate is { } vd) w.Write(vd, NpgsqlDbType.Date); else w.WriteNull();
                w.Write(r.Direction, NpgsqlDbType.Text);
                w.Write(r.Reversal, NpgsqlDbType.Boolean);
                w.Write(r.AmountVnd, NpgsqlDbType.Bigint);
                WriteText(w, r.Type);
                w.Write(r.Content, NpgsqlDbType.Text);
                WriteText(w, r.CounterpartyName);
                WriteText(w, r.CounterpartyAccount);
                w.Write(r.FileLine, NpgsqlDbType.Integer);
                WriteText(w, r.VirtualAccount);
            }
            await w.CompleteAsync(ct);
        }
        if (rows.Count >= ProgressFromLines) Progress?.Report($"  {name}: {rows.Count:N0} lines copied; storing them with the account's earlier lines (nothing is kept unless all are)...");
        await StatementReferences.RefuseReusedAsync(conn, account.Id, name, ct);
        int inserted;
        await using (var move = new NpgsqlCommand("""
            INSERT INTO statement_lines SELECT * FROM incoming_lines ON CONFLICT (account_id, dedupe_key) DO NOTHING
            """, conn))
            inserted = await move.ExecuteNonQueryAsync(ct);
        foreach (var r in await StatementReferences.LinkAsync(conn, account.Id, import.Id, fromApi: format == "api", ct))
        {
            warnings.Add($"{name}: the bank describes line {r} otherwise than the file that brought it; it is not confirmed: check it with the bank.");
            warningsVi.Add($"{name}: ngân hàng ghi nội dung giao dịch {r} khác với tệp đã nhập trước; giao dịch chưa được xác nhận, hãy đối chiếu với ngân hàng.");
        }

        if (pulledThrough is { } through)
            await db.Database.ExecuteSqlAsync($"UPDATE school_bank_accounts SET statements_pulled_through = {through} WHERE id = {account.Id}", ct);
        import.Inserted = inserted;
        import.Skipped = rows.Count - inserted;
        AuditLog.Record(db, clock, actor, "statements.import", "statement_import", import.Id.ToString(),
            new { bank, file = name, lines = rows.Count, inserted, skipped = import.Skipped });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // A large file can multiply the table before autovacuum looks at it: with the old statistics the planner takes
        // the table for nearly empty and the reconciliation and the audit that follow would join it row by row.
        if (inserted >= AnalyzeFromLines) await db.Database.ExecuteSqlRawAsync("ANALYZE statement_lines", ct);
        return new StatementImportResult(rows.Count, inserted, import.Skipped, warnings)
        {
            ImportId = import.Id, AccountId = account.Id, Keys = rows.Select(r => r.DedupeKey).ToList(), WarningsVi = warningsVi,
        };
    }

    /// <summary>Lines at which an import refreshes the table's statistics at once.</summary>
    public const int AnalyzeFromLines = 10_000;

    private static void WriteText(NpgsqlBinaryImporter w, string? v)
    {
        if (v is null) w.WriteNull();
        else w.Write(v, NpgsqlDbType.Text);
    }
}
