using System.Globalization;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The collection aggregates per school, public, for the city's other systems: the same rows as `report
/// collection --by school`, with no personal data (no pupil is named or counted alone).
/// </summary>
public static class OpenData
{
    public sealed record SchoolCollection(string School, string SchoolName, string Period, long Notices, long AmountDueVnd, long AmountCollectedVnd,
        decimal? CollectionRate, long CashlessVnd, long CashVnd, long OutstandingVnd);

    public static readonly string[] Columns =
        ["school", "school_name", "period", "notices", "amount_due", "amount_collected", "collection_rate", "cashless_amount", "cash_amount", "outstanding"];

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/du-lieu-mo/thu-hoc-phi/{file}", async (string file, CollectionReport report, CancellationToken ct) =>
        {
            var dot = file.LastIndexOf('.');
            if (dot < 0 || !BillingMonth.TryParse(file[..dot], out var month) || file[(dot + 1)..] is not ("json" or "csv"))
                return ApiProblems.NotFound("Ask for a month like 2025-09.json or 2025-09.csv.");
            var rows = (await report.QueryAsync(month.Key, month.Key, "school", ct)).Select(r => new SchoolCollection(r.Scope, r.ScopeName, month.ToString(), r.Notices,
                r.AmountDue, r.Collected, r.AmountDue == 0 ? null : Math.Round(r.Collected / (decimal)r.AmountDue, 4), r.Cashless, r.Cash, r.AmountDue - r.Collected)).ToList();
            if (file.EndsWith(".json", StringComparison.Ordinal)) return Results.Ok(rows);
            string N(long v) => v.ToString(CultureInfo.InvariantCulture);
            return Results.Text(Files.CsvFile.Text(Columns, rows.Select(r => (IEnumerable<string>)
                [r.School, r.SchoolName, r.Period, N(r.Notices), N(r.AmountDueVnd), N(r.AmountCollectedVnd),
                 r.CollectionRate?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "", N(r.CashlessVnd), N(r.CashVnd), N(r.OutstandingVnd)])),
                "text/csv; charset=utf-8");
        });
    }
}
