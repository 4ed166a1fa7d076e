using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Application.Payments;

/// <summary>Receipt numbering: numbers taken in blocks from each school's series without gaps, and receipts found by the reference printed on them.</summary>
public sealed partial class Ledger
{
    /// <summary>
    /// Finds a receipt by the reference the CLI prints, SCHOOL/TEMPLATE/SERIES/NUMBER. Series symbols repeat
    /// between schools, so TEMPLATE/SERIES/NUMBER alone is accepted only when one school uses that series.
    /// </summary>
    private async Task<ReceiptRow> FindReceiptAsync(string receiptNo, CancellationToken ct)
    {
        var parts = receiptNo.Trim().Split('/');
        if (parts.Length is < 3 or > 4 || !long.TryParse(parts[^1], out var number))
            throw new BadInputException("--receipt", null, null, $"\"{receiptNo}\" is not a receipt reference like TS01/01BLP0-001/AA-25E/0000012.");
        var school = parts.Length == 4 ? parts[0].ToUpperInvariant() : null;
        var (template, series) = (parts[^3], parts[^2]);
        var found = await (from r in db.Receipts
                           join s in db.ReceiptSeries on r.SeriesId equals s.Id
                           join sc in db.Schools on s.SchoolId equals sc.Id
                           where s.Template == template && s.Series == series && r.Number == number && (school == null || sc.Code == school)
                           select r).Take(2).ToListAsync(ct);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new BadInputException("--receipt", null, null, $"there is no receipt {receiptNo}."),
            _ => throw new BadInputException("--receipt", null, null, $"several schools have a receipt {receiptNo}; put the school code in front, like TS01/{receiptNo}."),
        };
    }

    private sealed record IssuedReceipt(ReceiptRow Row, string Reference);

    /// <summary>
    /// A receipt for each payment, in order: each school's default series is locked (in one order, so two runs
    /// never wait on each other in a circle) and advanced by the block it needs, so numbers never skip.
    /// </summary>
    private async Task<List<IssuedReceipt>> IssueReceiptsAsync(List<Payment> payments, CancellationToken ct)
    {
        var need = payments.GroupBy(p => p.SchoolId).OrderBy(g => g.Key).Select(g => (School: g.Key, Count: (long)g.Count())).ToList();
        var schools = need.Select(n => n.School).ToArray();
        var counts = need.Select(n => n.Count).ToArray();
        await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM receipt_series WHERE school_id = ANY({schools}) AND is_default ORDER BY id FOR UPDATE").ToListAsync(ct);
        var blocks = await db.Database.SqlQuery<SeriesBlock>($"""
            UPDATE receipt_series s SET next_number = s.next_number + u.n
            FROM unnest({schools}::uuid[], {counts}::bigint[]) AS u(school_id, n)
            WHERE s.school_id = u.school_id AND s.is_default
            RETURNING s.id AS "SeriesId", s.school_id AS "SchoolId", s.template AS "Template", s.series AS "Series",
                      s.next_number - u.n AS "First", (SELECT code FROM schools WHERE id = s.school_id) AS "SchoolCode"
            """).ToDictionaryAsync(b => b.SchoolId, ct);
        if (blocks.Count != schools.Length) throw new BusinessRuleException("A school has no receipt series; import its schools row again to create one.");
        var next = blocks.ToDictionary(b => b.Key, b => b.Value.First);
        return payments.Select(p =>
        {
            var b = blocks[p.SchoolId];
            var number = next[p.SchoolId]++;
            return new IssuedReceipt(new ReceiptRow
            {
                Id = Guid.CreateVersion7(), SeriesId = b.SeriesId, SchoolId = p.SchoolId, Number = number, PaymentId = p.Id,
                AmountVnd = p.AmountVnd, PayerName = p.PayerName, IssuedAt = clock.Now,
            }, Reference(b.SchoolCode, b.Template, b.Series, number));
        }).ToList();
    }

    private sealed record SeriesBlock(Guid SeriesId, Guid SchoolId, string Template, string Series, long First, string SchoolCode);

    /// <summary>The receipt as the CLI names it: the school, then the number printed on the receipt.</summary>
    public static string Reference(string schoolCode, string template, string series, long number) =>
        $"{schoolCode}/{Receipt.Format(template, series, number)}";
}
