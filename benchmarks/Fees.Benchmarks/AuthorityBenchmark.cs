using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Domain.Schedule;

/// <summary>
/// The education office's views over HTTP against the running host (issue #14): the dashboard (the whole authority, a
/// ward, a school's month), its workbook and the open data (index, JSON, CSV), for the demo city's size and a province's,
/// each a simulated school year (ProvinceSeeder), in databases of their own that stay seeded between runs. Beside each
/// view, in the same run and alternating with it, one indexed read of the same summary by PostgreSQL (a month's rows of
/// summary_months, over a warm connection): the floor. Also: a view right after a payment (one school-month to
/// re-summarise), the full rebuild of the summary, and the old way for comparison (every allocation read per view).
/// Not a test: `./fees bench authority` (docs/benchmarks.md).
/// </summary>
public static class AuthorityBenchmark
{
    private sealed record Size(string Name, string Database, int Schools, int Pupils, int Wards);

    public static async Task RunAsync(string benchCs, int requests, string only, int pupils, int schools, int wards, bool rebuildToo = true)
    {
        var sizes = new List<Size>();
        if (only is "all" or "city") sizes.Add(new("demo city", "fees_bench_city", DemoSeeder.CitySchools, DemoSeeder.CityStudents, 14));
        if (only is "all" or "province") sizes.Add(new("province", "fees_bench_province", schools, pupils, wards));
        var lines = new List<string>();
        foreach (var size in sizes) lines.AddRange(await MeasureAsync(benchCs, size, requests, rebuildToo));
        foreach (var l in lines) Console.WriteLine(l);
    }

