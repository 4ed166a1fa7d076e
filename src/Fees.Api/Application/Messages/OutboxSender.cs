using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.NotifyAdapters;
using TdmEdu.Fees.NotifyAdapters.Templates;

namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>What one sending round did, per outcome.</summary>
public sealed record SendRound(int Sent, int Retried, int Failed, int Unknown, int Cancelled, int Held, bool Quiet);

/// <summary>Prices and the portal's address, from configuration (Notify:…).</summary>
public sealed record MessagingOptions(string PortalBase = "http://127.0.0.1:5080", long SmsPerSegmentVnd = 800, long ZnsPerMessageVnd = 300, int BatchSize = 200,
    int ZnsPerSecond = 20, int SmsPerSecond = 20, int EmailPerSecond = 10)
{
    /// <summary>The provider's sending rate cap (contracts §3): messages a second on this channel.</summary>
    public int RateOf(NotificationChannel channel) => Math.Max(1, channel switch
    {
        NotificationChannel.ZaloZns => ZnsPerSecond,
        NotificationChannel.Sms => SmsPerSecond,
        _ => EmailPerSecond,
    });
}

/// <summary>
/// Sends what the outbox holds (contracts/notifications.md §2.1): each round leases a batch per channel in a
/// transaction of its own (status sending, 60 s), then sends each message and records the answer. Nothing is
/// sent twice: a lease that runs out without an answer becomes `unknown`, never `queued`, so a crash between
/// the provider's acceptance and our record cannot send it again (SMS is tried again with the same request id,
/// which the provider refuses as a repeat; Zalo and e-mail wait for a person's resend). Nothing leaves between
/// 21:00 and 07:00: queued rows are held until the morning, spread over half an hour.
/// </summary>
public sealed class OutboxSender(FeesDb db, BusinessClock clock, IEnumerable<INotificationChannel> channels, ParentLinks links, MessagingOptions options,
    ILogger<OutboxSender> log)
{
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(60);

    public async Task<SendRound> RunAsync(CancellationToken ct)
    {
        var now = clock.Now;
        await ExpireLeasesAsync(now, ct);
        if (SendingRules.IsQuiet(now, BusinessClock.Zone))
        {
            var held = await HoldUntilMorningAsync(now, ct);
            return new SendRound(0, 0, 0, 0, 0, held, true);
        }
        await SuppressOverBudgetAsync(now, ct);
        int sent = 0, retried = 0, failed = 0, unknown = 0, cancelled = 0, capped = 0;
        foreach (var channel in channels)
        {
            var leased = await LeaseAsync(WireNames.Of(channel.Channel), now, ct);
            if (leased.Count == 0) continue;
            var urls = await links.EnsureAsync(leased, options.PortalBase, now, ct);
            var values = await new MessageValuesLoader(db).LoadAsync(leased, m => urls[m.Id], ct, options.PortalBase);
            var overCap = await OverDailyCapAsync(leased, now, ct);
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var calls = 0;
            foreach (var m in leased)
            {
                // The provider's rate cap: the n-th call of the batch leaves no sooner than n / rate seconds after the first.
                var due = TimeSpan.FromSeconds((double)calls / options.RateOf(channel.Channel)) - System.Diagnostics.Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero) await Task.Delay(due, ct);
                var loaded = values[m.Id];
                if (loaded.CancelReason is { } why) { await FinishAsync(m.Id, "cancelled", "CANCELLED", why, ct); cancelled++; continue; }
                if (overCap.Contains(m.Id))
                {
                    await db.Database.ExecuteSqlAsync($"UPDATE messages SET status = 'queued', lease_until = NULL, attempts = attempts - 1, not_before = {SendingRules.NextMorning(clock.Now, BusinessClock.Zone)} WHERE id = {m.Id} AND status = 'sending'", ct);
                    capped++;
                    continue;
                }
                calls++;
                var kind = WireNames.KindOf(m.Kind)!.Value;
                // A reminder carries its one-click opt-out (the e-mail's List-Unsubscribe, contracts §9).
                var sendValues = MessageTemplates.IsReminder(kind) ? loaded.Values! with { UnsubscribeLink = links.OptOutUrl(m.Id, options.PortalBase, now) } : loaded.Values!;
                var message = new OutboundMessage(m.Id, channel.Channel, kind, m.Variant, m.Destination, sendValues);
                SendOutcome outcome;
                try { outcome = await channel.SendAsync(message, ct); }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
                {
                    outcome = new Unknown(e.GetType().Name, null);
                }
                switch (await RecordAsync(m, outcome, ct))
                {
                    case "sent" or "delivered": sent++; break;
                    case "queued": retried++; break;
                    case "unknown": unknown++; break;
                    default: failed++; break;
                }
                // A provider that says the whole channel must wait (a daily quota spent, no balance, a token refused)
                // pauses the channel's queue, in the database so every instance sees it; the rest of the batch goes back.
                var pause = outcome switch
                {
                    Retry { WholeChannel: true, NotBefore: { } until } => until,
                    Failed { Hint: FailureHint.DisableChannel } => SendingRules.NextMorning(clock.Now, BusinessClock.Zone),
                    _ => (DateTimeOffset?)null,
                };
                if (pause is { } p)
                {
                    await PauseChannelAsync(m.Channel, p.ToUniversalTime(), leased.SkipWhile(x => x.Id != m.Id).Skip(1).Select(x => x.Id).ToArray(), ct);
                    log.LogWarning("Channel {Channel} paused until {Until} on the provider's answer {Code}", m.Channel, p, (outcome as Retry)?.Code ?? (outcome as Failed)?.Code);
                    break;
                }
            }
        }
        if (sent + retried + failed + unknown + cancelled > 0)
            log.LogInformation("Messages: {Sent} sent, {Retried} to retry, {Failed} failed, {Unknown} unknown, {Cancelled} cancelled, {Capped} held by the daily cap",
                sent, retried, failed, unknown, cancelled, capped);
        return new SendRound(sent, retried, failed, unknown, cancelled, capped, false);
    }

    private async Task PauseChannelAsync(string channel, DateTimeOffset until, Guid[] notTried, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET status = 'queued', lease_until = NULL, attempts = attempts - 1
            WHERE id = ANY({notTried}) AND status = 'sending'
            """, ct);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET not_before = {until}
            WHERE channel = {channel} AND status = 'queued' AND (not_before IS NULL OR not_before < {until})
            """, ct);
    }

    /// <summary>Rows whose lease ran out: the request may have left, so they are unknown; an SMS is tried again under its request id.</summary>
    private async Task ExpireLeasesAsync(DateTimeOffset now, CancellationToken ct)
    {
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET status = 'unknown', lease_until = NULL, last_error_code = 'LEASE_EXPIRED'
            WHERE status = 'sending' AND lease_until < {now}
            """, ct);
        var again = now - TimeSpan.FromMinutes(15);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET status = 'queued', next_attempt_at = {now}
            WHERE status = 'unknown' AND channel = 'sms' AND attempts < {SendingRules.MaxAttempts} AND next_attempt_at < {again}
            """, ct);
    }

    /// <summary>A school whose SMS for the month cost its budget sends no more SMS this month (Zalo and e-mail go on).</summary>
    private async Task SuppressOverBudgetAsync(DateTimeOffset now, CancellationToken ct)
    {
        var local = SendingRules.Local(now, BusinessClock.Zone);
        var monthStart = new DateTimeOffset(local.Year, local.Month, 1, 0, 0, 0, local.Offset).ToUniversalTime();
        // The schools over budget first (a handful of rows), then their queued SMS: never a scan of the whole outbox.
        var over = await db.Database.SqlQuery<Guid>($"""
            SELECT s.school_id AS "Value" FROM school_messaging s
            WHERE s.sms_monthly_budget_vnd IS NOT NULL
              AND (SELECT COALESCE(sum(x.cost_vnd), 0) FROM messages x WHERE x.school_id = s.school_id AND x.channel = 'sms' AND x.sent_at >= {monthStart})
                  >= s.sms_monthly_budget_vnd
            """).ToArrayAsync(ct);
        if (over.Length == 0) return;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET status = 'suppressed', last_error_code = 'BUDGET', last_error_text = 'the school''s SMS budget for the month is spent'
            WHERE school_id = ANY({over}) AND status = 'queued' AND channel = 'sms'
            """, ct);
    }

    /// <summary>
    /// Every queued message waits for the morning, in chunks that commit one by one: a city's night queue (350,000 rows
    /// in the demo) in one statement outlasted the command timeout under load and was rolled back every round.
    /// </summary>
    private async Task<int> HoldUntilMorningAsync(DateTimeOffset now, CancellationToken ct)
    {
        const int Chunk = 10_000;
        var morning = SendingRules.NextMorning(now, BusinessClock.Zone);
        var held = 0;
        int n;
        do
        {
            n = await db.Database.ExecuteSqlAsync($"""
                UPDATE messages SET not_before = {morning} + random() * interval '30 minutes'
                WHERE id IN (SELECT id FROM messages WHERE status = 'queued' AND (not_before IS NULL OR not_before < {morning}) LIMIT {Chunk})
                """, ct);
            held += n;
        } while (n == Chunk);
        return held;
    }

    /// <summary>
    /// The channel's oldest due rows, in the order of ix_messages_due, so PostgreSQL reads the batch off the index and
    /// stops: ordering by the (random) id as well made it sort every queued row each round, 75 ms at a city's 50,000.
    /// </summary>
    private async Task<List<OutboxMessage>> LeaseAsync(string channel, DateTimeOffset now, CancellationToken ct)
    {
        var until = now + Lease;
        return await db.Messages.FromSql($"""
            UPDATE messages m SET status = 'sending', lease_until = {until}, attempts = m.attempts + 1
            WHERE m.id IN (SELECT id FROM messages
                           WHERE status = 'queued' AND channel = {channel} AND next_attempt_at <= {now}
                             AND (not_before IS NULL OR not_before <= {now})
                           ORDER BY next_attempt_at
                           LIMIT {options.BatchSize} FOR UPDATE SKIP LOCKED)
            RETURNING m.*
            """).AsNoTracking().ToListAsync(ct);
    }

    /// <summary>Leased messages a guardian may not get today: three a day besides payments and receipts (contracts §3).</summary>
    private async Task<HashSet<Guid>> OverDailyCapAsync(List<OutboxMessage> leased, DateTimeOffset now, CancellationToken ct)
    {
        var guardians = leased.Where(m => SendingRules.CountsTowardCap(m.Kind)).Select(m => m.GuardianId).Distinct().ToArray();
        if (guardians.Length == 0) return [];
        var dayStart = SendingRules.DayStart(now, BusinessClock.Zone);
        var sentToday = await db.Messages.AsNoTracking()
            .Where(m => guardians.Contains(m.GuardianId) && m.SentAt >= dayStart && m.Kind != OutboxQueue.PaymentApplied && m.Kind != OutboxQueue.ReceiptChanged)
            .GroupBy(m => m.GuardianId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var over = new HashSet<Guid>();
        foreach (var m in leased.Where(m => SendingRules.CountsTowardCap(m.Kind)).OrderBy(m => m.CreatedAt))
        {
            var n = sentToday.GetValueOrDefault(m.GuardianId);
            if (n >= SendingRules.DailyCapPerGuardian) over.Add(m.Id);
            else sentToday[m.GuardianId] = n + 1;
        }
        return over;
    }

    private async Task FinishAsync(Guid id, string status, string code, string text, CancellationToken ct) =>
        await db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET status = {status}, lease_until = NULL, last_error_code = {code}, last_error_text = {text},
                   failed_at = CASE WHEN {status} = 'failed' THEN {clock.Now} END
            WHERE id = {id} AND status = 'sending'
            """, ct);

    /// <summary>The provider's answer, recorded in one statement on the leased row (and an event row as proof); returns the new status.</summary>
    private async Task<string> RecordAsync(OutboxMessage m, SendOutcome outcome, CancellationToken ct)
    {
        var now = clock.Now;
        var body = outcome.Body;
        var hash = body is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)));
        var (status, code, text) = outcome switch
        {
            Accepted => (m.Channel == "email" ? "delivered" : "sent", (string?)null, (string?)null),
            Retry r when SendingRules.RetryAt(m.Attempts, now, Random.Shared.NextDouble()) is not null => ("queued", r.Code, "will try again"),
            Retry r => ("failed", r.Code, "attempts spent"),
            Failed f => ("failed", f.Code, f.Reason),
            Unknown u => ("unknown", u.Code, "no answer after the request left"),
            _ => ("unknown", "?", null),
        };
        var next = outcome is Retry rt ? Max(rt.NotBefore, SendingRules.RetryAt(m.Attempts, now, Random.Shared.NextDouble())) : null;
        var accepted = outcome as Accepted;
        long? cost = accepted is null ? null : m.Channel switch
        {
            "sms" => accepted.CostVnd ?? accepted.Segments * options.SmsPerSegmentVnd,
            "zalo_zns" => null, // counted when delivered
            _ => 0,
        };
        // One round trip: the row's answer and its event together (the event is written even if the row has moved on,
        // since the provider did answer).
        await db.Database.ExecuteSqlAsync($"""
            WITH answer AS (
                UPDATE messages SET status = {status}, lease_until = NULL, last_error_code = {code}, last_error_text = {text},
                       next_attempt_at = COALESCE({next}, next_attempt_at), provider = {m.Channel},
                       provider_message_id = COALESCE(NULLIF({accepted?.ProviderMessageId}, ''), provider_message_id), provider_request_id = {m.Id.ToString()},
                       segments = COALESCE({accepted?.Segments}, segments), cost_vnd = COALESCE({cost}, cost_vnd),
                       body = COALESCE({body}, body), body_sha256 = COALESCE({hash}, body_sha256),
                       sent_at = CASE WHEN {accepted != null} THEN {now} ELSE sent_at END,
                       delivered_at = CASE WHEN {status} = 'delivered' THEN {now} ELSE delivered_at END,
                       failed_at = CASE WHEN {status} = 'failed' THEN {now} ELSE failed_at END
                WHERE id = {m.Id} AND status = 'sending')
            INSERT INTO message_events (id, message_id, provider, event_name, provider_message_id, payload, received_at)
            VALUES ({Guid.CreateVersion7()}, {m.Id}, {m.Channel}, {$"send:{m.Attempts}"}, {m.Id.ToString()}, {$"{outcome.GetType().Name}:{code}"}, {now})
            """, ct);
        if (outcome is Failed failedOutcome) await FollowUpAsync(m, failedOutcome.Hint, ct);
        return status;
    }

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    /// <summary>
    /// What a failure teaches: a person Zalo cannot reach or who refused it is marked so, and the message goes by
    /// SMS instead when it must reach them (contracts §1 and §7.4).
    /// </summary>
    private async Task FollowUpAsync(OutboxMessage m, FailureHint hint, CancellationToken ct)
    {
        var state = hint switch { FailureHint.Unreachable => "unreachable", FailureHint.OptedOut => "opted_out", _ => null };
        if (state is not null)
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO guardian_channels (guardian_id, channel, state, changed_at) VALUES ({m.GuardianId}, {m.Channel}, {state}, {clock.Now})
                ON CONFLICT (guardian_id, channel) DO UPDATE SET state = EXCLUDED.state, changed_at = EXCLUDED.changed_at
                """, ct);
        var next = hint is FailureHint.NextChannel or FailureHint.Unreachable or FailureHint.DisableChannel
                   || (hint == FailureHint.OptedOut && m.Kind is OutboxQueue.NoticeIssued or OutboxQueue.PaymentApplied);
        if (!next || m.Channel != "zalo_zns") return;
        // The key's fields are school, subject, kind, variant, channel, guardian (and a resend's r{n}): only the channel changes.
        var parts = m.IdempotencyKey.Split(':');
        parts[4] = "sms";
        var key = string.Join(':', parts);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO messages (id, school_id, guardian_id, student_id, notice_id, receipt_id, payment_id, kind, variant, channel,
                                  idempotency_key, destination, status, attempts, next_attempt_at, created_at)
            SELECT gen_random_uuid(), m.school_id, m.guardian_id, m.student_id, m.notice_id, m.receipt_id, m.payment_id, m.kind, m.variant, 'sms',
                   {key}, m.destination, 'queued', 0, {clock.Now}, {clock.Now}
            FROM messages m
            LEFT JOIN school_messaging s ON s.school_id = m.school_id
            LEFT JOIN guardian_channels c ON c.guardian_id = m.guardian_id AND c.channel = 'sms'
            WHERE m.id = {m.Id} AND COALESCE(s.sms_enabled, true) AND c.state = 'allowed'
            ON CONFLICT (idempotency_key) DO NOTHING
            """, ct);
    }
}
