using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>
/// A believable demo authority: the wards and schools of former Thu Dau Mot, 50,877 pupils with Vietnamese
/// names, the 2025-2026 schedule, policy groups, three months of notices, some counter payments and most families
/// paying by bank (<see cref="DemoCollection"/>). It goes through the same import, billing, statement, reconciliation
/// and ledger code as real data, with a fixed random seed.
/// </summary>
public sealed partial class DemoSeeder(FeesDb db, BusinessClock clock, Actor actor, int seed)
{
    private BusinessClock _clock = clock;
    private readonly System.Diagnostics.Stopwatch _watch = System.Diagnostics.Stopwatch.StartNew();
    public const int CityStudents = 50_877;
    public const int CitySchools = 60;

    private readonly Random _rng = new(seed);

    private static readonly string[] Wards =
    [
        "Phú Cường", "Hiệp Thành", "Phú Lợi", "Phú Hòa", "Phú Thọ", "Chánh Nghĩa", "Định Hòa",
        "Hòa Phú", "Phú Mỹ", "Phú Tân", "Tân An", "Hiệp An", "Tương Bình Hiệp", "Chánh Mỹ",
    ];

    private static readonly string[] Namesakes =
    [
        "Hoa Sen", "Sơn Ca", "Họa Mi", "Tuổi Thơ", "Hoa Mai", "Vành Khuyên", "Bình Minh", "Ánh Dương", "Rạng Đông", "Hướng Dương",
        "Phú Cường", "Hiệp Thành", "Nguyễn Du", "Trần Phú", "Lê Thị Hồng Gấm", "Nguyễn Trãi", "Lý Thường Kiệt", "Chu Văn An",
        "Trần Quốc Toản", "Nguyễn Văn Trỗi", "Võ Thị Sáu", "Ngô Quyền", "Phan Bội Châu", "Nguyễn Thị Minh Khai", "Lê Quý Đôn",
        "Trần Hưng Đạo", "Phú Hòa", "Phú Lợi", "Chánh Nghĩa", "Định Hòa", "Tân An", "Hòa Phú", "Phú Mỹ", "Tương Bình Hiệp",
        "Kim Đồng", "Lê Văn Tám", "Nguyễn Viết Xuân", "Huỳnh Văn Lũy", "Trần Văn Ơn", "Hoàng Hoa Thám",
    ];

    private static readonly (string Name, int Weight)[] Surnames =
    [
        ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Huỳnh", 5), ("Hoàng", 3), ("Phan", 4), ("Võ", 4), ("Vũ", 2),
        ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Trương", 2), ("Đinh", 1), ("Lâm", 1),
    ];

    private static readonly string[] BoyMiddle = ["Văn", "Minh", "Gia", "Quốc", "Đức", "Hoàng", "Thành", "Anh", "Bảo", "Tuấn", "Hữu", "Nhật"];
    private static readonly string[] GirlMiddle = ["Thị", "Ngọc", "Thanh", "Bảo", "Khánh", "Minh", "Phương", "Thùy", "Mai", "Gia", "Hồng", "Kim"];
    private static readonly string[] BoyGiven =
        ["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Huy", "Khang", "Khoa", "Kiệt", "Lâm", "Long", "Minh", "Nam", "Nghĩa", "Phát",
         "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thịnh", "Trí", "Trung", "Tuấn", "Vinh", "Vũ", "Hiếu", "Khôi", "Duy", "Hưng", "Lộc"];
    private static readonly string[] GirlGiven =
        ["An", "Anh", "Bích", "Châu", "Chi", "Diệp", "Giang", "Hà", "Hân", "Hương", "Lan", "Linh", "Mai", "My", "Ngân", "Ngọc",
         "Nhi", "Như", "Oanh", "Phương", "Quỳnh", "Tâm", "Thảo", "Thư", "Trang", "Trâm", "Uyên", "Vy", "Yến", "Hồng", "Nhung", "Tiên"];

