using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Api.Application.Matching;

/// <summary>An open notice whose balance a line's amount may equal: what amount suggestions and the near-miss ranking read.</summary>
internal sealed record AmountCandidate(Guid SchoolId, long Amount, Guid StudentId, DateTimeOffset IssuedAt, DateOnly DueDate);

/// <summary>
/// The engine's look-ups answered from what was read for the batch. On the first pass the suggestion clues are
/// not read yet: what the engine asks for is noted, read for all lines at once, and the lines decided again.
/// </summary>
internal sealed class BatchContext(SchoolBankAccount account, string prefix, IReadOnlyDictionary<string, StudentIdentifier.FactsRow> byCode) : IMatchContext
{
    public Guid SchoolId => account.SchoolId;
    public HashSet<long> AskedAmounts { get; } = [];
    public HashSet<string> AskedPayers { get; } = [];
    public bool AskedNames { get; private set; }
    public bool Asked => AskedNames || AskedAmounts.Count > 0 || AskedPayers.Count > 0;
    public ILookup<long, AmountCandidate>? Candidates { get; set; }
    public ILookup<string, StudentFacts>? Payers { get; set; }
    public Dictionary<Guid, StudentIdentifier.FactsRow>? Facts { get; set; }
    public NameIndex? Names { get; set; }

    public string Prefix => prefix;

    public StudentFacts? ByPaymentCode(string paymentCode) =>
        byCode.TryGetValue(paymentCode, out var x) ? StudentIdentifier.ToFacts(x) with { OtherSchool = x.SchoolId != account.SchoolId } : null;

    public string? PaymentCodeOfVirtualAccount(string bank, string virtualAccount) =>
        bank == account.Bank ? StudentIdentifier.FromVirtualAccount(virtualAccount, account, prefix) : null;

    public IReadOnlyList<StudentFacts> ByPayerAccount(string payerAccount)
    {
        if (Payers is null)
        {
            AskedPayers.Add(payerAccount);
            return [];
        }
        return Payers[payerAccount].DistinctBy(s => s.Id).ToList();
    }

    public IReadOnlyList<StudentFacts> ByOpenAmount(long amountVnd, DateOnly date)
    {
        if (Candidates is null || Facts is null)
        {
            AskedAmounts.Add(amountVnd);
            return [];
        }
        var (issuedBefore, dueFrom) = StudentIdentifier.AmountWindow(date);
        var ids = Candidates[amountVnd].Where(c => c.IssuedAt < issuedBefore && c.DueDate >= dueFrom).Select(c => c.StudentId).Distinct().OrderBy(id => id).ToList();
        return ids.Count > 5 ? [] : ids.Select(id => StudentIdentifier.ToFacts(Facts[id])).ToList();
    }

    public bool Owes(StudentFacts student, long amountVnd)
    {
        if (student.OpenBalanceVnd == amountVnd) return true;
        if (Candidates is null)
        {
            AskedAmounts.Add(amountVnd);
            return false;
        }
        return Candidates[amountVnd].Any(c => c.StudentId == student.Id);
    }

    public IReadOnlyList<(StudentFacts Student, bool ClassToo)> ByName(string text)
    {
        if (Names is null)
        {
            AskedNames = true;
            return [];
        }
        return Names.Find(text);
    }
}
