using System.Xml.Linq;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Application.Receipts;

/// <summary>
/// The usage report BC26/BLĐT (contracts/ereceipts.md §11) of one school for a period the tax office sets: per
/// template and series, the numbers used (first, last, how many), those cancelled or replaced, and the fees the
/// standing receipts carry. Signed like a receipt, and queued for the provider under <c>{mst}:report:{from}:{to}</c>;
/// the same period made again with other content is refused, since the provider already holds the first.
/// </summary>
public sealed class UsageReports(FeesDb db, BusinessClock clock, ReceiptCertificateSource certificates)
{
    private sealed record Line(string Template, string Series, long First, long Last, int Used, int Voided, long[] VoidedNumbers, long TotalVnd);

    public async Task<(UsageReport Report, Guid SchoolId, string SchoolCode)> BuildAsync(string schoolCode, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (to < from) throw new BadInputException("--to", null, null, "the period ends before it starts.", "kỳ báo cáo kết thúc trước khi bắt đầu.");
        if (to.DayNumber - from.DayNumber > 366) throw new BadInputException("--to", null, null, "a report covers at most a year.", "một báo cáo tối đa một năm.");
        var school = await db.Schools.AsNoTracking().Where(s => s.Code == schoolCode).Select(s => new { s.Id, s.Code, s.Name, s.TaxCode }).SingleOrDefaultAsync(ct)
            ?? throw new BadInputException("--school", null, null, $"there is no school {schoolCode}.", $"không có trường {schoolCode}.");
        if (school.TaxCode is not { } taxCode)
            throw new BusinessRuleException($"School {school.Code} has no tax code; it has no e-receipts to report.", $"Trường {school.Code} chưa có mã số thuế; không có biên lai điện tử để báo cáo.");
        var lines = await db.Database.SqlQuery<Line>($"""
            SELECT s.template AS "Template", s.series AS "Series", min(r.number) AS "First", max(r.number) AS "Last", count(*)::int AS "Used",
                   count(*) FILTER (WHERE r.status IN ('cancelled', 'replaced'))::int AS "Voided",
                   COALESCE(array_agg(r.number ORDER BY r.number) FILTER (WHERE r.status IN ('cancelled', 'replaced')), ARRAY[]::bigint[]) AS "VoidedNumbers",
                   COALESCE(sum(r.amount_vnd) FILTER (WHERE r.status NOT IN ('cancelled', 'replaced')), 0)::bigint AS "TotalVnd"
            FROM receipts r JOIN receipt_series s ON s.id = r.series_id
            WHERE r.school_id = {school.Id} AND r.lookup_code IS NOT NULL AND r.issued_on BETWEEN {from} AND {to}
            GROUP BY s.template, s.series ORDER BY s.template, s.series
            """).ToListAsync(ct);
        var report = new UsageReport(school.Name, taxCode, from, to, clock.Today,
            lines.Select(l => new UsageLine(l.Template, l.Series, l.First, l.Last, l.Used, l.Voided, l.VoidedNumbers, l.TotalVnd)).ToList());
        return (report, school.Id, school.Code);
    }

    /// <summary>The report signed with the school's certificate (the legal form of the XML).</summary>
    public byte[] Sign(UsageReport report, string schoolCode, Guid id)
    {
        var (certificate, problem) = certificates.ForSigning(schoolCode, report.SchoolName, report.TaxCode, clock.Now);
        if (problem is { } p) throw new BusinessRuleException($"The report cannot be signed: {p.En}", $"Không ký được báo cáo: {p.Vi}");
        return ReceiptSignature.Sign(TaxOfficeXml.Write(report), $"sig-{id}", TaxOfficeXml.Signer, certificate!, clock.Now).Xml;
    }

    /// <summary>
    /// Queues the signed report for the provider once, and returns what is queued for the period (this making, or the
    /// same figures made before) with whether it was queued now. A period not yet over is refused, and so is one
    /// already queued with other figures; one the provider refused may be filed again, under the period's key with a
    /// revision (<c>…:2</c>), never under the key it refused.
    /// </summary>
    public async Task<(bool Queued, byte[] Xml)> QueueAsync(UsageReport report, Guid schoolId, string schoolCode, CancellationToken ct)
    {
        if (report.To >= clock.Today)
            throw new BusinessRuleException($"The period ends {report.To:yyyy-MM-dd}, not before today: a report is sent once its period is over.",
                $"Kỳ báo cáo kết thúc ngày {report.To:dd/MM/yyyy}, chưa qua hôm nay: báo cáo chỉ gửi khi kỳ đã kết thúc.");
        var key = $"{report.TaxCode}:report:{report.From:yyyy-MM-dd}:{report.To:yyyy-MM-dd}";
        var earlier = await db.TvanDocuments.AsNoTracking().Where(d => d.SchoolId == schoolId && (d.IdempotencyKey == key || d.IdempotencyKey.StartsWith(key + ":")))
            .OrderByDescending(d => d.CreatedAt).Select(d => new { d.IdempotencyKey, d.Xml, d.State }).ToListAsync(ct);
        if (earlier.FirstOrDefault() is { } last && last.State != TvanDocumentStates.Rejected)
        {
            if (DataOf(last.Xml!) == DataOf(ReceiptXmlWriter.Bytes(TaxOfficeXml.Write(report with { MadeOn = MadeOn(last.Xml!) ?? report.MadeOn })))) return (false, last.Xml!);
            throw new BusinessRuleException(
                $"The report for {report.From:yyyy-MM-dd}..{report.To:yyyy-MM-dd} was already sent with other figures; the provider keeps the first. Report the difference as the tax office asks.",
                $"Báo cáo kỳ {report.From:dd/MM/yyyy}–{report.To:dd/MM/yyyy} đã gửi với số liệu khác; hãy giải trình phần chênh lệch theo yêu cầu của cơ quan thuế.");
        }
        if (earlier.Count > 0) key += ":" + (earlier.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var id = Guid.CreateVersion7();
        var xml = Sign(report, schoolCode, id);
        var now = clock.Now;
        var total = report.Lines.Sum(l => l.TotalVnd);
        var sha = TvanOutbox.Sha256(xml);
        var queued = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO ereceipt_outbox (id, school_id, kind, receipt_id, idempotency_key, template, series, number, issued_on, total_vnd, xml, sha256,
                                         state, attempts, next_at, created_at, updated_at)
            VALUES ({id}, {schoolId}, 'usage_report', NULL, {key}, NULL, NULL, NULL, {report.MadeOn}, {total}, {xml}, {sha}, 'pending', 0, {now}, {now}, {now})
            ON CONFLICT DO NOTHING
            """, ct) == 1;
        if (!queued) throw new BusinessRuleException("Another report for this period was queued at the same moment; run the command again.",
            "Một báo cáo khác của kỳ này vừa được xếp gửi cùng lúc; hãy chạy lại lệnh.");
        return (true, xml);
    }

    /// <summary>The report's data without its signature, to compare two makings of one period.</summary>
    private static string DataOf(byte[] xml) =>
        XDocument.Parse(System.Text.Encoding.UTF8.GetString(xml)).Root?.Element(TaxOfficeXml.ReportData)?.ToString(SaveOptions.DisableFormatting) ?? "";

    private static DateOnly? MadeOn(byte[] xml) =>
        XDocument.Parse(System.Text.Encoding.UTF8.GetString(xml)).Descendants("NLap").FirstOrDefault()?.Value is { } d && DateOnly.TryParse(d, System.Globalization.CultureInfo.InvariantCulture, out var on) ? on : null;
}
