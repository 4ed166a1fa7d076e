using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.Domain.Schedule;
using TdmEdu.Fees.Domain.Students;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>
/// A simulated school year of a whole province, for the education office's benchmark (docs/benchmarks.md): schools
/// across wards, a roster written with COPY, ten monthly billings by the real billing run (September 2025 to May 2026,
/// and September 2026 for a same-month-last-year comparison), and a year of collection: most families pay in full,
/// mostly by bank, spread over the month, some late or in part, a few never; a little unidentified money waiting;
/// months closed by most schools. The collection is written set-based in SQL (<see cref="CollectSql"/>): the ledger's
/// path, one payment at a time, would take hours for ten million payments. Benchmark data only: it fills an empty
/// database and never runs beside real money.
/// </summary>
public sealed partial class ProvinceSeeder(FeesDb db, Actor actor, int seed)
{
    public const int ProvinceStudents = 1_000_000, ProvinceSchools = 1_200, ProvinceWards = 120;

    /// <summary>The ten billing months: a school year, and the next September.</summary>
    public static readonly BillingMonth[] Months =
        [.. new[] { 9, 10, 11, 12, 1, 2, 3, 4, 5 }.Select(m => new SchoolYear(2025).MonthOf(m)), new(2026, 9)];

    private static readonly string[] Places =
    [
        "An Bình", "An Phú", "Bình Hòa", "Bình Nhâm", "Chánh Phú Hòa", "Dĩ An", "Đông Hòa", "Hòa Lợi", "Hưng Định", "Khánh Bình",
        "Lái Thiêu", "Long Nguyên", "Phú An", "Phước Hòa", "Tân Đông Hiệp", "Tân Khánh", "Tân Uyên", "Thới Hòa", "Thuận An", "Thuận Giao",
        "Vĩnh Phú", "Vĩnh Tân", "Bến Cát", "Bàu Bàng", "Dầu Tiếng", "Minh Thạnh", "Long Hòa", "Thanh Tuyền", "Phú Giáo", "An Long",
    ];

    private static readonly string[] Family = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Bùi", "Đặng", "Đỗ", "Ngô"];
    private static readonly string[] Given = ["Anh", "Bảo", "Châu", "Duy", "Giang", "Hà", "Hải", "Hân", "Khang", "Khoa", "Linh", "Long", "My", "Nam", "Ngọc", "Phúc", "Quân", "Tâm", "Thảo", "Vy"];

    private readonly Random _rng = new(seed);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public async Task<string> SeedAsync(int schoolCount, int studentCount, int wardCount, IProgress<string>? progress, CancellationToken ct = default)
    {
        if (await db.Schools.AnyAsync(ct))
            throw new BusinessRuleException("The database already holds schools; `seed province` only fills an empty database.");
        await db.Database.OpenConnectionAsync(ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        // A benchmark's bulk load: no wait for the disk at each commit, and (when allowed) no foreign-key or summary
        // triggers per row; the summary is rebuilt once at the end.
        await ExecAsync(conn, "SET synchronous_commit = off", ct);
        var fast = await TryAsync(conn, "SET session_replication_role = replica", ct);

        var schools = MakeSchools(schoolCount, wardCount);
        await new SchoolImport(db, Clock(Months[0]), actor).StoreAsync(schools, ct);
        await new ScheduleImport(db, Clock(Months[0]), actor).StoreAsync(DemoSeeder.Schedule2025(), ct);
        await new ScheduleImport(db, Clock(Months[0]), actor).StoreAsync(DemoSeeder.Schedule2025() with { SchoolYear = new SchoolYear(2026) }, ct);
        db.ChangeTracker.Clear();
        Say(progress, $"{schools.Count:N0} schools in {wardCount} wards");
        await StoreStudentsAsync(studentCount, ct);
        Say(progress, $"{studentCount:N0} pupils");

        long payments = 0;
        foreach (var month in Months)
        {
            var billed = await new MonthlyBilling(db, Clock(month), actor).IssueAsync(month, null, dryRun: false, ct);
            db.ChangeTracker.Clear();
            payments = await CollectAsync(conn, month, ct);
            Say(progress, $"{month}: {billed.NoticesCreated:N0} notices, collection to date {payments:N0} payments");
        }
        await CloseAndParkAsync(conn, ct);
        if (fast) await ExecAsync(conn, "SET session_replication_role = DEFAULT", ct);
        await ExecAsync(conn, "ANALYZE", ct);
        Say(progress, "months closed, unidentified money parked, statistics fresh");
        var rebuild = Stopwatch.StartNew();
        var (months, series) = await new CollectionSummary(db).RebuildAsync(ct);
        Say(progress, $"summary rebuilt: {months:N0} school-months, {series:N0} receipt series in {rebuild.Elapsed.TotalSeconds:0.0} s");
        return $"Seeded a province: {schools.Count:N0} schools in {wardCount} wards, {studentCount:N0} pupils, {Months.Length} monthly billings, " +
               $"{payments:N0} payments, in {_clock.Elapsed.TotalMinutes:0.0} min.";
    }

    private void Say(IProgress<string>? progress, string what) => progress?.Report($"  [{_clock.Elapsed.TotalSeconds:0} s] {what}");

    /// <summary>The business clock of a month's billing: its first morning.</summary>
    private static BusinessClock Clock(BillingMonth month) =>
        new(new FixedTime(new DateTimeOffset(month.Year, month.Month, 1, 8, 0, 0, TimeSpan.FromHours(7))));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();
    }

