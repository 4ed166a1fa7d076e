using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Domain.Schedule;

/// <summary>
/// A month of credit lines in camt.053 against the demo authority's open notices: parsed, imported, matched
/// and applied, beside a PostgreSQL COPY of the same lines into the same table, in the same run. Each line arrives
/// on the account of its pupil's school (one statement per account), as it would in life: a code of another school's
/// pupil is only ever a suggestion, so lines all on one account would measure suggestions, not money applied.
/// </summary>
public static class ReconcileBenchmark
{
    public static async Task RunAsync(string cs, int count, int workers, int rounds)
    {
        var clock = new BusinessClock(TimeProvider.System);
        var actor = new Actor("bench");
        List<(string Code, string Bank, string Account)> pupils;
        await using (var db = Database.Open(cs))
        {
            await Database.MigrateAsync(db);
            if (!db.Schools.Any())
                await new DemoSeeder(db, clock, actor, 20250905).SeedRosterAsync(DemoSeeder.CitySchools, DemoSeeder.CityStudents, null);
            if (!db.Notices.Any(n => n.PeriodKey == 202509))
                await new MonthlyBilling(db, clock, actor).IssueAsync(new BillingMonth(2025, 9), null, false);
            // The school's first account receives its pupils' money.
            var accounts = (await db.BankAccounts.AsNoTracking().OrderBy(a => a.AccountNo).ToListAsync())
                .GroupBy(a => a.SchoolId).ToDictionary(g => g.Key, g => g.First());
            pupils = (await db.Students.AsNoTracking().Select(s => new { s.PaymentCode, s.SchoolId }).ToListAsync())
                .Where(s => accounts.ContainsKey(s.SchoolId)).Select(s => (s.PaymentCode, accounts[s.SchoolId].Bank, accounts[s.SchoolId].AccountNo)).ToList();
        }
        // Round 1 runs in a new process, as `fees reconcile` does; the rounds after it in a warm one, as the service's
        // scheduled job does (its code compiled by then: the first round spends a good part of its CPU in the JIT).
        var ratios = new List<double>();
        for (var round = 1; round <= Math.Max(1, rounds); round++)
        {
            Console.WriteLine(round == 1 ? "round 1 (a new process, as `fees reconcile` runs):" : $"round {round} (warm, as the service's scheduled job runs):");
            var ratio = await RoundAsync(cs, count, workers, pupils, clock, actor);
            if (round > 1) ratios.Add(ratio);
        }
        if (ratios.Count > 0)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warm rounds against the COPY of every row written: {string.Join(", ", ratios.Select(r => r.ToString("0.0", CultureInfo.InvariantCulture)))}×; median {ratios.Order().ElementAt(ratios.Count / 2):0.0}×"));
    }

