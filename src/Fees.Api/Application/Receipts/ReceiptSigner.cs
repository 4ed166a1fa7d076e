using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Domain.Receipts;

namespace TdmEdu.Fees.Api.Application.Receipts;

/// <summary>What a signing run did: receipts signed, and the schools whose receipts wait, with why (English, Vietnamese).</summary>
public sealed record SigningRun(int Signed, IReadOnlyList<(string School, string En, string Vi)> Waiting);

/// <summary>
/// Signs the receipts whose numbers are taken (contracts/ereceipts.md §7.3): builds each one's XML from what its row
/// holds, signs it with its school's certificate once that certificate passes the checks, stores the signed document
/// with its hash, signing time and certificate, and moves it to issued. Run right after a payment commits and by the
/// 30-second job; a receipt whose school cannot sign yet keeps waiting with the reason, and money never waits for it.
/// Rows are taken with SKIP LOCKED, so two runs never sign one receipt twice.
/// </summary>
public sealed class ReceiptSigner(FeesDb db, BusinessClock clock, ReceiptCertificateSource certificates, string lookupAddress, ILogger? log = null)
{
    private const int Batch = 200;
    public const string Actor = "job:sign-receipts";

    private sealed record Pending(Guid Id, Guid SchoolId, long Number, DateOnly IssuedOn, string LookupCode, string? PayerName, string Status, Guid? ReplacesReceiptId,
        string Template, string Series, string SchoolCode, string SchoolName, string? TaxCode, string? Address, string Method,
        string? PupilName, string? ClassName, string? SignProblem);

    private sealed record Replaced(Guid Id, string Template, string Series, long Number, DateOnly IssuedOn, string? CancelReason);

    /// <summary>The lookup address receipts state (DDTCuu): the portal's verification page.</summary>
    public static string LookupAddressFrom(IConfiguration config) =>
        config["EReceipts:LookupAddress"] is { Length: > 0 } a ? a.TrimEnd('/')
            : (config["Notify:PortalBase"] is { Length: > 0 } p ? p.TrimEnd('/') : "http://127.0.0.1:5080") + "/bien-lai";

    /// <summary>A signer configured from the environment (EReceipts__…), for the command line.</summary>
    public static ReceiptSigner FromEnvironment(FeesDb db, BusinessClock clock)
    {
        var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        return new ReceiptSigner(db, clock, new ReceiptCertificateSource(config), LookupAddressFrom(config));
    }