    public static FeeSchedule Schedule2025()
    {
        var days = new Dictionary<int, int> { [9] = 18, [10] = 22, [11] = 20, [12] = 22, [1] = 15, [2] = 18, [3] = 21, [4] = 20, [5] = 16 };
        FeeScope Levels(params SchoolLevel[] l) => new([], l, [], []);
        const string nq = "NQ 18/2025/NQ-HĐND";
        return new FeeSchedule(new SchoolYear(2025), [9, 10, 11, 12, 1, 2, 3, 4, 5], 15,
        [
            new("BAN_TRU", "Dịch vụ bán trú", FeeKind.Service, FeeUnit.Month, 200_000, Levels(SchoolLevel.MN, SchoolLevel.MG, SchoolLevel.TH), true, nq, new Dictionary<int, int>(), [],
                PartMonth: PartMonthRule.Half),
            new("TIEN_AN", "Tiền ăn bán trú", FeeKind.Service, FeeUnit.Day, 30_000, Levels(SchoolLevel.MN, SchoolLevel.MG, SchoolLevel.TH), true, nq, days, [],
                new Domain.Billing.AbsenceRefundRule(1, false), PartMonth: PartMonthRule.Days),
            new("NUOC_UONG", "Nước uống", FeeKind.Service, FeeUnit.Month, 15_000, FeeScope.All, true, nq, new Dictionary<int, int>(), []),
            new("MAY_LANH", "Dịch vụ máy lạnh", FeeKind.Service, FeeUnit.Month, 40_000, Levels(SchoolLevel.TH, SchoolLevel.THCS), false, nq, new Dictionary<int, int>(), []),
            new("BHYT", "Bảo hiểm y tế học sinh", FeeKind.PassThrough, FeeUnit.Once, 631_800, FeeScope.All, false, "Luật BHYT 51/2024/QH15", new Dictionary<int, int>(), [9]),
            new("TIENG_ANH", "Tiếng Anh tăng cường", FeeKind.Voluntary, FeeUnit.Month, 150_000, Levels(SchoolLevel.TH), false, null, new Dictionary<int, int>(), []),
            new("KY_NANG_SONG", "Kỹ năng sống", FeeKind.Voluntary, FeeUnit.Month, 60_000, Levels(SchoolLevel.TH, SchoolLevel.THCS), false, null, new Dictionary<int, int>(), []),
        ],
        [
            new("HN", "Con hộ nghèo", 100, ["BAN_TRU", "TIEN_AN", "NUOC_UONG"], "NĐ 238/2025/NĐ-CP"),
            new("CS", "Con người có công với cách mạng", 100, ["*"], "NĐ 238/2025/NĐ-CP"),
            new("KT", "Học sinh khuyết tật", 100, ["*"], "NĐ 238/2025/NĐ-CP"),
            new("DTTS", "Học sinh dân tộc thiểu số vùng khó khăn", 70, ["*"], "NĐ 238/2025/NĐ-CP"),
            new("CN", "Con hộ cận nghèo", 50, ["*"], "NĐ 238/2025/NĐ-CP"),
            new("TNLD", "Con người bị tai nạn lao động", 50, ["*"], "NĐ 238/2025/NĐ-CP"),
            new("HT_AN", "Hỗ trợ ăn trưa trẻ mẫu giáo", 0, ["TIEN_AN"], "NĐ 105/2020/NĐ-CP", PolicyKind.Support, 160_000, 9),
        ]);
    }

    public async Task<string> SeedAsync(int schoolCount, int studentCount, IProgress<string>? progress, CancellationToken ct = default)
    {
        // Everything is dated inside the school year it shows: the roster the week before it starts, each month billed on
        // its first morning, paid over the following weeks (DemoTime walks forward, never back).
        var time = new DemoTime(new DateTimeOffset(2025, 8, 25, 8, 0, 0, TimeSpan.FromHours(7)));
        _clock = new BusinessClock(time);
        var (schoolCount2, students) = await SeedRosterAsync(schoolCount, studentCount, progress, ct);

        var billing = new MonthlyBilling(db, _clock, actor);
        var collection = new DemoCollection(db, time, actor, seed);
        var payments = 0;
        var transfers = 0;
        var months = new[] { new BillingMonth(2025, 9), new BillingMonth(2025, 10), new BillingMonth(2025, 11) };
        foreach (var month in months)
        {
            var first = new DateOnly(month.Year, month.Month, 1);
            time.Set(first, 7);
            var r = await billing.IssueAsync(month, null, dryRun: false, ct);
            db.ChangeTracker.Clear();
            // Fresh statistics for the rows just copied in; autovacuum would get there within a minute.
            await db.Database.ExecuteSqlRawAsync("ANALYZE notices, notice_lines, allocations, payments", ct);
            Say($"{r.NoticesCreated:N0} notices for {month}");
            payments += await PlanCounterAsync(collection, month, ct);
            transfers += await collection.PlanAsync(month, months[^1], ct);
            await collection.RunThroughAsync(first.AddMonths(1).AddDays(-1), ct);
            Say($"counter payments and bank statements for {month}, reconciled day by day");
            if (month.Month == 10) await CorrectSomeAsync(new Ledger(db, _clock, actor), ct);
            var absent = await RecordAbsencesAsync(month, ct);
            Say($"{absent:N0} pupils' absences in {month}, given back on the next notice");
            if (month.Month == 10) await SomeoneLeavesAsync(month, ct);
        }
        return $"Seeded the demo authority: {schoolCount2} schools, {students:N0} students, three months of notices, " +
               $"{payments:N0} counter payments, {transfers:N0} bank transfers, in {_watch.Elapsed.TotalSeconds:0} s.";

        void Say(string what) => progress?.Report($"  [{_watch.Elapsed.TotalSeconds:0} s] {what}");
    }

