using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.Domain.Students;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Api.Banks;

public sealed record Identification(IReadOnlyList<Guid> Students, Guid? PreferredNoticeId, string Reason);

/// <summary>
/// Names the students a bank credit is for, from structured ids first: the virtual account, then BIDV's
/// customer code, then payment codes in the description (check digit verified). Anything else is not sure
/// enough to move money and is left unidentified.
/// </summary>
public sealed class StudentIdentifier(FeesDb db)
{
    public async Task<Identification?> IdentifyAsync(BankEvent e, SchoolBankAccount account, string prefix, CancellationToken ct)
    {
        if (e.VirtualAccount is { Length: > 0 } va)
        {
            var code = FromVirtualAccount(va, account, prefix);
            if (code is not null && await StudentAsync(code, ct) is { } s)
                return new Identification([s], await NoticeAsync(e.BillId, s, ct), $"virtual account {Mask(va)}");
        }
        if (e.CustomerId is { Length: > 0 } cid && PaymentCode.TryParse(cid, prefix) is { } c && await StudentAsync(c.Value, ct) is { } st)
            return new Identification([st], await NoticeAsync(e.BillId, st, ct), $"BIDV customer code {c.Value}");

        var codes = PaymentCodeExtractor.Extract(e.Description, prefix);
        var students = new List<Guid>();
        var named = new List<string>();
        foreach (var code in codes)
        {
            if (await StudentAsync(code.Value, ct) is { } id && !students.Contains(id))
            {
                students.Add(id);
                named.Add(code.Value);
            }
        }
        return students.Count == 0 ? null
            : new Identification(students, null, named.Count == 1 ? $"code {named[0]} in description" : $"codes {string.Join(", ", named)} in description");
    }

    /// <summary>BIDV: the 4-character prefix then the payment code. MSB: the 6-digit prefix then the code's 8 digits.</summary>
    public static string? FromVirtualAccount(string va, SchoolBankAccount account, string prefix)
    {
        var v = va.Trim().ToUpperInvariant();
        if (account.VaPrefix is { Length: > 0 } p && v.StartsWith(p.ToUpperInvariant(), StringComparison.Ordinal))
        {
            var rest = v[p.Length..];
            if (PaymentCode.TryParse(rest, prefix) is { } withLetters) return withLetters.Value;
            if (rest.Length == PaymentCode.DigitCount && PaymentCode.TryParse(prefix + rest, prefix) is { } digitsOnly) return digitsOnly.Value;
        }
        return null;
    }

    private async Task<Guid?> StudentAsync(string paymentCode, CancellationToken ct) =>
        await db.Students.AsNoTracking().Where(s => s.PaymentCode == paymentCode).Select(s => (Guid?)s.Id).FirstOrDefaultAsync(ct);

    private async Task<Guid?> NoticeAsync(string? noticeNo, Guid student, CancellationToken ct) =>
        noticeNo is null ? null
            : await db.Notices.AsNoTracking().Where(n => n.NoticeNo == noticeNo && n.StudentId == student).Select(n => (Guid?)n.Id).FirstOrDefaultAsync(ct);

    private static string Mask(string va) => va.Length <= 4 ? "****" : new string('*', va.Length - 4) + va[^4..];
}
