using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Reports;

/// <summary>
/// The education office's figures kept as summary tables (docs/decisions/0028), so that a dashboard view, its
/// workbook and the open data read a few hundred summary rows instead of every allocation: per school and billing
/// month, and per fee item, the figures of `report collection`; what is still owed per school, month and due date;
/// each receipt series' count and lowest and highest number. Triggers mark the school-months (and series) a
/// statement touched as stale; every read first re-summarises the stale ones with the report's own SQL, one
/// refresher at a time, so a read answers what the ledger holds at that moment.
/// </summary>
public sealed partial class CollectionSummary(FeesDb db)
{
    /// <summary>One refresher at a time (pg_advisory_xact_lock); readers that find nothing stale never take it.</summary>
    public const long RefreshLock = 7310014;

    /// <summary>Above this many school-months, a refresh is a bulk job (a rebuild, the first read after a month was billed everywhere).</summary>
    private const int Bulk = 100;

    private static string PairFilter(string school, string period) =>
        $"({school}, {period}) IN (SELECT x.school_id, x.period_key FROM unnest(@schools, @periods) AS x(school_id, period_key))";

    /// <summary>
    /// How long a read waits for another read's refresh before it answers from the summary as that refresh found it: a
    /// few payments take milliseconds to re-summarise, a month billed across a province a minute, which no view waits for.
    /// </summary>
    public const int ReaderWaitMs = 250;