    /// <summary>
    /// Signs a payment's receipts right after the payment committed. Best effort: what fails here waits for the job,
    /// and the payment, already committed, stands either way.
    /// </summary>
    public async Task SignPaymentAsync(Guid paymentId, CancellationToken ct)
    {
        try
        {
            var ids = await db.Receipts.AsNoTracking().Where(r => r.PaymentId == paymentId && r.LookupCode != null && r.SignedXml == null).Select(r => r.Id).ToListAsync(ct);
            if (ids.Count > 0) await SignAsync(ids, TimeSpan.FromSeconds(10), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log?.LogWarning(e, "Signing the receipts of payment {Payment} right away failed; the signing job will retry", paymentId);
        }
    }

    /// <summary>Signs what waits, the given receipts only when named, until none is left or <paramref name="budget"/> is spent.</summary>
    public async Task<SigningRun> SignAsync(IReadOnlyCollection<Guid>? only, TimeSpan budget, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var signed = 0;
        var waiting = new Dictionary<Guid, (string School, string En, string Vi)>();
        var ready = new Dictionary<Guid, X509Certificate2>();
        var unsignable = new List<Guid>();
        while (watch.Elapsed < budget)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var skip = waiting.Keys.ToArray();
            var broken = unsignable.ToArray();
            var ids = only is null
                ? await db.Database.SqlQuery<Guid>($"""
                    SELECT id AS "Value" FROM receipts
                    WHERE status = 'pending_signature' AND lookup_code IS NOT NULL AND signed_xml IS NULL AND school_id <> ALL({skip}) AND id <> ALL({broken})
                    ORDER BY id LIMIT {Batch} FOR UPDATE SKIP LOCKED
                    """).ToListAsync(ct)
                : await db.Database.SqlQuery<Guid>($"""
                    SELECT id AS "Value" FROM receipts
                    WHERE id = ANY({only.ToArray()}) AND status = 'pending_signature' AND lookup_code IS NOT NULL AND signed_xml IS NULL AND school_id <> ALL({skip}) AND id <> ALL({broken})
                    ORDER BY id LIMIT {Batch} FOR UPDATE SKIP LOCKED
                    """).ToListAsync(ct);
            if (ids.Count == 0) break;
            var rows = await LoadAsync(ids, ct);
            var items = (await db.ReceiptItems.AsNoTracking().Where(i => ids.Contains(i.ReceiptId)).OrderBy(i => i.Position).ToListAsync(ct)).ToLookup(i => i.ReceiptId);
            var noticeNos = (await (from i in db.ReceiptItems.AsNoTracking()
                                    join l in db.NoticeLines.AsNoTracking() on i.NoticeLineId equals l.Id
                                    join n in db.Notices.AsNoTracking() on l.NoticeId equals n.Id
                                    where ids.Contains(i.ReceiptId)
                                    select new { i.ReceiptId, n.NoticeNo }).Distinct().ToListAsync(ct))
                .ToLookup(x => x.ReceiptId, x => x.NoticeNo);
            var replacedIds = rows.Where(r => r.ReplacesReceiptId is not null).Select(r => r.ReplacesReceiptId!.Value).ToArray();
            var replaced = await (from o in db.Receipts.AsNoTracking()
                                  join s in db.ReceiptSeries.AsNoTracking() on o.SeriesId equals s.Id
                                  where replacedIds.Contains(o.Id)
                                  select new Replaced(o.Id, s.Template, s.Series, o.Number, o.IssuedOn ?? DateOnly.FromDateTime(o.IssuedAt.UtcDateTime), o.CancelReason))
                .ToDictionaryAsync(o => o.Id, ct);
            var now = clock.Now;
            foreach (var r in rows)
            {
                if (waiting.ContainsKey(r.SchoolId)) continue;
                var certificate = ready.GetValueOrDefault(r.SchoolId);
                if (certificate is null)
                {
                    var problem = r.TaxCode is null
                        ? ($"school {r.SchoolCode} has no tax code; its receipts wait until it is given.", $"trường {r.SchoolCode} chưa có mã số thuế; biên lai chờ đến khi có.")
                        : CertificateFor(r, now, out certificate);
                    if (problem is { } p)
                    {
                        waiting[r.SchoolId] = (r.SchoolCode, p.Item1, p.Item2);
                        continue;
                    }
                    ready[r.SchoolId] = certificate!;
                }
                SignedReceipt s;
                try
                {
                    var xml = ReceiptXmlWriter.Write(Document(r, items[r.Id].ToList(), noticeNos[r.Id].Order(StringComparer.Ordinal).ToList(),
                        r.ReplacesReceiptId is { } o ? replaced[o] : null));
                    s = ReceiptSignature.Sign(xml, r.Id, certificate!, now);
                }
                // Content the document cannot hold (a name past its length, a character XML cannot write): this receipt
                // waits with the reason; the others go on.
                catch (Exception e) when (e is ReceiptContentException or ArgumentException or System.Xml.XmlException)
                {
                    unsignable.Add(r.Id);
                    var why = "không lập được biên lai: " + e.Message;
                    await db.Database.ExecuteSqlAsync($"UPDATE receipts SET sign_problem = {why} WHERE id = {r.Id} AND sign_problem IS DISTINCT FROM {why}", ct);
                    log?.LogWarning("Receipt {Receipt} of school {School} cannot be written: {Problem}", r.Id, r.SchoolCode, e.Message);
                    continue;
                }
                var to = r.Status == ReceiptStates.PendingSignature ? ReceiptStates.Issued : r.Status;
                var sandbox = SchoolCertificates.IsSandbox(certificate!);
                var signingTime = new DateTimeOffset(s.SigningTime, TimeSpan.FromHours(7)).ToUniversalTime();
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE receipts SET signed_xml = {s.Xml}, xml_sha256 = {s.Sha256}, signing_time = {signingTime}, cert_serial = {s.CertificateSerial},
                                        cert_subject = {s.CertificateSubject}, sandbox_cert = {sandbox}, status = {to}, sign_problem = NULL
                    WHERE id = {r.Id}
                    """, ct);
                if (to != r.Status)
                    db.ReceiptEvents.Add(new ReceiptEventRow { Id = Guid.CreateVersion7(), ReceiptId = r.Id, At = now, FromStatus = r.Status, ToStatus = to, Actor = Actor });
                signed++;
            }
            // A school that cannot sign says why on each of its waiting receipts, in Vietnamese: the administrator's page shows it.
            foreach (var (school, (_, _, vi)) in waiting)
                await db.Database.ExecuteSqlAsync($"""
                    UPDATE receipts SET sign_problem = {vi}
                    WHERE school_id = {school} AND status = 'pending_signature' AND signed_xml IS NULL AND sign_problem IS DISTINCT FROM {vi}
                    """, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
        }
        foreach (var (school, en, _) in waiting.Values)
            log?.LogWarning("Receipts of school {School} wait for their signature: {Problem}", school, en);
        return new SigningRun(signed, waiting.Values.ToList());
    }

    private (string, string)? CertificateFor(Pending r, DateTimeOffset now, out X509Certificate2? certificate)
    {
        var (found, problem) = certificates.ForSigning(r.SchoolCode, r.SchoolName, r.TaxCode!, now);
        certificate = found;
        return problem is { } p ? (p.En, p.Vi) : null;
    }

    private ReceiptDocument Document(Pending r, List<ReceiptItemRow> items, List<string> notices, Replaced? replaced) => new(
        r.Template, r.Series, r.Number, r.IssuedOn, r.Method == PaymentMethods.Cash, r.LookupCode, lookupAddress,
        new ReceiptCollector(r.SchoolName, r.TaxCode!, r.Address ?? r.SchoolName),
        new ReceiptPayer(string.IsNullOrWhiteSpace(r.PayerName) ? $"Gia đình học sinh {r.PupilName}" : r.PayerName),
        items.Select(i => new ReceiptItem(i.Name, i.AmountVnd)).ToList(),
        Notes(r, notices),
        replaced is null ? null : new ReplacedReceipt(replaced.Template, replaced.Series, replaced.Number, replaced.IssuedOn,
            $"Thay thế cho biên lai mẫu {replaced.Template} ký hiệu {replaced.Series} số {replaced.Number:D7} ngày {replaced.IssuedOn:dd/MM/yyyy}"));

    /// <summary>Our facts in TTKhac (contracts/ereceipts.md §4 row 11): the pupil with the class, and the notices the money paid.</summary>
    private static List<ReceiptNote> Notes(Pending r, List<string> notices)
    {
        var notes = new List<ReceiptNote>();
        if (r.PupilName is not null) notes.Add(new ReceiptNote("Học sinh", r.ClassName is null ? r.PupilName : $"{r.PupilName}, lớp {r.ClassName}"));
        if (notices.Count > 0) notes.Add(new ReceiptNote("Thông báo thu", string.Join(", ", notices)));
        return notes;
    }

    private Task<List<Pending>> LoadAsync(List<Guid> ids, CancellationToken ct) =>
        (from r in db.Receipts.AsNoTracking()
         join s in db.ReceiptSeries.AsNoTracking() on r.SeriesId equals s.Id
         join sc in db.Schools.AsNoTracking() on r.SchoolId equals sc.Id
         join p in db.Payments.AsNoTracking() on r.PaymentId equals p.Id
         join st in db.Students.AsNoTracking() on r.StudentId equals st.Id into stx
         from st in stx.DefaultIfEmpty()
         join c in db.Classes.AsNoTracking() on st.ClassId equals c.Id into cx
         from c in cx.DefaultIfEmpty()
         where ids.Contains(r.Id)
         orderby r.Id
         select new Pending(r.Id, r.SchoolId, r.Number, r.IssuedOn ?? DateOnly.MinValue, r.LookupCode!, r.PayerName, r.Status, r.ReplacesReceiptId,
             s.Template, s.Series, sc.Code, sc.Name, sc.TaxCode, sc.Address, p.Method,
             st == null ? null : st.FullName, c == null ? null : c.Name, r.SignProblem)).ToListAsync(ct);
}
