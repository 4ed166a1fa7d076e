using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Application.Receipts;

/// <summary>
/// Which document a school's fee item gets (contracts/ereceipts.md §2): the tax office decides, the accountant sets it.
/// A change is a new row from now on; money already collected keeps the document it got.
/// </summary>
public sealed class DocumentKindDesk(FeesDb db, BusinessClock clock, Actor actor)
{
    public sealed record ItemKind(string ItemCode, string ItemName, string DocumentKind);

    /// <summary>Every item the school's notices bill, with its document now.</summary>
    public async Task<List<ItemKind>> ListAsync(string schoolCode, CancellationToken ct)
    {
        var school = await SchoolAsync(schoolCode, ct);
        var items = await db.FeeItems.AsNoTracking().Where(i => i.Active).GroupBy(i => i.Code).Select(g => new { Code = g.Key, Name = g.Max(i => i.Name) }).ToListAsync(ct);
        var kinds = await CurrentAsync(school.Id, ct);
        return items.OrderBy(i => i.Code, StringComparer.Ordinal).Select(i => new ItemKind(i.Code, i.Name ?? "", kinds.GetValueOrDefault(i.Code, DocumentKinds.Receipt))).ToList();
    }

    public async Task<Said> SetAsync(string schoolCode, string itemCode, string kind, CancellationToken ct)
    {
        var code = (itemCode ?? "").Trim().ToUpperInvariant();
        var wanted = (kind ?? "").Trim().ToLowerInvariant();
        if (!DocumentKinds.All.Contains(wanted))
            throw new BadInputException("--kind", null, null, $"\"{kind}\" is not receipt, invoice_sales or invoice_vat.",
                $"\"{kind}\" không phải receipt (biên lai), invoice_sales (hoá đơn bán hàng) hay invoice_vat (hoá đơn GTGT).");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var school = await SchoolAsync(schoolCode, ct);
        if (!await db.FeeItems.AnyAsync(i => i.Code == code, ct))
            throw new BadInputException("--item", null, null, $"the fee schedule has no item {code}.", $"biểu phí không có khoản {code}.");
        await db.Database.ExecuteSqlAsync($"SELECT id FROM schools WHERE id = {school.Id} FOR UPDATE", ct);
        var now = (await CurrentAsync(school.Id, ct)).GetValueOrDefault(code, DocumentKinds.Receipt);
        if (now == wanted)
            return new Said($"Item {code} of school {school.Code} already gets {wanted}; nothing changed.", $"Khoản {code} của trường {school.Code} đã là {Vi(wanted)}; không có gì thay đổi.");
        db.ItemDocumentKinds.Add(new ItemDocumentKind { Id = Guid.CreateVersion7(), SchoolId = school.Id, ItemCode = code, DocumentKind = wanted, FromAt = clock.Now, ChangedBy = actor.Name });
        AuditLog.Record(db, clock, actor, "ereceipts.document-kind", "school", school.Code, new { item = code, from = now, to = wanted });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Said($"From now on, money for item {code} of school {school.Code} gets {wanted}; money already collected keeps its documents.",
            $"Từ nay, tiền thu khoản {code} của trường {school.Code} được lập {Vi(wanted)}; các khoản đã thu giữ nguyên chứng từ đã lập.");
    }

    public static string Vi(string kind) => kind switch
    {
        DocumentKinds.InvoiceSales => "hoá đơn bán hàng (do nhà cung cấp hoá đơn lập)",
        DocumentKinds.InvoiceVat => "hoá đơn GTGT (do nhà cung cấp hoá đơn lập)",
        _ => "biên lai điện tử",
    };

    private async Task<Dictionary<string, string>> CurrentAsync(Guid schoolId, CancellationToken ct) =>
        (await db.ItemDocumentKinds.AsNoTracking().Where(k => k.SchoolId == schoolId).OrderBy(k => k.FromAt).ToListAsync(ct))
        .GroupBy(k => k.ItemCode).ToDictionary(g => g.Key, g => g.Last().DocumentKind);

    private async Task<School> SchoolAsync(string code, CancellationToken ct) =>
        await db.Schools.AsNoTracking().SingleOrDefaultAsync(s => s.Code == (code ?? "").Trim().ToUpperInvariant(), ct)
        ?? throw new BadInputException("--school", null, null, $"there is no school {code}.", $"không có trường {code}.");
}