    /// <summary>Schools, the 2025-2026 schedule and the roster, without notices: what a billing run starts from.</summary>
    public async Task<(int Schools, int Students)> SeedRosterAsync(int schoolCount, int studentCount, IProgress<string>? progress, CancellationToken ct = default)
    {
        if (await db.Schools.AnyAsync(ct))
            throw new BusinessRuleException("The database already holds schools; `seed demo` only fills an empty database.");
        var schools = MakeSchools(schoolCount);
        await new SchoolImport(db, _clock, actor).StoreAsync(schools.SelectMany(s => s.Rows).ToList(), ct);
        progress?.Report($"  [{_watch.Elapsed.TotalSeconds:0} s] {schools.Count} schools in {Wards.Length} wards");

        await ImportBooksSetupAsync(ct);
        await new ScheduleImport(db, _clock, actor).StoreAsync(Schedule2025(), ct);
        progress?.Report($"  [{_watch.Elapsed.TotalSeconds:0} s] ceilings, voucher accounts and the fee schedule 2025-2026");

        var students = MakeStudents(schools, studentCount);
        db.ChangeTracker.Clear();
        await new StudentImport(db, _clock, actor).StoreAsync(students, ct);
        db.ChangeTracker.Clear();
        progress?.Report($"  [{_watch.Elapsed.TotalSeconds:0} s] {students.Count:N0} students");
        return (schools.Count, students.Count);
    }

    private sealed record DemoSchool(string Code, SchoolLevel Level, int Students, List<SchoolImport.Row> Rows);

    private List<DemoSchool> MakeSchools(int count)
    {
        // Roughly the city's mix: kindergartens, primary and lower-secondary schools.
        var levels = new List<SchoolLevel>();
        for (var i = 0; i < count; i++)
            levels.Add((i % 12) switch { 0 or 1 or 2 or 3 => SchoolLevel.MN, 4 => SchoolLevel.MG, 5 or 6 or 7 or 8 => SchoolLevel.TH, _ => SchoolLevel.THCS });
        var banks = BankDirectory.CollectionBanks;
        var result = new List<DemoSchool>();
        var perLevel = new Dictionary<SchoolLevel, int>();
        for (var i = 0; i < count; i++)
        {
            var level = levels[i];
            perLevel[level] = perLevel.GetValueOrDefault(level) + 1;
            var code = $"{level}{perLevel[level]:D2}";
            var prefix = level switch
            {
                SchoolLevel.MN => "Trường Mầm non", SchoolLevel.MG => "Trường Mẫu giáo", SchoolLevel.TH => "Trường Tiểu học", _ => "Trường THCS",
            };
            var name = $"{prefix} {Namesakes[i % Namesakes.Length]}";
            if (i >= Namesakes.Length) name += $" {i / Namesakes.Length + 1}";
            var ward = Wards[i % Wards.Length];
            var rows = new List<SchoolImport.Row>();
            var bank = banks[i % banks.Count];
            rows.Add(Row(code, name, level, ward, bank, i));
            if (i % 5 == 0)
            {
                rows.Add(Row(code, name, level, ward, banks[(i + 1) % banks.Count], i + 1000));
            }
            // The first kindergarten also banks at VietinBank, collected through SePay (docs/contracts/aggregators.md).
            if (level == SchoolLevel.MG && perLevel[level] == 1)
                rows.Add(Row(code, name, level, ward, "ICB", i + 2000) with { Channel = BankDirectory.Sepay, ChannelGiven = true });
            result.Add(new DemoSchool(code, level, 0, rows));
        }
        return result;

        SchoolImport.Row Row(string code, string name, SchoolLevel level, string ward, string bank, int n) =>
            new(0, code, name, level.ToString(), ward, bank, BankDirectory.ByCode(bank)!.Bin, AccountNumber(bank, n), HeaderFold(name), null, null)
            {
                // A made-up tax code in Bình Dương's range (37…) and an address, for the demo's e-receipts.
                TaxCode = $"37{n % 1000 + 1:D8}", Address = $"{ward}, Thành phố Hồ Chí Minh", TaxGiven = true,
            };
    }

    private static string AccountNumber(string bank, int n) => bank switch
    {
        BankDirectory.Bidv => $"6521{n:D10}",
        BankDirectory.Vcb => $"0281{n:D9}",
        "ICB" => $"1020{n:D8}",
        _ => $"0300{n:D10}",
    };