    private List<SchoolImport.Row> MakeSchools(int count, int wardCount)
    {
        var wards = Enumerable.Range(0, wardCount).Select(i => (i % 3 == 2 ? "Xã " : "Phường ") + Places[i % Places.Length] + (i < Places.Length ? "" : $" {i / Places.Length + 1}")).ToList();
        var rows = new List<SchoolImport.Row>();
        var perLevel = new Dictionary<string, int>();
        for (var i = 0; i < count; i++)
        {
            var level = (i % 12) switch { 0 or 1 or 2 or 3 => "MN", 4 => "MG", 5 or 6 or 7 or 8 => "TH", _ => "THCS" };
            perLevel[level] = perLevel.GetValueOrDefault(level) + 1;
            var prefix = level switch { "MN" => "Trường Mầm non", "MG" => "Trường Mẫu giáo", "TH" => "Trường Tiểu học", _ => "Trường THCS" };
            var name = $"{prefix} {Places[_rng.Next(Places.Length)]} {perLevel[level]}";
            var bank = BankDirectory.CollectionBanks[i % BankDirectory.CollectionBanks.Count];
            var account = bank switch { BankDirectory.Bidv => $"6522{i:D10}", BankDirectory.Vcb => $"0282{i:D9}", _ => $"0301{i:D10}" };
            rows.Add(new SchoolImport.Row(i + 2, $"P{level}{perLevel[level]:D4}", name, level, wards[i % wardCount], bank, BankDirectory.ByCode(bank)!.Bin,
                account, Files.HeaderMap.Fold(name).ToUpperInvariant(), null, null));
        }
        return rows;
    }

    /// <summary>
    /// The roster, straight into its tables with COPY (the import's rules are for files people send; this is generated):
    /// a primary or lower-secondary school four times a kindergarten, one class of 35 per grade and group, payment codes
    /// from the authority's sequence, one pupil in eleven in a reduction group, four in ten of primary pupils in English.
    /// </summary>
    private async Task StoreStudentsAsync(int total, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var authority = await Authorities.GetOrCreateAsync(db, ct);
        var schools = await db.Schools.AsNoTracking().OrderBy(s => s.Code).Select(s => new { s.Id, s.Level }).ToListAsync(ct);
        var sizes = new Domain.Money.Money(total).Split(schools.Select(s => s.Level is "MN" or "MG" ? 1L : 4L).ToList()).Select(m => (int)m.Dong).ToList();
        var serial = 0;
        var students = new List<Student>();
        var policies = new List<StudentPolicy>();
        var classes = new List<SchoolClass>();
        for (var si = 0; si < schools.Count; si++)
        {
            int[] grades = schools[si].Level switch { "MN" or "MG" => [0], "TH" => [1, 2, 3, 4, 5], _ => [6, 7, 8, 9] };
            var classOf = new Dictionary<string, SchoolClass>();
            for (var k = 0; k < sizes[si]; k++)
            {
                var grade = grades[k % grades.Length];
                var group = k / grades.Length / 35 + 1;
                var className = grade == 0 ? $"{new[] { "Mầm", "Chồi", "Lá" }[k % 3]} {group}" : $"{grade}A{group}";
                if (!classOf.TryGetValue(className, out var cls))
                    classes.Add(classOf[className] = cls = new SchoolClass { Id = Guid.CreateVersion7(), SchoolId = schools[si].Id, Name = className, Grade = grade });
                var s = new Student
                {
                    Id = Guid.CreateVersion7(), StudentCode = $"80{serial:D8}", PaymentCode = PaymentCode.Create(authority.PaymentCodePrefix, authority.NextPaymentSequence++).Value,
                    SchoolId = schools[si].Id, ClassId = cls.Id, Grade = grade, Gender = k % 2 == 0 ? "Nam" : "Nữ",
                    FullName = $"{Family[_rng.Next(Family.Length)]} {(k % 2 == 0 ? "Văn" : "Thị")} {Given[_rng.Next(Given.Length)]}",
                    DateOfBirth = new DateOnly(grade == 0 ? 2020 + k % 3 : 2019 - grade, 1, 1).AddDays(_rng.Next(365)),
                    OptionalItems = schools[si].Level == "TH" && _rng.Next(10) < 4 ? ["TIENG_ANH"] : [],
                };
                students.Add(s);
                if (_rng.Next(11) == 0) policies.Add(new StudentPolicy { StudentId = s.Id, PolicyCode = _rng.Next(3) == 0 ? "HN" : "CN", ValidUntil = null });
                serial++;
            }
            if (students.Count >= 100_000 || si == schools.Count - 1)
            {
                await BulkCopy.WriteAsync(db, classes, ct);
                await BulkCopy.WriteAsync(db, students, ct);
                await BulkCopy.WriteAsync(db, policies, ct);
                (classes, students, policies) = ([], [], []);
            }
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<bool> TryAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        try
        {
            await ExecAsync(conn, sql, ct);
            return true;
        }
        catch (PostgresException)
        {
            return false;
        }
    }
}
