using System.Diagnostics;
using System.Globalization;
using Npgsql;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Domain.Schedule;

// Benchmarks beside their PostgreSQL baselines, measured in the same run (docs/benchmarks.md).
// Usage: Fees.Benchmarks billing [--runs N] [--students N] [--with-attendance]   (FEES_BENCH_DB: a database it may wipe)
//        Fees.Benchmarks authority [--only city|province] [--requests N] [--pupils N] [--schools N] [--wards N] [--views-only]
var argv = args.ToList();
var what = argv.FirstOrDefault() ?? "billing";
int Opt(string name, int fallback)
{
    var i = argv.IndexOf(name);
    return i >= 0 && i + 1 < argv.Count ? int.Parse(argv[i + 1], CultureInfo.InvariantCulture) : fallback;
}
var runs = Opt("--runs", 7);
var students = Opt("--students", DemoSeeder.CityStudents);
if (what == "qr")
{
    QrBenchmark.Run(Opt("--runs", 7), Opt("--count", 2000));
    return;
}
var cs = Environment.GetEnvironmentVariable("FEES_BENCH_DB")
    ?? throw new InvalidOperationException("Set FEES_BENCH_DB to a database the benchmark may wipe (./fees bench does).");
if (what == "ingest")
{
    await IngestBenchmark.RunAsync(cs, Opt("--concurrency", 16), Opt("--seconds", 10), Opt("--runs", 3));
    return;
}
if (what == "peak")
{
    var ha = argv.Contains("--ha")
        ? new PeakBenchmark.HaDrill(Environment.GetEnvironmentVariable("FEES_BENCH_HA_SCRIPT") ?? throw new InvalidOperationException("--ha runs through ./fees bench peak --ha"),
            Environment.GetEnvironmentVariable("FEES_BENCH_HA_DIR")!)
        : null;
    await PeakBenchmark.RunAsync(cs, Opt("--pupils", DemoSeeder.CityStudents), Opt("--concurrency", 16), Opt("--nodes", 1), Opt("--aggregators", 0), ha, argv.Contains("--backlog"));
    return;
}
if (what == "reconcile")
{
    await ReconcileBenchmark.RunAsync(cs, Opt("--lines", 60_000), Opt("--workers", Environment.ProcessorCount), Opt("--rounds", 4));
    return;
}
if (what == "messages")
{
    await MessagesBenchmark.RunAsync(cs, Opt("--runs", 3), Opt("--rate", 100_000), Opt("--capped-seconds", 90));
    return;
}
if (what == "authority")
{
    var only = argv.IndexOf("--only") is var o and >= 0 && o + 1 < argv.Count ? argv[o + 1] : "all";
    await AuthorityBenchmark.RunAsync(cs, Opt("--requests", 200), only, Opt("--pupils", ProvinceSeeder.ProvinceStudents), Opt("--schools", ProvinceSeeder.ProvinceSchools),
        Opt("--wards", ProvinceSeeder.ProvinceWards), rebuildToo: !argv.Contains("--views-only"));
    return;
}
if (what != "billing") throw new InvalidOperationException($"Unknown benchmark {what}; try: authority, billing, ingest, messages, peak, qr, reconcile.");

var clock = new BusinessClock(TimeProvider.System);
var actor = new Actor("bench");
await using (var db = Database.Open(cs))
{
    await Database.MigrateAsync(db);
    if (!db.Schools.Any())
    {
        Console.Error.WriteLine($"Seeding the roster ({students:N0} students)...");
        await new DemoSeeder(db, clock, actor, 20250905).SeedRosterAsync(DemoSeeder.CitySchools, students, null);
    }
}
await ExecAsync("ANALYZE");