    private static async Task<List<string>> MeasureAsync(string benchCs, Size size, int requests, bool rebuildToo)
    {
        var cs = await EnsureDatabaseAsync(benchCs, size.Database);
        var clock = new BusinessClock(TimeProvider.System);
        await using (var db = Database.Open(cs))
        {
            await Database.MigrateAsync(db);
            if (!await db.Schools.AnyAsync())
            {
                Console.Error.WriteLine($"Seeding the {size.Name}: {size.Schools:N0} schools, {size.Pupils:N0} pupils, {size.Wards} wards, ten monthly billings...");
                var progress = new Progress<string>(Console.Error.WriteLine);
                Console.Error.WriteLine(await new ProvinceSeeder(db, new Actor("bench"), 20250905).SeedAsync(size.Schools, size.Pupils, size.Wards, progress));
            }
        }
        var month = ProvinceSeeder.Months[^1];
        var box = new SecretBox(Convert.FromBase64String(Environment.GetEnvironmentVariable(SecretBox.Variable) ?? SecretBox.NewKey()));
        var app = WebHost.Build(cs + ";Maximum Pool Size=20", 0, box, runWorker: false, minimumLevel: Serilog.Events.LogEventLevel.Warning, instanceId: "authority-bench");
        await app.StartAsync();
        var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer() }) { BaseAddress = url, Timeout = TimeSpan.FromMinutes(5) };
        var (ward, school, notices, counts) = await SignInAsync(app, http, cs, month);

        var views = new (string Name, string Path)[]
        {
            ("dashboard, all wards", $"/so/{month}"),
            ("dashboard, one ward's schools", $"/so/{month}?phuong={Uri.EscapeDataString(ward)}&by=school"),
            ("a school's month", $"/so/{month}/truong/{school}"),
            ("dashboard XLSX, every school", $"/so/{month}?by=school&handler=xlsx"),
            ("open data JSON", $"/du-lieu-mo/thu-hoc-phi/{month}.json"),
            ("open data CSV", $"/du-lieu-mo/thu-hoc-phi/{month}.csv"),
            ("open data index", "/du-lieu-mo/thu-hoc-phi/index.json"),
        };
        await using var floorConn = new NpgsqlConnection(cs);
        await floorConn.OpenAsync();
        await using var floor = new NpgsqlCommand("SELECT * FROM summary_months WHERE period_key = $1", floorConn) { Parameters = { new() { Value = month.Key } } };
        await floor.PrepareAsync();

        foreach (var v in views) for (var i = 0; i < 10; i++) await GetAsync(http, v.Path);
        var loadBefore = Load();
        var times = views.ToDictionary(v => v.Name, _ => new List<double>());
        var floors = new List<double>();
        for (var i = 0; i < requests; i++)
            foreach (var v in views)
            {
                times[v.Name].Add(await GetAsync(http, v.Path));
                var sw = Stopwatch.StartNew();
                await using (var r = await floor.ExecuteReaderAsync()) while (await r.ReadAsync()) { }
                floors.Add(sw.Elapsed.TotalMilliseconds);
            }

        var loadAfter = Load();
        // The views' figures as soon as they are measured (the rebuild and the old way below take minutes for a province).
        foreach (var v in views)
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {size.Name} (load {loadAfter}): {v.Name}: p50 {P(times[v.Name], 0.50):0.0} ms, p95 {P(times[v.Name], 0.95):0.0} ms; floor p50 {P(floors, 0.50):0.00} ms, p95 {P(floors, 0.95):0.00} ms"));

        // A payment, then the next view: the one school-month it touched is re-summarised first.
        var afterPayment = new List<double>();
        foreach (var notice in notices.Take(7))
        {
            await using (var db = Database.Open(cs)) await new Ledger(db, clock, new Actor("bench")).RecordCashAsync(notice, 10_000, null, $"bench-{Guid.NewGuid():N}");
            afterPayment.Add(await GetAsync(http, views[0].Path));
        }
        await app.StopAsync();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {size.Name}: the dashboard right after a cash payment: median {P(afterPayment, 0.5):0} ms, max {afterPayment.Max():0} ms"));

        double rebuild = double.NaN, old = double.NaN;
        if (rebuildToo)
        {
            await using (var db = Database.Open(cs))
            {
                var sw = Stopwatch.StartNew();
                await new CollectionSummary(db).RebuildAsync();
                rebuild = sw.Elapsed.TotalSeconds;
                sw.Restart();
                // What a dashboard view used to read: every allocation of the month, the ageing of every notice, the queue, every receipt.
                await new CollectionReport(db).QueryAsync(month.Key, month.Key, "school");
                await new Ageing(db).OutstandingAsync(clock.Today);
                await new Ageing(db).UnidentifiedAsync(clock.Today);
                await new Ageing(db).MonthsAsync(SchoolYear.Containing(month));
                await new LedgerAudit(db).ReceiptGapsAsync();
                old = sw.Elapsed.TotalSeconds;
            }
        }

        var f50 = P(floors, 0.50);
        var lines = new List<string>
        {
            $"{size.Name}: {counts}; month {month}, ward {ward}, school {school}; {requests} requests a view, alternating with the floor; " +
            $"load average (1, 5, 15 min) before {loadBefore}, after {loadAfter} on {Environment.ProcessorCount} cores",
            "| view | p50 ms | p95 ms | floor p50 / p95 ms | p50 ratio |",
            "|---|---|---|---|---|",
        };
        foreach (var v in views)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"| {size.Name}: {v.Name} | {P(times[v.Name], 0.50):0.0} | {P(times[v.Name], 0.95):0.0} | {f50:0.00} / {P(floors, 0.95):0.00} | {P(times[v.Name], 0.50) / f50:0}× |"));
        lines.Add(string.Create(CultureInfo.InvariantCulture,
            $"{size.Name}: the dashboard right after a cash payment (one school-month re-summarised first): median {P(afterPayment, 0.5):0} ms, max {afterPayment.Max():0} ms ({afterPayment.Count} payments)"));
        if (rebuildToo)
            lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{size.Name}: the whole summary rebuilt from the ledger: {rebuild:0.0} s; the old way (every allocation, notice and receipt read for one view): {old:0.00} s"));
        return lines;
    }

    /// <summary>The machine's load averages (1, 5 and 15 minutes), to read the figures by.</summary>
    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double P(List<double> xs, double q)
    {
        var s = xs.Order().ToList();
        return s[Math.Min(s.Count - 1, (int)(s.Count * q))];
    }

    private static int _reader;

    /// <summary>
    /// One view, timed to its last byte. Each request comes from another reader's address (X-Forwarded-For, believed from
    /// loopback): the open data's per-address limit (OpenDataLimit) is for floods from one address, not for this loop.
    /// </summary>
    private static async Task<double> GetAsync(HttpClient http, string path)
    {
        var reader = Interlocked.Increment(ref _reader);
        using var request = new HttpRequestMessage(HttpMethod.Get, path) { Headers = { { "X-Forwarded-For", $"10.{reader >> 16 & 255}.{reader >> 8 & 255}.{reader & 255}" } } };
        var sw = Stopwatch.StartNew();
        using var r = await http.SendAsync(request);
        await r.Content.ReadAsByteArrayAsync();
        if (r.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"{path} answered {(int)r.StatusCode}");
        return sw.Elapsed.TotalMilliseconds;
    }

    /// <summary>An auditor signed in; a ward and a school of the month; unpaid notices to pay; what the database holds.</summary>
    private static async Task<(string Ward, string School, List<string> Notices, string Counts)> SignInAsync(Microsoft.AspNetCore.Builder.WebApplication app,
        HttpClient http, string cs, BillingMonth month)
    {
        var password = "Authority-Bench-" + Guid.NewGuid().ToString("N")[..12] + "-7A";
        var email = $"so-{Guid.NewGuid():N}@bench.local";
        using (var scope = app.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<FeesUser>>();
            var roles = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole<Guid>>>();
            await TdmEdu.Fees.Api.Web.Accounts.AddAsync(users, roles, scope.ServiceProvider.GetRequiredService<FeesDb>(), email, "Thanh tra", "auditor", null, password, CancellationToken.None);
        }
        var signIn = await http.PostAsJsonAsync("/api/auth/sign-in", new { email, password });
        if (!signIn.IsSuccessStatusCode) throw new InvalidOperationException($"sign-in answered {(int)signIn.StatusCode}");
        await using var db = Database.Open(cs);
        var first = await (from s in db.Schools join w in db.Wards on s.WardId equals w.Id orderby s.Code select new { s.Code, w.Name }).FirstAsync();
        var unpaid = await db.Notices.Where(n => n.PeriodKey == month.Key && n.AmountPaidVnd == 0 && n.AmountDueVnd > 10_000)
            .OrderBy(n => n.NoticeNo).Select(n => n.NoticeNo).Take(7).ToListAsync();
        var (nSchools, nPupils) = (await db.Schools.CountAsync(), await db.Students.CountAsync());
        var (nNotices, nLines) = (await db.Notices.LongCountAsync(), await db.NoticeLines.LongCountAsync());
        var (nAllocations, nPayments) = (await db.Allocations.LongCountAsync(), await db.Payments.LongCountAsync());
        var counts = string.Create(CultureInfo.InvariantCulture, $"{nSchools:N0} schools, {nPupils:N0} pupils, {nNotices:N0} notices, {nLines:N0} lines, " +
            $"{nAllocations:N0} allocations, {nPayments:N0} payments");
        return (first.Name, first.Code, unpaid, counts);
    }

    /// <summary>The benchmark's database of this size on the same server, made when missing (it keeps its seed between runs).</summary>
    private static async Task<string> EnsureDatabaseAsync(string benchCs, string name)
    {
        var admin = new NpgsqlConnectionStringBuilder(benchCs) { Database = "postgres" };
        await using (var conn = new NpgsqlConnection(admin.ConnectionString))
        {
            await conn.OpenAsync();
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn) { Parameters = { new() { Value = name } } };
            if (await exists.ExecuteScalarAsync() is null)
                await new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn).ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(benchCs) { Database = name }.ConnectionString;
    }
}
