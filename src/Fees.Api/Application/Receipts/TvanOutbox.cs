using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Domain.Receipts;
using TdmEdu.Fees.TvanAdapters;

namespace TdmEdu.Fees.Api.Application.Receipts;

/// <summary>What one outbox run did: documents queued, uploads the provider took, answers applied, and what waits with why.</summary>
public sealed record TvanRun(int Queued, int Taken, int Answered, int Waiting, IReadOnlyList<string> Problems);

/// <summary>
/// The way to the tax office (contracts/ereceipts.md §10): every signed receipt, and for every signed receipt later
/// cancelled or replaced an error notice 04/SS-CTĐT, is queued once (a unique key per document), then uploaded to the
/// T-VAN provider until it takes it: after 1 min, 5 min, 15 min, 1 h, 3 h, then every 6 h, never dropped. A document
/// refused for its content is rejected (its receipt too); a key the provider holds with other content stops that
/// document for good; both are shown to the administrator. What the provider later says (its callback, or our poll
/// of what stays submitted over an hour) moves the receipt to accepted or rejected.
/// </summary>
public sealed partial class TvanOutbox(FeesDb db, BusinessClock clock, ReceiptCertificateSource certificates, ITvanClient? client, ILogger? log = null)
{
    public const string Actor = "tvan";
    private const int Batch = 50;
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan PollAfter = TimeSpan.FromHours(1);

    /// <summary>Queues what is due, sends what waits, asks after what stays submitted; within <paramref name="budget"/>.</summary>
    public async Task<TvanRun> RunAsync(TimeSpan budget, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var problems = new List<string>();
        var queued = await QueueReceiptsAsync(ct) + await QueueErrorNoticesAsync(problems, ct);
        int taken = 0, answered = 0;
        if (client is not null)
        {
            // Asking after what stays submitted comes first and is bounded: a long queue of uploads never starves it.
            answered = await PollAsync(ct);
            taken = await SendAsync(budget - watch.Elapsed, problems, ct);
        }
        var waiting = await db.TvanDocuments.CountAsync(d => d.State == TvanDocumentStates.Pending, ct);
        return new TvanRun(queued, taken, answered, waiting, problems);
    }

    /// <summary>One upload row per signed receipt, keyed <c>{mst}:{template}:{series}:{number}</c> with the tax code the document states.</summary>
    public async Task<int> QueueReceiptsAsync(CancellationToken ct)
    {
        var now = clock.Now;
        return await db.Database.ExecuteSqlAsync($"""
            INSERT INTO ereceipt_outbox (id, school_id, kind, receipt_id, idempotency_key, template, series, number, issued_on, total_vnd, xml, sha256,
                                         state, attempts, next_at, created_at, updated_at)
            SELECT gen_random_uuid(), r.school_id, 'receipt', r.id,
                   (xpath('/CTu/DLCTu/NDCTu/TCThu/MST/text()', convert_from(r.signed_xml, 'UTF8')::xml))[1]::text || ':' || s.template || ':' || s.series || ':' || r.number,
                   s.template, s.series, r.number, r.issued_on, r.amount_vnd, NULL, r.xml_sha256, 'pending', 0, {now}, {now}, {now}
            FROM receipts r JOIN receipt_series s ON s.id = r.series_id
            WHERE r.signed_xml IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM ereceipt_outbox o WHERE o.receipt_id = r.id AND o.kind = 'receipt')
            ON CONFLICT DO NOTHING
            """, ct);
    }

    private sealed record Voided(Guid Id, Guid SchoolId, string SchoolCode, string SchoolName, string? TaxCode, string? Address, string Template, string Series,
        long Number, DateOnly IssuedOn, string Status, string? Reason);