    /// <summary>One measured run from the billed month with no money in it; gives its ratio to the COPY of every row it wrote.</summary>
    private static async Task<double> RoundAsync(string cs, int count, int workers, List<(string Code, string Bank, string Account)> pupils, BusinessClock clock, Actor actor)
    {
        // Every run starts from the billed month with no money in it, so runs compare.
        await Exec(cs, """
            TRUNCATE statement_lines, statement_imports, reconciliations, review_decisions, payments, allocations, refunds, receipts, bank_ref_claims CASCADE;
            UPDATE notices SET amount_paid_vnd = 0, status = 'issued' WHERE status IN ('partially_paid', 'paid');
            UPDATE receipt_series SET next_number = 1;
            """);
        // The reset leaves dead rows behind; without this autovacuum would take them up during the measured run, in some rounds only.
        await Exec(cs, "VACUUM ANALYZE");

        var rng = new Random(3);
        var entries = new Dictionary<(string Bank, string Account), StringBuilder>();
        int clean = 0, typos = 0, interest = 0;
        for (var i = 0; i < count; i++)
        {
            var (code, bank, account) = pupils[rng.Next(pupils.Count)];
            string text;
            var roll = rng.Next(100);
            if (roll < 85) { text = $"MBVCB.{rng.Next(1000000, 9999999)}.{code.ToLowerInvariant()} hoc phi thang 9"; clean++; }
            else if (roll < 95) { text = $"hoc phi {code[..^1]}{(char)('0' + (code[^1] - '0' + 1) % 10)}"; typos++; }
            else { text = "TRA LAI TIEN GUI"; interest++; }
            if (!entries.TryGetValue((bank, account), out var xml)) entries[(bank, account)] = xml = new StringBuilder();
            xml.Append(CultureInfo.InvariantCulture, $"<Ntry><Amt Ccy=\"VND\">{rng.Next(5, 20) * 100_000}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2025-09-{1 + i % 28:D2}</Dt></BookgDt><AcctSvcrRef>B{i:D7}</AcctSvcrRef><NtryDtls><TxDtls><RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>");
        }
        var files = new List<(string Bank, string Account, string File)>();
        foreach (var ((bank, account), ntries) in entries)
        {
            var file = Path.Combine(Path.GetTempPath(), $"camt-{count}-{account}.xml");
            await File.WriteAllTextAsync(file, $"""<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt><Stmt><Id>BENCH</Id><Acct><Id><Othr><Id>{account}</Id></Othr></Id></Acct>{ntries}</Stmt></BkToCstmrStmt></Document>""");
            files.Add((bank, account, file));
        }

        var insertedBefore = await RowsInsertedAsync(cs);
        // Every row the run inserts or updates carries a transaction id from here on (xmin): what the floor below copies.
        var firstXid = await ScalarAsync(cs, "SELECT txid_current() % 4294967296");
        // The cluster's postmaster, whose processes are PostgreSQL's share of the CPU (not another cluster on the machine).
        var postmaster = Cpu.ParentOf((int)await ScalarAsync(cs, "SELECT pg_backend_pid()"));
        // A checkpoint owed by the reset starts now, not inside the measured run.
        await Exec(cs, "CHECKPOINT");
        var cpuBefore = Cpu.Now(postmaster);
        var (pausedBefore, allocatedBefore, gen2Before) = (GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(), GC.CollectionCount(2));
        var sw = Stopwatch.StartNew();
        var perFile = new List<double>();
        foreach (var (bank, account, file) in files)
        {
            var fileStarted = sw.Elapsed.TotalSeconds;
            await using var db = Database.Open(cs);
            await new StatementImporter(db, clock, actor).ImportAsync(file, bank, account, "camt053");
            perFile.Add(sw.Elapsed.TotalSeconds - fileStarted);
        }
        var importSeconds = sw.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import: first file {perFile[0]:0.00} s, median of the others {perFile.Skip(1).Order().ElementAtOrDefault(perFile.Count / 2 - 1):0.000} s"));
        Dictionary<string, int> outcomes;
        await using (var db = Database.Open(cs)) outcomes = await new Reconciler(db, clock, actor) { Workers = workers }.RunAsync(null);
        var totalSeconds = sw.Elapsed.TotalSeconds;
        var cpu = Cpu.Now(postmaster) - cpuBefore;
        foreach (var (_, _, file) in files) File.Delete(file);
        var applied = await Count(cs, "payments");
        // What the run wrote, table by table (PostgreSQL's own counters: rows inserted and updated).
        var insertedAfter = await RowsInsertedAsync(cs);
        var wrote = insertedAfter.Select(t => (t.Key, Inserted: t.Value.Inserted - insertedBefore.GetValueOrDefault(t.Key).Inserted,
                Updated: t.Value.Updated - insertedBefore.GetValueOrDefault(t.Key).Updated))
            .Where(t => t.Inserted > 0 || t.Updated > 0).OrderByDescending(t => t.Inserted + t.Updated).ToList();
        Console.WriteLine("rows the run wrote (inserted/updated): " + string.Join(", ", wrote.Select(t => $"{t.Key} {t.Inserted:N0}/{t.Updated:N0}")));

        // Baseline 1: the same imported lines copied out and back into a table of the same shape.
        // A checkpoint owed by the run is taken now, not inside the baselines' copies.
        await Exec(cs, "CHECKPOINT");
        var (copySeconds, _) = await CopyBackAsync(cs, [("statement_lines", "true")]);
        // Baseline 2: every row the run wrote, in every table (lines, payments, allocations, receipts and their items,
        // decisions, reference claims, messages to guardians, the audit log, the notices it updated...: each row whose
        // version the run's transactions made), copied the same way: the floor of writing them at all, before the
        // foreign keys the real tables also check. (Until 2026-12-07 it copied five of these tables, 357,6xx rows.)
        var (floorSeconds, rowsWritten) = await CopyBackAsync(cs, wrote.Select(t => (t.Key, $"xmin::text::bigint >= {firstXid}")).ToList());

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {count:N0} camt.053 credit lines on {files.Count} accounts, {applied:N0} applied: parse + import {importSeconds:0.0} s, reconcile and apply {totalSeconds - importSeconds:0.0} s | {totalSeconds:0.0} s | COPY {copySeconds:0.00} s | {totalSeconds / copySeconds:0}× |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| the {rowsWritten:N0} rows the run wrote, copied in one go | {totalSeconds:0.0} s | COPY {floorSeconds:0.00} s | {totalSeconds / floorSeconds:0.0}× |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU during the {totalSeconds:0.0} s (import and reconcile): this process {cpu.Process:0.0} s (GC: {(GC.GetTotalAllocatedBytes() - allocatedBefore) / 1e9:0.0} GB allocated, paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:0.0} s, {GC.CollectionCount(2) - gen2Before} full collections), PostgreSQL {cpu.Postgres:0.0} s ({Environment.ProcessorCount} cores: {Environment.ProcessorCount * totalSeconds:0.0} s available)"));
        Console.WriteLine($"reconciled by {workers} worker(s); applied (a payment written): {applied:N0} of {count:N0} lines; generated: {clean} with a valid code, {typos} with a typo, {interest} interest; outcomes: " +
                          string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Value} {o.Key}")));
        return totalSeconds / floorSeconds;
    }

    /// <summary>
    /// Copies the tables' rows (those the filter picks) out, then times copying them back into empty tables with the same
    /// columns, indexes and checks, three times; gives the median seconds and the rows copied.
    /// </summary>
    private static async Task<(double Seconds, long Rows)> CopyBackAsync(string cs, IReadOnlyList<(string Table, string Where)> tables)
    {
        var dumps = new List<(string Table, byte[] Rows)>();
        long count = 0;
        foreach (var (table, where) in tables)
        {
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync();
            await using var ms = new MemoryStream();
            await using (var raw = await conn.BeginRawBinaryCopyAsync($"COPY (SELECT * FROM {table} WHERE {where}) TO STDOUT (FORMAT BINARY)")) await raw.CopyToAsync(ms);
            dumps.Add((table, ms.ToArray()));
            count += await ScalarAsync(cs, $"SELECT count(*) FROM {table} WHERE {where}");
            await Exec(cs, $"DROP TABLE IF EXISTS bench_{table}; CREATE TABLE bench_{table} (LIKE {table} INCLUDING ALL)");
        }
        // Three times into emptied tables, the median: one copy alone varied by a quarter from round to round.
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            if (i > 0) await Exec(cs, string.Concat(tables.Select(t => $"TRUNCATE bench_{t.Table}; ")));
            var sw = Stopwatch.StartNew();
            await using (var conn = new NpgsqlConnection(cs))
            {
                await conn.OpenAsync();
                foreach (var (table, rows) in dumps)
                {
                    await using var raw = await conn.BeginRawBinaryCopyAsync($"COPY bench_{table} FROM STDIN (FORMAT BINARY)");
                    await raw.WriteAsync(rows);
                }
            }
            times.Add(sw.Elapsed.TotalSeconds);
        }
        var seconds = times.Order().ElementAt(1);
        foreach (var (table, _) in tables) await Exec(cs, $"DROP TABLE IF EXISTS bench_{table}");
        return (seconds, count);
    }

    /// <summary>Rows inserted and updated per table so far (pg_stat_user_tables; each connection's counts are in once it has closed).</summary>
    private static async Task<Dictionary<string, (long Inserted, long Updated)>> RowsInsertedAsync(string cs)
    {
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT relname, n_tup_ins, n_tup_upd FROM pg_stat_user_tables WHERE relname NOT LIKE 'bench\\_%'", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        var rows = new Dictionary<string, (long, long)>();
        while (await r.ReadAsync()) rows[r.GetString(0)] = (r.GetInt64(1), r.GetInt64(2));
        return rows;
    }

    private static Task<long> Count(string cs, string table) => ScalarAsync(cs, $"SELECT count(*) FROM {table}");

    private static async Task<long> ScalarAsync(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task Exec(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync();
    }
}
