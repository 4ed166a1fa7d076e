using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Domain.Schedule;
using TdmEdu.Fees.NotifyAdapters;

/// <summary>
/// The demo city's September notices told to every guardian: the billing run that queues them, then the real sender
/// (OutboxSender, round after round as the job runs it) through the real adapters to notify-sim (eSMS) and an SMTP
/// sink, beside the PostgreSQL floor of recording each answer (one single-row UPDATE per message), in the same run.
/// </summary>
public static class MessagesBenchmark
{
    // Wednesday 3 September 2025, 08:00 in Hanoi: inside sending hours, on a school day, in the month billed.
    private static readonly DateTimeOffset Morning = new(2025, 9, 3, 8, 0, 0, TimeSpan.FromHours(7));
    private static readonly BillingMonth Month = new(2025, 9);
    // Parent links are signed with a key derived from this box; any key does for a benchmark.
    private static readonly SecretBox Box = new(RandomNumberGenerator.GetBytes(32));
    private static readonly Actor Bench = new("bench");

    private sealed record Drained(int Sent, int Retried, int Failed, int Unknown, int Cancelled, int Held, int Rounds)
    {
        public Drained Plus(SendRound r) => new(Sent + r.Sent, Retried + r.Retried, Failed + r.Failed, Unknown + r.Unknown, Cancelled + r.Cancelled, Held + r.Held, Rounds + 1);
        public Drained Plus(Drained d) => new(Sent + d.Sent, Retried + d.Retried, Failed + d.Failed, Unknown + d.Unknown, Cancelled + d.Cancelled, Held + d.Held, Rounds + d.Rounds);
    }

    private sealed record Run(double Billing, double Send, Drained Drained, double FirstMessage, string Counts, double Queue, int Queued, double Copy,
        double Instant, double RowFloor, double SetFloor, int Rows, double Http, int HttpSent, int Callbacks, double InSms, double InMail, int Mails);

    public static async Task RunAsync(string cs, int runs, int rate, int cappedSeconds)
    {
        await PrepareAsync(cs);
        await using var sinks = await MessageSinks.StartAsync();
        // The providers' rate caps raised so that the figure is the service's own; the defaults are measured apart below.
        var fast = new MessagingOptions(ZnsPerSecond: rate, SmsPerSecond: rate, EmailPerSecond: rate);
        var results = new List<Run>();
        for (var i = 1; i <= runs; i++)
        {
            var r = await OneRunAsync(cs, sinks, fast);
            results.Add(r);
            Console.Error.WriteLine(Inv($"run {i}: billing {r.Billing:0.00} s; sent {r.Drained.Sent} in {r.Send:0.0} s = {r.Drained.Sent / r.Send:0} msg/s ") +
                Inv($"({r.Drained.Rounds} rounds, {r.Drained.Retried} retried, {r.Drained.Failed} failed, {r.Drained.Unknown} unknown, {r.Drained.Held} held); ") +
                Inv($"first message {r.FirstMessage * 1000:0} ms after the commit; {r.Counts}; callbacks {r.Callbacks}; ") +
                Inv($"inside the eSMS adapter {r.InSms:0.0} s, the SMTP adapter {r.InMail:0.0} s ({r.Mails} calls); ") +
                Inv($"queue alone {r.Queue:0.00} s for {r.Queued}, COPY {r.Copy:0.00} s; instant provider {r.Instant:0.0} s; ") +
                Inv($"UPDATE per row {r.RowFloor:0.0} s, set-based {r.SetFloor:0.00} s ({r.Rows} rows); eSMS adapter + sim alone {r.HttpSent} in {r.Http:0.0} s"));
        }
        var capped = cappedSeconds > 0 ? await CappedAsync(cs, sinks, cappedSeconds) : ((int, double)?)null;

        double M(Func<Run, double> f) => Median(results.Select(f).ToList());
        var last = results[^1];
        var sendRate = M(r => r.Drained.Sent / r.Send);
        var floorRate = M(r => r.Rows / r.RowFloor);
        Console.WriteLine("| what | ours | PostgreSQL floor, same run | ratio | runs |");
        Console.WriteLine("|---|---|---|---|---|");
        Console.WriteLine(Inv($"| {last.Drained.Sent:N0} messages sent ({last.Counts}) through notify-sim and an SMTP sink, caps raised to {rate:N0}/s | ") +
            Inv($"**{sendRate:0} msg/s** ({M(r => r.Send):0.0} s) | one single-row UPDATE a message: {floorRate:0} msg/s ({M(r => r.RowFloor):0.0} s) | ") +
            Inv($"{M(r => r.Send / r.RowFloor):0.0}× | {runs} |"));
        Console.WriteLine(Inv($"| time to first message, from the billing commit to the sandbox | **{M(r => r.FirstMessage) * 1000:0} ms** | | | {runs} |"));
        Console.WriteLine(Inv($"| queueing {last.Queued:N0} messages (the billing run's outbox statement alone; whole billing run {M(r => r.Billing):0.00} s) | ") +
            Inv($"{M(r => r.Queue):0.00} s | COPY of the same rows {M(r => r.Copy):0.00} s | {M(r => r.Queue / r.Copy):0.0}× | {runs} |"));
        Console.WriteLine();
        Console.WriteLine(Inv($"of the send, inside the adapters and providers: eSMS {M(r => r.InSms):0.0} s, SMTP {M(r => r.InMail):0.0} s; the sender's own work the rest"));
        Console.WriteLine(Inv($"sender with a provider that answers at once (no HTTP): median {M(r => r.Drained.Sent / r.Instant):0} msg/s ({M(r => r.Instant):0.0} s)"));
        Console.WriteLine(Inv($"set-based UPDATE of the same rows in one statement: median {M(r => r.SetFloor):0.00} s ({M(r => r.Rows / r.SetFloor):0} rows/s)"));
        Console.WriteLine(Inv($"eSMS adapter + notify-sim alone, no database: median {M(r => r.HttpSent / r.Http):0} msg/s ({M(r => r.Http):0.0} s for {last.HttpSent:N0})"));
        if (capped is { } c)
            Console.WriteLine(Inv($"default caps (SMS 20/s, e-mail 10/s): {c.Item1} sent in {c.Item2:0.0} s = {c.Item1 / c.Item2:0.0} msg/s"));
        Console.WriteLine(Inv($"runs, msg/s: {string.Join(", ", results.Select(r => (r.Drained.Sent / r.Send).ToString("0", CultureInfo.InvariantCulture)))}; ") +
            Inv($"send s: {string.Join(", ", results.Select(r => r.Send.ToString("0.0", CultureInfo.InvariantCulture)))}; ") +
            Inv($"floor s: {string.Join(", ", results.Select(r => r.RowFloor.ToString("0.0", CultureInfo.InvariantCulture)))}; ") +
            Inv($"first ms: {string.Join(", ", results.Select(r => (r.FirstMessage * 1000).ToString("0", CultureInfo.InvariantCulture)))}"));
    }