// --with-attendance bills October after September: September billed once, one pupil in twelve of the schools that
// serve meals absent a few days, so October gives meals back and caps the state's lunch support by the months paid.
var withAttendance = argv.Contains("--with-attendance");
var month = withAttendance ? new BillingMonth(2025, 10) : new BillingMonth(2025, 9);
byte[] septNotices = [], septLines = [];
if (withAttendance)
{
    await ExecAsync("TRUNCATE notices, billing_runs, attendance_months CASCADE");
    await using (var db = Database.Open(cs))
        await new MonthlyBilling(db, clock, actor).IssueAsync(new BillingMonth(2025, 9), null, dryRun: false);
    await using (var db = Database.Open(cs))
    {
        var rng = new Random(7);
        var eaters = db.Students.Where(s => db.Notices.Any(n => n.StudentId == s.Id && n.PeriodKey == 202509 && n.Lines.Any(l => l.ItemCode == "TIEN_AN")))
            .OrderBy(s => s.StudentCode).Select(s => s.StudentCode).ToList();
        var absent = eaters.Where(_ => rng.Next(12) == 0)
            .Select((code, i) => new TdmEdu.Fees.Api.Application.Attendance.AbsenceMonth(code, new BillingMonth(2025, 9), 1 + rng.Next(4), rng.Next(4) == 0 ? 1 : 0, null, null, i + 1)).ToList();
        await new TdmEdu.Fees.Api.Application.Attendance.AttendanceStore(db, clock, actor).StoreAsync(absent, null, "bench");
        Console.Error.WriteLine($"September billed; {absent.Count:N0} pupils absent in September.");
    }
    septNotices = await CopyOutAsync("(SELECT * FROM notices WHERE period_key = 202509)");
    septLines = await CopyOutAsync("(SELECT l.* FROM notice_lines l JOIN notices n ON n.id = l.notice_id WHERE n.period_key = 202509)");
    await ExecAsync("ANALYZE");
}
async Task RestoreSeptemberAsync()
{
    if (!withAttendance) return;
    await using var conn = new NpgsqlConnection(cs);
    await conn.OpenAsync();
    await using var tx = await conn.BeginTransactionAsync();
    await CopyInAsync(conn, "notices", septNotices);
    await CopyInAsync(conn, "notice_lines", septLines);
    await using (var reset = new NpgsqlCommand("UPDATE attendance_months SET settled = false", conn)) await reset.ExecuteNonQueryAsync();
    await tx.CommitAsync();
}
long refunds = 0, supported = 0, messages = 0;
var billing = new List<double>();
var copy = new List<double>();
var bare = new List<double>();
long notices = 0, lines = 0;
for (var run = 0; run <= runs; run++)
{
    await ExecAsync(withAttendance ? "TRUNCATE notices CASCADE" : "TRUNCATE notices, billing_runs CASCADE");
    await RestoreSeptemberAsync();

    var sw = Stopwatch.StartNew();
    await using (var db = Database.Open(cs))
        await new MonthlyBilling(db, clock, actor).IssueAsync(month, null, dryRun: false);
    var billingSeconds = sw.Elapsed.TotalSeconds;

    // The same rows, taken out in PostgreSQL's binary format and copied back in: the floor for writing them.
    var noticeRows = await CopyOutAsync($"(SELECT * FROM notices WHERE period_key = {month.Key})");
    var lineRows = await CopyOutAsync($"(SELECT l.* FROM notice_lines l JOIN notices n ON n.id = l.notice_id WHERE n.period_key = {month.Key})");
    var refundRows = await CopyOutAsync("absence_refunds");
    // The messages to the families the run queues in its own transaction (one per guardian channel and notice).
    var messageRows = await CopyOutAsync($"(SELECT m.* FROM messages m JOIN notices n ON n.id = m.notice_id WHERE n.period_key = {month.Key})");
    messages = await ScalarAsync($"SELECT count(*) FROM messages m JOIN notices n ON n.id = m.notice_id WHERE n.period_key = {month.Key}");
    notices = await ScalarAsync($"SELECT count(*) FROM notices WHERE period_key = {month.Key}");
    lines = await ScalarAsync($"SELECT count(*) FROM notice_lines l JOIN notices n ON n.id = l.notice_id WHERE n.period_key = {month.Key}");
    refunds = await ScalarAsync("SELECT count(*) FROM absence_refunds");
    supported = await ScalarAsync($"SELECT count(*) FROM notice_lines l JOIN notices n ON n.id = l.notice_id WHERE n.period_key = {month.Key} AND l.support_vnd > 0");
    await ExecAsync("TRUNCATE notices CASCADE");
    await RestoreSeptemberAsync();
    sw.Restart();
    await using (var conn = new NpgsqlConnection(cs))
    {
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await CopyInAsync(conn, "notices", noticeRows);
        await CopyInAsync(conn, "notice_lines", lineRows);
        await CopyInAsync(conn, "absence_refunds", refundRows);
        await CopyInAsync(conn, "messages", messageRows);
        await tx.CommitAsync();
    }
    var copySeconds = sw.Elapsed.TotalSeconds;

    // For context: the same bytes into tables of the same shape without indexes, keys or triggers.
    double bareSeconds;
    await using (var conn = new NpgsqlConnection(cs))
    {
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var ddl = new NpgsqlCommand(
            "CREATE TEMP TABLE bare_notices (LIKE notices) ON COMMIT DROP; CREATE TEMP TABLE bare_notice_lines (LIKE notice_lines) ON COMMIT DROP; " +
            "CREATE TEMP TABLE bare_refunds (LIKE absence_refunds) ON COMMIT DROP; CREATE TEMP TABLE bare_messages (LIKE messages) ON COMMIT DROP", conn))
            await ddl.ExecuteNonQueryAsync();
        sw.Restart();
        await CopyInAsync(conn, "bare_notices", noticeRows);
        await CopyInAsync(conn, "bare_notice_lines", lineRows);
        await CopyInAsync(conn, "bare_refunds", refundRows);
        await CopyInAsync(conn, "bare_messages", messageRows);
        bareSeconds = sw.Elapsed.TotalSeconds;
        await tx.CommitAsync();
    }
    if (run == 0) continue; // warm-up
    billing.Add(billingSeconds);
    copy.Add(copySeconds);
    bare.Add(bareSeconds);
    Console.Error.WriteLine($"run {run}: billing {billingSeconds:0.000} s, COPY {copySeconds:0.000} s, ratio {billingSeconds / copySeconds:0.00}, COPY without indexes {bareSeconds:0.000} s");
}

