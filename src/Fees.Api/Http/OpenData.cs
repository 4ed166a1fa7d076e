using System.Globalization;
using System.Text.Json.Serialization;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The collection aggregates per school, public, for the city's other systems: the rows of `report collection --by
/// school` for the months schools have closed (a month is published with the schools that closed it), read from the
/// summary tables. No personal data: no pupil is named or counted alone. An index lists the months; each month has its
/// metadata (licence, publisher, generation time, what each field means) beside its JSON and CSV. Any web page may
/// read them (CORS, GET only).
/// </summary>
public static class OpenData
{
    public const string Root = "/du-lieu-mo/thu-hoc-phi";

    public const string Licence = "CC BY 4.0", LicenceUrl = "https://creativecommons.org/licenses/by/4.0/";

    public sealed record SchoolCollection(string School, string SchoolName, string Period, long Notices, long AmountDueVnd, long AmountCollectedVnd,
        decimal? CollectionRate, long CashlessVnd, long CashVnd, long OutstandingVnd, string Ward, string Level, DateTimeOffset ClosedAt);

    /// <summary>The CSV columns: the first ten as they always were (never renamed or dropped), then what was added.</summary>
    public static readonly string[] Columns =
        ["school", "school_name", "period", "notices", "amount_due", "amount_collected", "collection_rate", "cashless_amount", "cash_amount", "outstanding",
         "ward", "level", "closed_at"];

    public sealed record Field(
        [property: JsonPropertyName("json")] string Json, [property: JsonPropertyName("csv")] string Csv, [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("unit")] string? Unit, [property: JsonPropertyName("vi")] string Vi, [property: JsonPropertyName("en")] string En);