    private static async Task<Run> OneRunAsync(string cs, MessageSinks sinks, MessagingOptions options)
    {
        await Exec(cs, "TRUNCATE notices, billing_runs, portal_links CASCADE");
        var time = new MovedClock(Morning);
        var clock = new BusinessClock(time);
        sinks.Reset();
        await using var sim = await NotifySimulator.StartAsync(new NotifySimulator.Settings(0, sinks.CallbackBase, 1_000_000), CancellationToken.None);
        await using var providers = Providers(sim, sinks);
        var channels = providers.GetServices<INotificationChannel>().Select(c => new TimedChannel(c)).ToList();

        // The billing run, which queues the month's messages in its own transaction; time to first message counts from its commit.
        var sw = Stopwatch.StartNew();
        await using (var db = Database.Open(cs)) await new MonthlyBilling(db, clock, Bench).IssueAsync(Month, null, dryRun: false);
        var billing = sw.Elapsed.TotalSeconds;
        var committed = DateTimeOffset.UtcNow;

        // Rounds until nothing is due; then the clock two minutes on, when the sandbox's 503 to the first call for a
        // phone ending in 9 (§11) has come due again, and rounds until nothing is due again.
        sw.Restart();
        var drained = await DrainAsync(cs, clock, channels, options);
        time.Ahead = TimeSpan.FromMinutes(2);
        drained = drained.Plus(await DrainAsync(cs, clock, channels, options));
        var send = sw.Elapsed.TotalSeconds;
        var received = sim.List(null);
        var first = new[] { received.Count > 0 ? received[0].At : (DateTimeOffset?)null, sinks.FirstMail }.OfType<DateTimeOffset>().Min();
        var counts = await CountsAsync(cs);

        // The outbox statement alone, on the billed notices, in a transaction of its own; then COPY of the rows it wrote.
        var (queue, queued) = await QueueAsync(cs, clock);
        var copy = await MessagesBaselines.CopyBackAsync(cs);
        // The same rows again through the sender, with providers that answer at once: the sender's own cost.
        sw.Restart();
        await DrainAsync(cs, clock, [new InstantChannel(NotificationChannel.Sms), new InstantChannel(NotificationChannel.Email)], options);
        var instant = sw.Elapsed.TotalSeconds;
        var (rowFloor, setFloor, rows) = await MessagesBaselines.FloorsAsync(cs);
        var (http, httpSent) = await MessagesBaselines.SmsAloneAsync(cs, sinks);
        return new Run(billing, send, drained, (first - committed).TotalSeconds, counts, queue, queued, copy, instant, rowFloor, setFloor, rows, http, httpSent, sinks.Callbacks,
            channels.Where(c => c.Channel == NotificationChannel.Sms).Sum(c => c.Seconds), channels.Where(c => c.Channel == NotificationChannel.Email).Sum(c => c.Seconds),
            channels.Where(c => c.Channel == NotificationChannel.Email).Sum(c => c.Calls));
    }

