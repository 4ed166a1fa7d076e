using TdmEdu.Fees.Domain.Students;
using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Tests.Matching;

/// <summary>A pupil of the generated school: facts as the matcher sees them, the family behind the transfers, what is open.</summary>
internal sealed record GeneratedPupil(StudentFacts Facts, string Given, Family Family, IReadOnlyList<long> OpenNotices);

/// <summary>A family: who pays, from which account, and whether that account paid for its children before.</summary>
internal sealed record Family(string ParentName, string Account, bool PaidBefore);

/// <summary>
/// A primary school of 2,000 pupils in a city of 50,000, as the matcher would see it. Codes are given as the service
/// gives them, in import order: the city's schools one after the other, a school's pupils class by class, so a pupil's
/// neighbours in code are classmates on the same fees. October's notice after the schedule of the worked example (meals
/// 22 days, semi-boarding, English for three in ten, reductions for one in twelve), September's still open for one in
/// seven; one family in seven has two children here; six families in ten paid from the same account before. Names from
/// the common Vietnamese family, middle and given names, so some repeat.
/// </summary>
internal sealed class GeneratedSchool : IMatchContext
{
    public const int CitySize = 50_000, FirstSequence = 20_001, Grades = 5, ClassesPerGrade = 10, ClassSize = 40;

    private static readonly (string Name, int Weight)[] FamilyNames =
        [("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 5), ("Huỳnh", 4), ("Phan", 4), ("Vũ", 4), ("Võ", 3), ("Đặng", 3),
         ("Bùi", 3), ("Đỗ", 3), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1)];
    private static readonly string[] Middle = ["Văn", "Thị", "Minh", "Ngọc", "Gia", "Bảo", "Hoàng", "Thanh", "Quốc", "Đức", "Anh", "Khánh", "Hải", "Thu", "Phương"];
    private static readonly string[] Given =
        ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải", "Hân", "Hoa", "Huy", "Hùng", "Khang", "Khoa", "Lan", "Linh", "Long", "Mai", "Minh", "My", "Nam",
         "Ngân", "Ngọc", "Nhi", "Phúc", "Phương", "Quân", "Quang", "Tâm", "Thảo", "Thư", "Trang", "Trí", "Tú", "Tuấn", "Uyên", "Vy", "Yến", "Đạt", "Bảo", "Khôi"];

    private readonly Dictionary<string, StudentFacts> _school = [];
    private readonly Dictionary<Guid, GeneratedPupil> _byId = [];
    private readonly ILookup<long, StudentFacts> _byNoticeBalance;
    private readonly Dictionary<string, List<StudentFacts>> _payers = [];
    private readonly NameIndex _names;

    public GeneratedSchool(int seed)
    {
        var rng = new Random(seed);
        Pupils = [];
        var sequence = FirstSequence;
        var families = new List<Family>();
        Family NewFamily(string familyName) => new($"{familyName} {Pick(rng, Middle)} {Pick(rng, Given)}".ToUpperInvariant(),
            rng.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture), rng.NextDouble() < 0.6);
        for (var grade = 1; grade <= Grades; grade++)
            for (var cls = 1; cls <= ClassesPerGrade; cls++)
            {
                var className = $"{grade}A{cls}";
                // A roster file lists a class by name: codes follow that order.
                var members = Enumerable.Range(0, ClassSize).Select(_ =>
                {
                    // One family in seven already has a child here (an older sibling, another grade).
                    var sibling = families.Count > 0 && rng.NextDouble() < 1.0 / 7 ? families[rng.Next(families.Count)] : null;
                    var family = sibling ?? NewFamily(Weighted(rng, FamilyNames));
                    if (sibling is null) families.Add(family);
                    var familyName = family.ParentName.Split(' ')[0];
                    var given = Pick(rng, Given);
                    return (Name: $"{Capital(familyName)} {Pick(rng, Middle)} {given}", Given: given, Family: family);
                }).OrderBy(m => m.Given, StringComparer.Ordinal).ToList();
                foreach (var m in members)
                {
                    var english = rng.NextDouble() < 0.3 ? 150_000 : 0;
                    var reduction = rng.NextDouble();
                    var (meals, boarding) = reduction < 0.04 ? (660_000L, 0L) : reduction < 0.08 ? (330_000L, 100_000L) : (660_000L, 200_000L);
                    var october = meals + boarding + english;
                    var notices = rng.NextDouble() < 1.0 / 7 ? new List<long> { october + 511_800, october } : [october];
                    var facts = new StudentFacts(Guid.NewGuid(), PaymentCode.Create("HS", sequence++).Value, m.Name, className, notices.Sum());
                    var pupil = new GeneratedPupil(facts, m.Given, m.Family, notices);
                    Pupils.Add(pupil);
                    _school[facts.PaymentCode] = facts;
                    _byId[facts.Id] = pupil;
                    if (m.Family.PaidBefore)
                    {
                        if (!_payers.TryGetValue(m.Family.Account, out var list)) _payers[m.Family.Account] = list = [];
                        list.Add(facts);
                    }
                }
            }
        _byNoticeBalance = Pupils.SelectMany(p => p.OpenNotices.Select(n => (n, p.Facts))).ToLookup(x => x.n, x => x.Facts);
        _names = new NameIndex(Pupils.Select(p => p.Facts));
    }

    public List<GeneratedPupil> Pupils { get; }

    public string Prefix => "HS";

    public StudentFacts? ByPaymentCode(string paymentCode)
    {
        if (_school.TryGetValue(paymentCode, out var s)) return s;
        // Every other code of the city's range is a pupil of another school.
        var p = PaymentCode.TryParse(paymentCode, Prefix);
        if (p is null || !int.TryParse(p.Digits[..7], out var sequence) || sequence is < 1 or > CitySize) return null;
        return new StudentFacts(Guid.NewGuid(), paymentCode, "Học Sinh Trường Khác", "9A1", 1_000_000, OtherSchool: true);
    }

    public string? PaymentCodeOfVirtualAccount(string bank, string virtualAccount) => null;

    public IReadOnlyList<StudentFacts> ByPayerAccount(string payerAccount) => _payers.TryGetValue(payerAccount, out var list) ? list : [];

    /// <summary>As the service answers: nobody when more than five pupils owe exactly the amount.</summary>
    public IReadOnlyList<StudentFacts> ByOpenAmount(long amountVnd, DateOnly date)
    {
        var owing = _byNoticeBalance[amountVnd].DistinctBy(s => s.Id).Take(6).ToList();
        return owing.Count > 5 ? [] : owing;
    }

    public IReadOnlyList<(StudentFacts Student, bool ClassToo)> ByName(string text) => _names.Find(text);

    public bool Owes(StudentFacts student, long amountVnd) =>
        student.OpenBalanceVnd == amountVnd || _byId.TryGetValue(student.Id, out var p) && p.OpenNotices.Contains(amountVnd);

    private static string Pick(Random rng, string[] from) => from[rng.Next(from.Length)];

    private static string Weighted(Random rng, (string Name, int Weight)[] from)
    {
        var n = rng.Next(from.Sum(f => f.Weight));
        foreach (var (name, weight) in from)
            if ((n -= weight) < 0) return name;
        return from[^1].Name;
    }

    private static string Capital(string upper) => upper[..1] + upper[1..].ToLowerInvariant();
}
