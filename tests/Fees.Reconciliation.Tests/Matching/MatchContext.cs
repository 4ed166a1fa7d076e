using TdmEdu.Fees.Domain.Students;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Tests.Matching;

/// <summary>An in-memory school for the matcher: its pupils, the payer accounts earlier matches tied to them.</summary>
internal sealed class MatchContext(string prefix = "HS") : IMatchContext
{
    public List<StudentFacts> Students { get; } = [];
    public Dictionary<string, List<Guid>> Payers { get; } = [];
    public string Prefix => prefix;
    public StudentFacts? ByPaymentCode(string code) => Students.FirstOrDefault(s => s.PaymentCode == code);
    public string? PaymentCodeOfVirtualAccount(string bank, string va) =>
        bank == "MSB" && va.StartsWith("880001", StringComparison.Ordinal) ? prefix + va[6..] : null;
    public IReadOnlyList<StudentFacts> ByPayerAccount(string payer) =>
        Payers.TryGetValue(payer, out var ids) ? Students.Where(s => ids.Contains(s.Id)).ToList() : [];
    public IReadOnlyList<StudentFacts> ByOpenAmount(long amount, DateOnly date) => Students.Where(s => s.OpenBalanceVnd == amount).ToList();
    public IReadOnlyList<(StudentFacts Student, bool ClassToo)> ByName(string text) => new NameIndex(Students).Find(text);

    public StudentFacts Add(int sequence, string name, string className = "1A1", long openBalanceVnd = 1_000_000, bool otherSchool = false)
    {
        var s = new StudentFacts(Guid.NewGuid(), PaymentCode.Create(prefix, sequence).Value, name, className, openBalanceVnd, otherSchool);
        Students.Add(s);
        return s;
    }

    public static LineFacts Credit(string content, long amountVnd = 1_000_000, string? va = null, string? customerId = null,
        string? payer = null, string bank = "VCB", string? type = null) =>
        new(bank, new DateOnly(2025, 9, 10), true, false, amountVnd, content, va, customerId, payer, null, type);

    /// <summary>
    /// A prefix no earlier call returned. The matcher keeps the patterns it builds per prefix for the life of the
    /// process; a test that must see the pattern it reads built while it runs asks for a prefix of its own.
    /// </summary>
    public static string FreshPrefix()
    {
        const string letters = "ABCDEFGHJKMNPQRSTUVWXYZ"; // a prefix has no O, I or L
        var n = Interlocked.Increment(ref _prefixes);
        return $"{letters[n / (23 * 23) % 23]}{letters[n / 23 % 23]}{letters[n % 23]}";
    }

    private static int _prefixes = 23 * 23 * 7;
}