    /// <summary>
    /// Re-summarises what changed since the last read; returns the school-months and series it re-summarised. A read
    /// (<paramref name="wait"/> false) that finds another refresh under way for longer than <see cref="ReaderWaitMs"/>
    /// re-summarises nothing and reads the summary as it stands.
    /// </summary>
    public async Task<(int Months, int Series)> RefreshAsync(CancellationToken ct = default, bool wait = false)
    {
        var conn = await OpenAsync(ct);
        await using (var probe = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM summary_stale_months) OR EXISTS (SELECT 1 FROM summary_stale_series)", conn))
            if (!(bool)(await probe.ExecuteScalarAsync(ct))!) return (0, 0);

        var owned = db.Database.CurrentTransaction is null;
        await using var tx = owned ? await db.Database.BeginTransactionAsync(ct) : null;
        if (tx is not null && !wait)
        {
            await ExecAsync(conn, $"SET LOCAL lock_timeout = '{ReaderWaitMs}ms'", null, ct);
            try
            {
                await ExecAsync(conn, $"SELECT pg_advisory_xact_lock({RefreshLock})", null, ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                await tx.RollbackAsync(ct);
                return (0, 0);
            }
            await ExecAsync(conn, "SET LOCAL lock_timeout = 0", null, ct);
        }
        else await ExecAsync(conn, $"SELECT pg_advisory_xact_lock({RefreshLock})", null, ct);
        // Claimed first, summarised after: a mark is taken only once its writer has committed, and what that writer
        // wrote is then visible to the statements below; a writer still open keeps its mark for the next read.
        var pairs = new List<(Guid School, int Period)>();
        await using (var claim = new NpgsqlCommand("DELETE FROM summary_stale_months RETURNING school_id, period_key", conn))
        await using (var r = await claim.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) pairs.Add((r.GetGuid(0), r.GetInt32(1)));
        pairs = pairs.Distinct().ToList();
        var series = new List<Guid>();
        await using (var claim = new NpgsqlCommand("DELETE FROM summary_stale_series RETURNING series_id", conn))
        await using (var r = await claim.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) series.Add(r.GetGuid(0));
        series = series.Distinct().ToList();

        // One statement per month: a few school-months walk the indexes, a whole month reads its tables once (reading
        // them once per hundred schools cost a province minutes). Bulk sets get room to hash in memory.
        if (pairs.Count > Bulk) await ExecAsync(conn, "SET LOCAL work_mem = '128MB'", null, ct);
        foreach (var month in pairs.GroupBy(p => p.Period)) await SummariseAsync(conn, month.ToArray(), ct);
        if (series.Count > 0)
            await ExecAsync(conn, $"""
                DELETE FROM summary_receipt_series WHERE series_id = ANY(@series);
                INSERT INTO summary_receipt_series (series_id, receipts, min_number, max_number) {SeriesSql("s.id = ANY(@series)")};
                """, c => c.Parameters.Add(new NpgsqlParameter("series", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = series.ToArray() }), ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return (pairs.Count, series.Count);
    }

    /// <summary>Marks every school-month and series stale and summarises them again: after a bulk load, or to repair.</summary>
    public async Task<(int Months, int Series)> RebuildAsync(CancellationToken ct = default)
    {
        var conn = await OpenAsync(ct);
        await ExecAsync(conn, """
            INSERT INTO summary_stale_months (school_id, period_key) SELECT school_id, period_key FROM summary_months;
            INSERT INTO summary_stale_months (school_id, period_key) SELECT DISTINCT school_id, period_key FROM notices;
            INSERT INTO summary_stale_series (series_id) SELECT id FROM receipt_series;
            """, null, ct);
        return await RefreshAsync(ct, wait: true);
    }

    /// <summary>The school-months given, summarised again from the ledger: old rows out, the report's figures in.</summary>
    private static async Task SummariseAsync(NpgsqlConnection conn, (Guid School, int Period)[] pairs, CancellationToken ct)
    {
        var sql = $"""
            DELETE FROM summary_months WHERE {PairFilter("school_id", "period_key")};
            DELETE FROM summary_month_items WHERE {PairFilter("school_id", "period_key")};
            DELETE FROM summary_open_notices WHERE {PairFilter("school_id", "period_key")};
            {SummarySql(PairFilter("n.school_id", "n.period_key"))}
            , months AS (
                INSERT INTO summary_months (school_id, period_key, notices, amount_due_vnd, collected_vnd, cashless_vnd, cash_vnd, students, students_paid)
                SELECT * FROM by_month RETURNING 1)
            INSERT INTO summary_month_items (school_id, period_key, item_code, item_name, notices, amount_due_vnd, collected_vnd, cashless_vnd, cash_vnd, students, students_paid)
            SELECT * FROM by_item;
            INSERT INTO summary_open_notices (school_id, period_key, due_date, notices, left_vnd)
            {OwedSql(PairFilter("n.school_id", "n.period_key"))};
            """;
        await ExecAsync(conn, sql, c =>
        {
            c.Parameters.Add(new NpgsqlParameter("schools", NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = pairs.Select(p => p.School).ToArray() });
            c.Parameters.Add(new NpgsqlParameter("periods", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = pairs.Select(p => p.Period).ToArray() });
        }, ct);
    }

    /// <summary>
    /// `by_month` and `by_item`: the report's figures (<see cref="CollectionReport.With"/>, <see cref="CollectionReport.Figures"/>)
    /// per school and month, and per school, month and item, for the notices the filter picks; what the summary holds.
    /// </summary>
    internal static string SummarySql(string noticeFilter) => $"""
        {CollectionReport.With(noticeFilter)}
        , by_month AS (
            SELECT l.school_id, l.period_key, {CollectionReport.Figures}
            FROM lines l JOIN notice_paid np ON np.notice_id = l.notice_id GROUP BY l.school_id, l.period_key)
        , by_item AS (
            SELECT l.school_id, l.period_key, l.item_code, max(l.item_name) AS item_name, {CollectionReport.Figures}
            FROM lines l JOIN notice_paid np ON np.notice_id = l.notice_id GROUP BY l.school_id, l.period_key, l.item_code)
        """;

    /// <summary>What is owed per school, month and due date (<see cref="Ageing.OwedSql"/>) for the notices the filter picks.</summary>
    internal static string OwedSql(string noticeFilter) => $"""
        SELECT n.school_id, n.period_key, n.due_date, count(*) AS notices, SUM(n.amount_due_vnd - n.amount_paid_vnd)::bigint AS left_vnd
        FROM notices n WHERE ({noticeFilter}) AND {Ageing.OwedSql}
        GROUP BY n.school_id, n.period_key, n.due_date
        """;

    /// <summary>Each receipt series' count and lowest and highest number, for the series the filter picks (over `s`).</summary>
    internal static string SeriesSql(string seriesFilter) => $"""
        SELECT s.id AS series_id, count(r.id) AS receipts, min(r.number) AS min_number, max(r.number) AS max_number
        FROM receipt_series s LEFT JOIN receipts r ON r.series_id = s.id WHERE {seriesFilter} GROUP BY s.id
        """;

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open) await db.Database.OpenConnectionAsync(ct);
        return conn;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, Action<NpgsqlCommand>? parameters, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        parameters?.Invoke(cmd);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