double Median(List<double> xs)
{
    var s = xs.OrderBy(x => x).ToList();
    return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
}
var ratios = billing.Zip(copy, (b, c) => b / c).ToList();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| billing run {month}, {notices:N0} notices, {lines:N0} lines ({supported:N0} paid in part by the state), {refunds:N0} absence refunds, {messages:N0} messages queued | {Median(billing):0.000} s | {Median(copy):0.000} s | {Median(ratios):0.00}× | {runs} |"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"COPY into unindexed temporary tables of the same shape: median {Median(bare):0.000} s"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"billing runs (s): {string.Join(", ", billing.Select(x => x.ToString("0.000", CultureInfo.InvariantCulture)))}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"COPY (s): {string.Join(", ", copy.Select(x => x.ToString("0.000", CultureInfo.InvariantCulture)))}"));

async Task ExecAsync(string sql)
{
    await using var conn = new NpgsqlConnection(cs);
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
    await cmd.ExecuteNonQueryAsync();
}

async Task<long> ScalarAsync(string sql)
{
    await using var conn = new NpgsqlConnection(cs);
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand(sql, conn);
    return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
}

async Task<byte[]> CopyOutAsync(string table)
{
    await using var conn = new NpgsqlConnection(cs);
    await conn.OpenAsync();
    await using var ms = new MemoryStream();
    await using (var raw = await conn.BeginRawBinaryCopyAsync($"COPY {table} TO STDOUT (FORMAT BINARY)"))
        await raw.CopyToAsync(ms);
    return ms.ToArray();
}

async Task CopyInAsync(NpgsqlConnection conn, string table, byte[] data)
{
    await using var raw = await conn.BeginRawBinaryCopyAsync($"COPY {table} FROM STDIN (FORMAT BINARY)");
    await raw.WriteAsync(data);
}