    /// <summary>What each field means, in both languages (the metadata of every month).</summary>
    public static readonly Field[] Fields =
    [
        new("school", "school", "string", null, "Mã trường", "School code"),
        new("schoolName", "school_name", "string", null, "Tên trường", "School name"),
        new("period", "period", "string (yyyy-MM)", null, "Tháng thu", "Billing month"),
        new("notices", "notices", "integer", null, "Số thông báo thu đã lập trong tháng, không tính thông báo đã huỷ", "Fee notices issued for the month, cancelled ones left out"),
        new("amountDueVnd", "amount_due", "integer", "VND", "Số tiền phải thu của các thông báo đó", "What those notices ask for"),
        new("amountCollectedVnd", "amount_collected", "integer", "VND", "Số tiền đã thu vào các thông báo của tháng, dù nộp vào ngày nào", "Money put on the month's notices, whenever it came"),
        new("collectionRate", "collection_rate", "decimal (4 places)", null, "Đã thu chia phải thu; để trống khi không có gì phải thu", "Collected divided by due; empty when nothing is due"),
        new("cashlessVnd", "cashless_amount", "integer", "VND", "Phần đã thu không dùng tiền mặt (chuyển khoản, thanh toán hoá đơn)", "Of it, paid without cash (transfer, bill payment)"),
        new("cashVnd", "cash_amount", "integer", "VND", "Phần đã thu bằng tiền mặt tại trường", "Of it, paid in cash at the school"),
        new("outstandingVnd", "outstanding", "integer", "VND", "Còn phải thu: phải thu trừ đã thu", "Still to collect: due minus collected"),
        new("ward", "ward", "string", null, "Phường, xã của trường", "The school's ward"),
        new("level", "level", "string", null, "Cấp học: MN, MG, TH, THCS, THPT", "Level: MN, MG, TH, THCS, THPT"),
        new("closedAt", "closed_at", "date-time (ISO 8601)", null, "Lúc trường khoá sổ tháng này", "When the school closed the month"),
    ];

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Root);
        // Any page may read the open data: GET answers (errors too) say so; nothing else under it is offered cross-origin.
        group.AddEndpointFilter(async (context, next) =>
        {
            context.HttpContext.Response.Headers.AccessControlAllowOrigin = "*";
            return await next(context);
        });
        // Anonymous readers share what the open data may take, per address and all together (OpenDataLimit); its 429s
        // are readable cross-origin too, so this filter runs inside the one above.
        group.AddEndpointFilter(app.ServiceProvider.GetRequiredService<OpenDataLimit>().FilterAsync);
        group.MapGet("/index.json", async (CollectionSummary summary, BusinessClock clock, CancellationToken ct) =>
        {
            var months = await summary.PublishedAsync(ct);
            return Results.Json(new Index(Title, TitleEn, await summary.PublisherAsync(ct), new LicenceInfo(Licence, LicenceUrl), clock.Now.ToOffset(Offset), Published,
                months.Select(m => Month(m)).ToList()));
        });
        group.MapGet("/{file}", async (string file, CollectionSummary summary, BusinessClock clock, HttpContext http, CancellationToken ct) =>
        {
            var (period, kind) = Parse(file);
            if (period is not { } month)
                return ApiProblems.NotFound("Ask for index.json or a month like 2025-09.json, 2025-09.csv or 2025-09.metadata.json.");
            var published = (await summary.PublishedAsync(ct)).FirstOrDefault(m => m.PeriodKey == month.Key);
            if (published is null)
                return ApiProblems.NotFound($"{month} is not published: no school has closed it yet (see {Root}/index.json).");
            if (kind == "metadata")
                return Results.Json(new Metadata(Title, TitleEn, await summary.PublisherAsync(ct), new LicenceInfo(Licence, LicenceUrl), clock.Now.ToOffset(Offset),
                    Published, Month(published), Fields));
            http.Response.Headers.Link = $"<{Root}/{month}.metadata.json>; rel=\"describedby\"";
            var rows = (await summary.PublishedRowsAsync(month.Key, ct)).Select(r => new SchoolCollection(r.School, r.SchoolName, month.ToString(), r.Notices,
                r.AmountDue, r.Collected, r.AmountDue == 0 ? null : Math.Round(r.Collected / (decimal)r.AmountDue, 4), r.Cashless, r.Cash, r.AmountDue - r.Collected,
                r.Ward, r.Level, r.ClosedAt.ToOffset(Offset))).ToList();
            if (kind == "json") return Results.Ok(rows);
            string N(long v) => v.ToString(CultureInfo.InvariantCulture);
            return Results.Text(Files.CsvFile.Text(Columns, rows.Select(r => (IEnumerable<string>)
                [r.School, r.SchoolName, r.Period, N(r.Notices), N(r.AmountDueVnd), N(r.AmountCollectedVnd),
                 r.CollectionRate?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "", N(r.CashlessVnd), N(r.CashVnd), N(r.OutstandingVnd),
                 r.Ward, r.Level, r.ClosedAt.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture)])),
                "text/csv; charset=utf-8");
        });
    }

    /// <summary>2025-09.json, 2025-09.csv or 2025-09.metadata.json.</summary>
    private static (BillingMonth? Month, string Kind) Parse(string file)
    {
        foreach (var kind in new[] { "metadata.json", "json", "csv" })
            if (file.EndsWith("." + kind, StringComparison.Ordinal) && BillingMonth.TryParse(file[..^(kind.Length + 1)], out var m))
                return (m, kind == "metadata.json" ? "metadata" : kind);
        return (null, "");
    }

    private static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    private const string Title = "Thu các khoản của trường không dùng tiền mặt: số liệu tổng hợp theo trường và tháng";
    private const string TitleEn = "Cashless school fees: collection per school and month";

    private static readonly Words Published = new(
        "Một tháng được công bố khi có trường khoá sổ tháng đó, gồm số liệu của các trường đã khoá sổ. Sau khi khoá sổ, trường không lập thêm thông báo, "
        + "nhưng khoản nộp muộn vẫn được ghi vào thông báo của tháng: số đã thu có thể tăng; mỗi tệp ghi thời điểm lập.",
        "A month is published once a school closes it, with the figures of the schools that closed it. A closed month takes no more notices, but late "
        + "payments still reach its notices, so what is collected can grow; each file says when it was made.");

    private static MonthEntry Month(PublishedMonth m)
    {
        var month = BillingMonth.FromKey(m.PeriodKey);
        return new MonthEntry(month.ToString(), m.Schools, m.SchoolsBilled, m.LastClosedAt.ToOffset(Offset),
            $"{Root}/{month}.json", $"{Root}/{month}.csv", $"{Root}/{month}.metadata.json");
    }

    public sealed record Words([property: JsonPropertyName("vi")] string Vi, [property: JsonPropertyName("en")] string En);

    public sealed record LicenceInfo([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("url")] string Url);

    public sealed record MonthEntry(
        [property: JsonPropertyName("period")] string Period, [property: JsonPropertyName("schools")] long Schools,
        [property: JsonPropertyName("schools_billed")] long SchoolsBilled, [property: JsonPropertyName("last_closed_at")] DateTimeOffset LastClosedAt,
        [property: JsonPropertyName("json")] string Json, [property: JsonPropertyName("csv")] string Csv, [property: JsonPropertyName("metadata")] string Metadata);

    public sealed record Index(
        [property: JsonPropertyName("title")] string Title, [property: JsonPropertyName("title_en")] string TitleEn,
        [property: JsonPropertyName("publisher")] string Publisher, [property: JsonPropertyName("licence")] LicenceInfo Licence,
        [property: JsonPropertyName("generated_at")] DateTimeOffset GeneratedAt, [property: JsonPropertyName("published")] Words PublishedWhen,
        [property: JsonPropertyName("months")] IReadOnlyList<MonthEntry> Months);

    public sealed record Metadata(
        [property: JsonPropertyName("title")] string Title, [property: JsonPropertyName("title_en")] string TitleEn,
        [property: JsonPropertyName("publisher")] string Publisher, [property: JsonPropertyName("licence")] LicenceInfo Licence,
        [property: JsonPropertyName("generated_at")] DateTimeOffset GeneratedAt, [property: JsonPropertyName("published")] Words PublishedWhen,
        [property: JsonPropertyName("month")] MonthEntry Month, [property: JsonPropertyName("fields")] IReadOnlyList<Field> Fields);
}
