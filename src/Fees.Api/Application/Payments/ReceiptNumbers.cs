using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Ledger;
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

    private sealed record IssuedReceipt(ReceiptRow Row, string Reference, IReadOnlyList<ReceiptItemRow> Items);

    /// <summary>A receipt to number: the payment, the pupil it is for and what it lists (a notice line, or null for money held as credit).</summary>
    private sealed record ReceiptDraft(Payment Payment, Guid StudentId, IReadOnlyList<(string Name, long AmountVnd, Guid? LineId)> Items, Guid? Replaces = null, string? PayerName = null);

    private sealed record StaleSeries(Guid SchoolId, string Template);

    private sealed record InvoicedItem(Guid SchoolId, string ItemCode, string Kind);

    /// <summary>The words a receipt lists money held for later notices by.</summary>
    public const string CreditItemName = "Tiền nộp trước, trừ vào các khoản thu sau";

    /// <summary>
    /// The receipts a set of planned payments makes (contracts/ereceipts.md §7): one per payment and pupil, listing the
    /// lines of that pupil it paid whose items are receipted (not invoiced), and on the payment's own pupil the money
    /// it left as credit. A payment that paid only invoiced items makes none.
    /// </summary>
    private async Task<List<ReceiptDraft>> DraftReceiptsAsync(IReadOnlyList<(Payment Payment, IReadOnlyList<Guid> Students, List<LineAllocation> Allocations, long Left)> planned,
        IReadOnlyDictionary<Guid, OpenLineRow> lines, CancellationToken ct)
    {
        var schools = planned.Select(p => p.Payment.SchoolId).Distinct().ToArray();
        var invoiced = (await db.Database.SqlQuery<InvoicedItem>($"""
            SELECT DISTINCT ON (school_id, item_code) school_id AS "SchoolId", item_code AS "ItemCode", document_kind AS "Kind"
            FROM item_document_kinds WHERE school_id = ANY({schools}) ORDER BY school_id, item_code, from_at DESC
            """).ToListAsync(ct)).Where(k => k.Kind != DocumentKinds.Receipt).Select(k => (k.SchoolId, k.ItemCode)).ToHashSet();
        var drafts = new List<ReceiptDraft>();
        foreach (var (payment, students, allocations, left) in planned)
        {
            var byStudent = allocations.Select(a => (Alloc: a, Line: lines[a.LineId]))
                .Where(x => !invoiced.Contains((payment.SchoolId, x.Line.ItemCode))).ToLookup(x => x.Line.StudentId);
            foreach (var student in students.Append(payment.StudentId).Distinct())
            {
                var items = byStudent[student]
                    .GroupBy(x => x.Alloc.LineId)
                    .Select(g => (Line: g.First().Line, Amount: g.Sum(x => x.Alloc.AmountVnd)))
                    .OrderBy(x => x.Line.PeriodKey).ThenBy(x => x.Line.NoticeNo, StringComparer.Ordinal).ThenBy(x => x.Line.LineNo)
                    .Select(x => (ItemLabel(x.Line.ItemName, x.Line.PeriodKey), x.Amount, (Guid?)x.Line.LineId)).ToList();
                if (student == payment.StudentId && left > 0) items.Add((CreditItemName, left, null));
                if (items.Count > 0) drafts.Add(new ReceiptDraft(payment, student, items));
            }
        }
        return drafts;
    }

    /// <summary>An item as a receipt names it: the fee and its month, "Tiền ăn bán trú tháng 9/2026".</summary>
    public static string ItemLabel(string itemName, int periodKey) =>
        periodKey > 100000 ? $"{itemName} tháng {periodKey % 100}/{periodKey / 100}" : itemName;

    /// <summary>
    /// Numbers the drafts, in order: each school's default series is locked (in one order, so two runs never wait on
    /// each other in a circle) and advanced by the block it needs, so numbers never skip. An e-receipt series names its
    /// year, so the first receipt of a new year opens that year's series (EBL01 27T) and numbers it from 1; a school
    /// whose default is still an old-style series gets this year's EBL01 series the same way.
    /// </summary>
    private async Task<List<IssuedReceipt>> IssueReceiptsAsync(List<ReceiptDraft> drafts, CancellationToken ct)
    {
        if (drafts.Count == 0) return [];
        var need = drafts.GroupBy(d => d.Payment.SchoolId).OrderBy(g => g.Key).Select(g => (School: g.Key, Count: (long)g.Count())).ToList();
        var schools = need.Select(n => n.School).ToArray();
        var counts = need.Select(n => n.Count).ToArray();
        await db.Database.SqlQuery<Guid>($"SELECT id AS \"Value\" FROM receipt_series WHERE school_id = ANY({schools}) AND is_default ORDER BY id FOR UPDATE").ToListAsync(ct);
        var today = clock.Today;
        var yearSeries = $"{today.Year % 100:D2}{EReceiptSeriesLetter}";
        // A default series that is not this year's e-receipt series (last year's 25T, or the old style 01BLP0-001 AA-25E
        // that an import may still name) gives way to this year's: old-style symbols stay on old receipts only.
        var stale = await db.Database.SqlQuery<StaleSeries>($"""
            UPDATE receipt_series SET is_default = false
            WHERE school_id = ANY({schools}) AND is_default
              AND NOT (template LIKE {EReceiptTemplatePrefix + "%"} AND series ~ '^[0-9][0-9]T$' AND series >= {yearSeries})
            RETURNING school_id AS "SchoolId", CASE WHEN template LIKE {EReceiptTemplatePrefix + "%"} THEN template ELSE {SchoolImport.DefaultReceiptTemplate} END AS "Template"
            """).ToListAsync(ct);
        if (stale.Count > 0)
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO receipt_series (id, school_id, template, series, next_number, is_default)
                SELECT gen_random_uuid(), u.school_id, u.template, {yearSeries}, 1, true
                FROM unnest({stale.Select(x => x.SchoolId).ToArray()}::uuid[], {stale.Select(x => x.Template).ToArray()}::text[]) AS u(school_id, template)
                ON CONFLICT (school_id, template, series) DO UPDATE SET is_default = true
                """, ct);
        var blocks = await db.Database.SqlQuery<SeriesBlock>($"""
            UPDATE receipt_series s SET next_number = s.next_number + u.n
            FROM unnest({schools}::uuid[], {counts}::bigint[]) AS u(school_id, n)
            WHERE s.school_id = u.school_id AND s.is_default
            RETURNING s.id AS "SeriesId", s.school_id AS "SchoolId", s.template AS "Template", s.series AS "Series",
                      s.next_number - u.n AS "First", (SELECT code FROM schools WHERE id = s.school_id) AS "SchoolCode"
            """).ToDictionaryAsync(b => b.SchoolId, ct);
        if (blocks.Count != schools.Length) throw new BusinessRuleException("A school has no receipt series; import its schools row again to create one.");
        var payers = await PayerNamesAsync(drafts.Select(d => d.StudentId).Distinct().ToArray(), ct);
        var next = blocks.ToDictionary(b => b.Key, b => b.Value.First);
        return drafts.Select(d =>
        {
            var p = d.Payment;
            var b = blocks[p.SchoolId];
            var number = next[p.SchoolId]++;
            var electronic = b.Template.StartsWith(EReceiptTemplatePrefix, StringComparison.Ordinal);
            var id = Guid.CreateVersion7();
            var items = d.Items.Select((x, i) => new ReceiptItemRow { Id = Guid.CreateVersion7(), ReceiptId = id, Position = i + 1, Name = x.Name, AmountVnd = x.AmountVnd, NoticeLineId = x.LineId }).ToList();
            return new IssuedReceipt(new ReceiptRow
            {
                Id = id, SeriesId = b.SeriesId, SchoolId = p.SchoolId, Number = number, PaymentId = p.Id, StudentId = d.StudentId,
                AmountVnd = items.Sum(x => x.AmountVnd), IssuedAt = clock.Now,
                PayerName = d.PayerName ?? (string.IsNullOrWhiteSpace(p.PayerName) ? payers.GetValueOrDefault(d.StudentId) : p.PayerName.Trim()),
                IssuedOn = BusinessClock.DayOf(p.ReceivedAt) is var day && day <= today && day.Year == today.Year ? day : today,
                ReplacesReceiptId = d.Replaces,
                // Every default is an e-receipt series by now (above); a template outside EBL would be numbered unsigned, never left without a number.
                Status = electronic ? ReceiptStates.PendingSignature : ReceiptStates.Issued,
                LookupCode = electronic ? LookupCode.New() : null,
            }, Reference(b.SchoolCode, b.Template, b.Series, number), items);
        }).ToList();
    }

    /// <summary>Who paid, when the payment does not say: the pupil's guardian by name, else the pupil's family.</summary>
    private async Task<Dictionary<Guid, string>> PayerNamesAsync(Guid[] students, CancellationToken ct) =>
        (await (from s in db.Students.AsNoTracking()
                 join g in db.Guardians.AsNoTracking() on s.GuardianId equals g.Id into gg
                 from g in gg.DefaultIfEmpty()
                 where students.Contains(s.Id)
                 select new { s.Id, Guardian = g == null ? null : g.FullName, s.FullName }).ToListAsync(ct))
        .ToDictionary(x => x.Id, x => string.IsNullOrWhiteSpace(x.Guardian) ? $"Gia đình học sinh {x.FullName}" : x.Guardian.Trim());

    /// <summary>Writes numbered receipts and their items.</summary>
    private async Task StoreReceiptsAsync(IReadOnlyCollection<IssuedReceipt> receipts, CancellationToken ct)
    {
        await BulkCopy.InsertAsync(db, receipts.Select(r => r.Row).ToList(), ct);
        await BulkCopy.InsertAsync(db, receipts.SelectMany(r => r.Items).ToList(), ct);
    }

    /// <summary>E-receipt templates (EBL01 without face value, EBL02 with) and the letter of an organisation's series (26T).</summary>
    public const string EReceiptTemplatePrefix = "EBL";
    public const string EReceiptSeriesLetter = "T";

    private sealed record SeriesBlock(Guid SeriesId, Guid SchoolId, string Template, string Series, long First, string SchoolCode);

    /// <summary>The receipt as the CLI names it: the school, then the number printed on the receipt.</summary>
    public static string Reference(string schoolCode, string template, string series, long number) =>
        $"{schoolCode}/{Receipt.Format(template, series, number)}";
}
