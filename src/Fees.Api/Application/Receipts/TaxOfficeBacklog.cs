using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Receipts;

/// <summary>
/// What has not reached the tax office (contracts/ereceipts.md §10): per school, the signed receipts still not accepted
/// 72 hours after signing, the rejected ones at once (the accountant replaces them), the error notices and reports
/// refused or not accepted 72 hours on, and the documents the outbox cannot send on its own (a key the provider holds
/// with other content; a provider that refuses us). Shown to the education office and the administrator.
/// </summary>
public sealed class TaxOfficeBacklog(FeesDb db)
{
    public static readonly TimeSpan Limit = TimeSpan.FromHours(72);

    public sealed record School(string Code, string Name, int NotAccepted, int Rejected, DateTimeOffset? OldestSigned, int Stopped, int Refused, string? LastCode, int Documents);

    public async Task<List<School>> LoadAsync(IReadOnlyCollection<string>? schoolCodes, DateTimeOffset now, CancellationToken ct)
    {
        var before = now - Limit;
        var all = schoolCodes is null;
        var codes = schoolCodes?.ToArray() ?? [];
        var rows = await db.Database.SqlQuery<School>($"""
            WITH late AS (
                SELECT r.school_id, count(*) FILTER (WHERE r.status IN ('issued', 'sent') AND r.signing_time < {before})::int AS n,
                       count(*) FILTER (WHERE r.status = 'rejected')::int AS rejected,
                       min(r.signing_time) FILTER (WHERE r.status IN ('issued', 'sent') AND r.signing_time < {before}) AS oldest
                FROM receipts r
                WHERE r.signed_xml IS NOT NULL AND (r.status = 'rejected' OR r.status IN ('issued', 'sent') AND r.signing_time < {before})
                GROUP BY r.school_id),
            stuck AS (
                SELECT o.school_id, count(*) FILTER (WHERE o.state = 'conflict')::int AS stopped,
                       count(*) FILTER (WHERE o.state = 'pending' AND o.last_code IN ('UNAUTHENTICATED', 'TAXCODE_NOT_ALLOWED', 'HTTP_401', 'HTTP_403'))::int AS refused,
                       max(o.last_code) FILTER (WHERE o.state IN ('conflict', 'pending')) AS last_code,
                       count(*) FILTER (WHERE o.kind <> 'receipt' AND (o.state = 'rejected' OR o.state IN ('pending', 'sent') AND o.created_at < {before}))::int AS documents
                FROM ereceipt_outbox o WHERE o.state IN ('conflict', 'pending', 'sent', 'rejected')
                GROUP BY o.school_id)
            SELECT s.code AS "Code", s.name AS "Name", COALESCE(late.n, 0) AS "NotAccepted", COALESCE(late.rejected, 0) AS "Rejected", late.oldest AS "OldestSigned",
                   COALESCE(stuck.stopped, 0) AS "Stopped", COALESCE(stuck.refused, 0) AS "Refused", stuck.last_code AS "LastCode",
                   COALESCE(stuck.documents, 0) AS "Documents"
            FROM schools s LEFT JOIN late ON late.school_id = s.id LEFT JOIN stuck ON stuck.school_id = s.id
            WHERE (late.n > 0 OR late.rejected > 0 OR stuck.stopped > 0 OR stuck.refused > 0 OR stuck.documents > 0) AND ({all} OR s.code = ANY({codes}))
            ORDER BY COALESCE(late.n, 0) + COALESCE(late.rejected, 0) DESC, s.code
            LIMIT 200
            """).ToListAsync(ct);
        return rows;
    }
}
