using Microsoft.EntityFrameworkCore;

namespace TdmEdu.Fees.Api.Persistence;

/// <summary>The supervising authority this deployment serves; created on first need.</summary>
public static class Authorities
{
    public const string DefaultCode = "TDM";
    public const string DefaultName = "Thủ Dầu Một (cũ), TP. Hồ Chí Minh";
    public const string DefaultPrefix = "HS";

    public static async Task<Authority> GetOrCreateAsync(FeesDb db, CancellationToken ct = default)
    {
        var a = await db.Authorities.OrderBy(x => x.Code).FirstOrDefaultAsync(ct);
        if (a is not null) return a;
        a = new Authority
        {
            Id = Guid.CreateVersion7(),
            Code = DefaultCode,
            Name = DefaultName,
            PaymentCodePrefix = DefaultPrefix,
            NextPaymentSequence = 1_000_000,
        };
        db.Authorities.Add(a);
        await db.SaveChangesAsync(ct);
        return a;
    }
}