    /// <summary>The real adapters from configuration, as the service registers them: eSMS at the sandbox, SMTP at the sink.</summary>
    public static ServiceProvider Providers(NotifySimulator sim, MessageSinks sinks)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(NotifySimulator.EsmsSettings(sim.Address, sinks.CallbackBase, "bench-hook")
            .Select(kv => new KeyValuePair<string, string?>(kv.Key, kv.Value))
            .Concat(new Dictionary<string, string?>
            {
                ["Notify:Smtp:Host"] = "127.0.0.1", ["Notify:Smtp:Port"] = sinks.SmtpPort.ToString(CultureInfo.InvariantCulture),
                ["Notify:Smtp:Security"] = "None", ["Notify:Smtp:FromAddress"] = "no-reply@thuhocphi.example.vn",
            })).Build();
        return new ServiceCollection().AddNotifyChannels(config).BuildServiceProvider();
    }

    /// <summary>Sending rounds, each on a context of its own as the job's runs are, until a round finds nothing due (or the bound passes).</summary>
    private static async Task<Drained> DrainAsync(string cs, BusinessClock clock, IReadOnlyList<INotificationChannel> channels, MessagingOptions options,
        TimeSpan? bound = null)
    {
        var total = new Drained(0, 0, 0, 0, 0, 0, 0);
        var sw = Stopwatch.StartNew();
        while (true)
        {
            SendRound r;
            await using (var db = Database.Open(cs))
                r = await new OutboxSender(db, clock, channels, new ParentLinks(db, Box), options, NullLogger<OutboxSender>.Instance).RunAsync(CancellationToken.None);
            if (r.Quiet) throw new InvalidOperationException("The sender found the clock inside the quiet hours.");
            total = total.Plus(r);
            if (r.Sent + r.Retried + r.Failed + r.Unknown + r.Cancelled == 0 || sw.Elapsed >= bound) return total;
        }
    }

    /// <summary>Empties the outbox and queues the month's messages again with the billing run's own statement, timed.</summary>
    private static async Task<(double Seconds, int Queued)> QueueAsync(string cs, BusinessClock clock)
    {
        await Exec(cs, "TRUNCATE messages, message_events, portal_links");
        Guid[] ids;
        await using (var db = Database.Open(cs)) ids = await db.Notices.AsNoTracking().Where(n => n.PeriodKey == Month.Key).Select(n => n.Id).ToArrayAsync();
        var sw = Stopwatch.StartNew();
        await using var queueDb = Database.Open(cs);
        await using var tx = await queueDb.Database.BeginTransactionAsync();
        var queued = await OutboxQueue.QueueForNoticesAsync(queueDb, ids, OutboxQueue.NoticeIssued, "", clock.Now, CancellationToken.None);
        await tx.CommitAsync();
        return (sw.Elapsed.TotalSeconds, queued);
    }

    /// <summary>The providers' default caps (SMS 20/s, e-mail 10/s) for a bounded time: what a real morning's rate is.</summary>
    private static async Task<(int Sent, double Seconds)> CappedAsync(string cs, MessageSinks sinks, int seconds)
    {
        var clock = new BusinessClock(new MovedClock(Morning));
        await QueueAsync(cs, clock);
        await using var sim = await NotifySimulator.StartAsync(new NotifySimulator.Settings(0, sinks.CallbackBase, 1_000_000), CancellationToken.None);
        await using var providers = Providers(sim, sinks);
        var sw = Stopwatch.StartNew();
        var d = await DrainAsync(cs, clock, providers.GetServices<INotificationChannel>().ToList(), new MessagingOptions(), TimeSpan.FromSeconds(seconds));
        return (d.Sent, sw.Elapsed.TotalSeconds);
    }

    private static async Task PrepareAsync(string cs)
    {
        await using (var db = Database.Open(cs))
        {
            await Database.MigrateAsync(db);
            if (!db.Schools.Any())
            {
                Console.Error.WriteLine($"Seeding the roster ({DemoSeeder.CityStudents:N0} students)...");
                await new DemoSeeder(db, new BusinessClock(TimeProvider.System), Bench, 20250905).SeedRosterAsync(DemoSeeder.CitySchools, DemoSeeder.CityStudents, null);
            }
        }
        // Everything another benchmark may have left: money, statements, messages; the notices go at the start of each run.
        await Exec(cs, """
            TRUNCATE statement_lines, statement_imports, reconciliations, review_decisions, payments, allocations, refunds, receipts, bank_ref_claims,
                     messages, message_events, portal_links CASCADE;
            UPDATE receipt_series SET next_number = 1;
            ANALYZE;
            """);
    }

    private static async Task<string> CountsAsync(string cs)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT channel, status, count(*) FROM messages GROUP BY 1, 2 ORDER BY 1, 2", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var parts = new List<string>();
        while (await reader.ReadAsync()) parts.Add(Inv($"{reader.GetInt64(2):N0} {reader.GetString(0)} {reader.GetString(1)}"));
        return string.Join(", ", parts);
    }

    public static async Task Exec(string cs, string sql)
    {
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 600 };
        await cmd.ExecuteNonQueryAsync();
    }

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