    /// <summary>
    /// An error notice for each signed receipt that was cancelled or replaced and has none: made, signed with the
    /// school's certificate and queued once. A school that cannot sign now is tried again on the next run.
    /// </summary>
    public async Task<int> QueueErrorNoticesAsync(List<string> problems, CancellationToken ct)
    {
        var voided = await db.Database.SqlQueryRaw<Voided>("""
            SELECT r.id AS "Id", r.school_id AS "SchoolId", sc.code AS "SchoolCode", sc.name AS "SchoolName", sc.tax_code AS "TaxCode", sc.address AS "Address",
                   s.template AS "Template", s.series AS "Series", r.number AS "Number", r.issued_on AS "IssuedOn", r.status AS "Status", r.cancel_reason AS "Reason"
            FROM receipts r JOIN receipt_series s ON s.id = r.series_id JOIN schools sc ON sc.id = r.school_id
            WHERE r.signed_xml IS NOT NULL AND r.status IN ('cancelled', 'replaced')
              AND NOT EXISTS (SELECT 1 FROM ereceipt_outbox o WHERE o.receipt_id = r.id AND o.kind = 'error_notice')
            ORDER BY r.id LIMIT 500
            """).ToListAsync(ct);
        var queued = 0;
        var now = clock.Now;
        var today = BusinessClock.DayOf(now);
        foreach (var school in voided.GroupBy(v => v.SchoolId))
        {
            var first = school.First();
            if (first.TaxCode is null)
            {
                problems.Add($"{first.SchoolCode}: error notices wait: the school has no tax code");
                log?.LogWarning("Error notices of school {School} wait: the school has no tax code", first.SchoolCode);
                continue;
            }
            var (certificate, problem) = certificates.ForSigning(first.SchoolCode, first.SchoolName, first.TaxCode, now);
            if (problem is { } p)
            {
                problems.Add($"{first.SchoolCode}: error notices wait for the signature: {p.En}");
                log?.LogWarning("Error notices of school {School} wait for the signature: {Problem}", first.SchoolCode, p.En);
                continue;
            }
            foreach (var v in school)
            {
                var reason = v.Reason is { Length: > 0 } given ? given : v.Status == ReceiptStates.Cancelled ? "Khoản nộp đã được hoàn trả hoặc hủy" : "Biên lai lập sai, đã lập biên lai thay thế";
                var notice = new ErrorNotice(today, v.SchoolName, first.TaxCode, Place(v.Address), null, null,
                    [new NoticedReceipt(v.Template, v.Series, v.Number, v.IssuedOn, v.Status == ReceiptStates.Cancelled, Clip(reason, 255))]);
                var id = Guid.CreateVersion7();
                var signed = ReceiptSignature.Sign(TaxOfficeXml.Write(notice), $"sig-{id}", TaxOfficeXml.Signer, certificate!, now);
                queued += await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO ereceipt_outbox (id, school_id, kind, receipt_id, idempotency_key, template, series, number, issued_on, total_vnd, xml, sha256,
                                                 state, attempts, next_at, created_at, updated_at)
                    VALUES ({id}, {v.SchoolId}, 'error_notice', {v.Id}, {first.TaxCode + ":notice:" + id}, {v.Template}, {v.Series}, {v.Number}, {today}, 0,
                            {signed.Xml}, {signed.Sha256}, 'pending', 0, {now}, {now}, {now})
                    ON CONFLICT DO NOTHING
                    """, ct);
            }
        }
        return queued;
    }

    /// <summary>The place a notice is made (DDanh, 50 characters): the last part of the school's address, its province.</summary>
    private static string Place(string? address)
    {
        var last = address?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return Clip(string.IsNullOrWhiteSpace(last) ? "Thành phố Hồ Chí Minh" : last, 50);
    }

    /// <summary>At most <paramref name="max"/> characters, never cutting a character written as two (an emoji).</summary>
    internal static string Clip(string text, int max) =>
        text.Length <= max ? text : text[..(char.IsHighSurrogate(text[max - 1]) ? max - 1 : max)];

    private sealed record Due(Guid Id, Guid SchoolId, string Kind, Guid? ReceiptId, string IdempotencyKey, string? Template, string? Series, long? Number,
        DateOnly IssuedOn, long TotalVnd, byte[]? Xml, string Sha256, int Attempts);

    /// <summary>
    /// Uploads what is due. Rows are leased for five minutes before the call (two nodes never send one at once; a
    /// crash mid-call sends it again under the same key, which the provider answers as the first time). An error
    /// notice goes only after the provider holds the receipt it names. When the provider is down, the run stops at
    /// the first failure rather than knocking with every document.
    /// </summary>
    private async Task<int> SendAsync(TimeSpan budget, List<string> problems, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var taken = 0;
        while (watch.Elapsed < budget)
        {
            var now = clock.Now;
            List<Due> due;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                due = await db.Database.SqlQuery<Due>($"""
                    SELECT o.id AS "Id", o.school_id AS "SchoolId", o.kind AS "Kind", o.receipt_id AS "ReceiptId", o.idempotency_key AS "IdempotencyKey",
                           o.template AS "Template", o.series AS "Series", o.number AS "Number", o.issued_on AS "IssuedOn", o.total_vnd AS "TotalVnd",
                           COALESCE(o.xml, r.signed_xml) AS "Xml", o.sha256 AS "Sha256", o.attempts AS "Attempts"
                    FROM ereceipt_outbox o LEFT JOIN receipts r ON r.id = o.receipt_id AND o.kind = 'receipt'
                    WHERE o.state = 'pending' AND o.next_at <= {now}
                      AND (o.kind <> 'error_notice' OR EXISTS (SELECT 1 FROM ereceipt_outbox u WHERE u.receipt_id = o.receipt_id AND u.kind = 'receipt' AND u.state <> 'pending'))
                    ORDER BY o.next_at, o.kind DESC, o.number, o.id LIMIT {Batch}
                    FOR UPDATE OF o SKIP LOCKED
                    """).ToListAsync(ct);
                if (due.Count == 0) break;
                var ids = due.Select(d => d.Id).ToArray();
                await db.Database.ExecuteSqlAsync($"UPDATE ereceipt_outbox SET next_at = {now + Lease} WHERE id = ANY({ids})", ct);
                await tx.CommitAsync(ct);
            }
            for (var i = 0; i < due.Count; i++)
            {
                var d = due[i];
                var outcome = await TvanUpload.SendAsync(client!, d.IdempotencyKey, Document(d), ct);
                outcome = await RecordAsync(d, outcome, problems, ct);
                if (outcome is TvanTaken) taken++;
                if (outcome is TvanLater or TvanPaused)
                {
                    // The provider is not answering, or not letting us send: what was leased waits as this one does,
                    // without counting a try, and nothing more is sent in this run.
                    var rest = due.Skip(i + 1).Select(x => x.Id).ToArray();
                    var at = clock.Now + TvanUpload.RetryDelay(d.Attempts + 1, (outcome as TvanLater)?.RetryAfter);
                    await db.Database.ExecuteSqlAsync($"UPDATE ereceipt_outbox SET next_at = {at} WHERE id = ANY({rest}) AND state = 'pending'", ct);
                    return taken;
                }
            }
        }
        return taken;
    }

    private static TvanDocument Document(Due d) => new()
    {
        TaxCode = d.IdempotencyKey[..d.IdempotencyKey.IndexOf(':')],
        Kind = d.Kind,
        Template = d.Template,
        Series = d.Series,
        Number = d.Number,
        IssuedOn = d.IssuedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        TotalVnd = d.TotalVnd,
        Sha256 = d.Sha256,
        XmlBase64 = Convert.ToBase64String(d.Xml ?? []),
    };

    /// <summary>Records an upload's outcome; returns it as recorded (an answer that cannot be filed becomes a pause).</summary>
    private async Task<TvanOutcome> RecordAsync(Due d, TvanOutcome outcome, List<string> problems, CancellationToken ct)
    {
        var now = clock.Now;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // A provider id that already names another of our documents is not an answer we can file this one under.
        if (outcome is TvanTaken named && await db.TvanDocuments.AnyAsync(o => o.ProviderId == named.ProviderId && o.Id != d.Id, ct))
            outcome = new TvanPaused("BAD_ANSWER", $"providerId {Clip(named.ProviderId, 60)} already names another document");
        switch (outcome)
        {
            case TvanTaken t:
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE ereceipt_outbox SET state = 'sent', provider_id = {t.ProviderId}, provider_status = {t.Status}, attempts = attempts + 1,
                                               sent_at = {now}, updated_at = {now}, last_code = NULL, last_error = NULL
                    WHERE id = {d.Id} AND state = 'pending'
                    """, ct);
                AddEvent(d.Id, t.ProviderId, t.Status, null, null, "upload", now);
                if (d.Kind == TvanKinds.Receipt) await MoveReceiptAsync(d.ReceiptId!.Value, ReceiptStates.Sent, null, now, ct);
                break;
            case TvanRefused r:
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE ereceipt_outbox SET state = 'rejected', attempts = attempts + 1, updated_at = {now}, last_code = {r.Code}, last_error = {Clip(r.Text, 1000)}
                    WHERE id = {d.Id} AND state = 'pending'
                    """, ct);
                if (d.Kind == TvanKinds.Receipt) await MoveReceiptAsync(d.ReceiptId!.Value, ReceiptStates.Rejected, $"{r.Code}: {r.Text}", now, ct);
                problems.Add($"{d.IdempotencyKey}: refused by the provider ({r.Code})");
                log?.LogWarning("The provider refused document {Key}: {Code}", d.IdempotencyKey, r.Code);
                break;
            case TvanConflict c:
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE ereceipt_outbox SET state = 'conflict', attempts = attempts + 1, updated_at = {now}, last_code = {c.Code}, last_error = {Clip(c.Text, 1000)}
                    WHERE id = {d.Id} AND state = 'pending'
                    """, ct);
                problems.Add($"{d.IdempotencyKey}: the provider holds other content under this key; not sent again");
                log?.LogError("The provider holds other content under key {Key}: the document is stopped for an administrator", d.IdempotencyKey);
                break;
            case TvanPaused or TvanLater:
                var retryAfter = (outcome as TvanLater)?.RetryAfter;
                var text = (outcome as TvanPaused)?.Text ?? "";
                var next = now + TvanUpload.RetryDelay(d.Attempts + 1, retryAfter);
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE ereceipt_outbox SET attempts = attempts + 1, next_at = {next}, updated_at = {now}, last_code = {outcome.Code}, last_error = {Clip(text, 1000)}
                    WHERE id = {d.Id} AND state = 'pending'
                    """, ct);
                if (outcome is TvanPaused)
                {
                    problems.Add($"{d.IdempotencyKey}: the provider does not let us send ({outcome.Code}); tried again at {next:u}");
                    log?.LogWarning("The provider does not let us send {Key} ({Code}); tried again later", d.IdempotencyKey, outcome.Code);
                }
                break;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return outcome;
    }

    /// <summary>The SHA-256 the outbox states for bytes, as the receipts table writes it.</summary>
    public static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