    private static string HeaderFold(string name) => Files.HeaderMap.Fold(name).ToUpperInvariant();

    private List<StudentImport.Row> MakeStudents(List<DemoSchool> schools, int total)
    {
        // Weight by level: a primary or lower-secondary school is about four times a kindergarten.
        var weights = schools.Select(s => s.Level is SchoolLevel.MN or SchoolLevel.MG ? 1L : 4L).ToList();
        var sizes = new Domain.Money.Money(total).Split(weights).Select(m => (int)m.Dong).ToList();
        var rows = new List<StudentImport.Row>(total);
        var serial = 0;
        for (var si = 0; si < schools.Count; si++)
        {
            var school = schools[si];
            var grades = school.Level switch
            {
                SchoolLevel.MN or SchoolLevel.MG => new[] { 0 },
                SchoolLevel.TH => [1, 2, 3, 4, 5],
                _ => [6, 7, 8, 9],
            };
            for (var k = 0; k < sizes[si]; k++)
            {
                var grade = grades[k % grades.Length];
                var classNo = k / grades.Length / 35 + 1;
                var className = grade == 0 ? $"{new[] { "Mầm", "Chồi", "Lá" }[k % 3]} {classNo}" : $"{grade}A{classNo}";
                var girl = _rng.Next(2) == 0;
                var surname = Pick(Surnames);
                var name = $"{surname} {(girl ? GirlMiddle : BoyMiddle)[_rng.Next(12)]} {(girl ? GirlGiven : BoyGiven)[_rng.Next(32)]}";
                var birthYear = grade == 0 ? 2020 + k % 3 : 2019 - grade;
                var dob = new DateOnly(birthYear, 1, 1).AddDays(_rng.Next(365));
                var guardian = $"{surname} {BoyMiddle[_rng.Next(12)]} {BoyGiven[_rng.Next(32)]}";
                var phone = $"09{_rng.Next(10_000_000, 99_999_999)}";
                // Every twelfth pupil is a younger sibling of the one before (same guardian); every fourth guardian
                // gave an e-mail address. Taken from the serial, so the random sequence (and the demo) stays as it was.
                if (k > 0 && (serial + 1) % 12 == 0) (guardian, phone) = (rows[^1].GuardianName!, rows[^1].GuardianPhone!);
                var email = (serial + 1) % 4 == 0 ? $"phuhuynh{serial + 1}@example.vn" : null;
                var policies = new List<(string, DateOnly?)>();
                var roll = _rng.Next(1000);
                if (roll < 25) policies.Add(("HN", roll < 5 ? new DateOnly(2025, 9, 30) : new DateOnly(2025, 12, 31)));
                else if (roll < 75) policies.Add(("CN", new DateOnly(2025, 12, 31)));
                else if (roll < 80) policies.Add(("KT", null));
                else if (roll < 84) policies.Add(("CS", null));
                else if (roll < 87) policies.Add(("DTTS", null));
                else if (roll < 90) policies.Add(("TNLD", new DateOnly(2026, 5, 31)));
                if (roll < 25 && _rng.Next(3) == 0) policies.Add(("CN", new DateOnly(2026, 5, 31)));
                // One kindergarten child in ten has the state's lunch support, with its decision as evidence.
                Dictionary<string, string>? evidence = null;
                if (grade == 0 && serial % 10 == 3)
                {
                    policies.Add(("HT_AN", new DateOnly(2026, 5, 31)));
                    evidence = new Dictionary<string, string> { ["HT_AN"] = $"QĐ {serial % 997 + 1}/QĐ-UBND" };
                }
                var optional = new List<string>();
                if (school.Level == SchoolLevel.TH && _rng.Next(10) < 4) optional.Add("TIENG_ANH");
                if (school.Level is SchoolLevel.TH or SchoolLevel.THCS && _rng.Next(10) < 2) optional.Add("KY_NANG_SONG");
                DateOnly? enrolled = _rng.Next(100) switch { 0 => new DateOnly(2025, 10, 6), 1 => new DateOnly(2025, 11, 3), _ => null };
                serial++;
                rows.Add(new StudentImport.Row(serial, school.Code, $"79{serial:D8}", name, dob, girl ? "Nữ" : "Nam", grade, className,
                    guardian, phone, email, enrolled, policies, optional, Evidence: evidence));
            }
        }
        return rows;
    }

    private string Pick((string Name, int Weight)[] items)
    {
        var roll = _rng.Next(items.Sum(i => i.Weight));
        foreach (var (name, weight) in items)
        {
            if (roll < weight) return name;
            roll -= weight;
        }
        return items[0].Name;
    }
}
