using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.NotifyAdapters;
using TdmEdu.Fees.NotifyAdapters.Templates;

namespace TdmEdu.Fees.Api.Tests.Messages;

/// <summary>
/// The outbox on a real PostgreSQL: queued in the transaction of what caused it, one row per guardian, channel and
/// subject; sent once, never twice across a crash; held in the quiet hours; retried with backoff. The channel here
/// is our own recording double of the one-method channel interface (the providers' adapters have their own tests).
/// </summary>
public sealed class OutboxTests
{
    private static readonly SecretBox Box = new(new byte[32]);

    /// <summary>A channel that records what it was given and answers what the test says.</summary>
    private sealed class RecordingChannel(NotificationChannel channel, Func<OutboundMessage, SendOutcome>? answer = null) : INotificationChannel
    {
        public ConcurrentQueue<OutboundMessage> Got { get; } = new();
        public NotificationChannel Channel => channel;

        public ValueTask<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct)
        {
            Got.Enqueue(message);
            return ValueTask.FromResult(answer?.Invoke(message) ?? new Accepted("P-" + message.Id, 1, null, $"to {message.Values.FirstName}"));
        }
    }

    private static async Task<SendRound> SendAsync(Support.Fees fees, params INotificationChannel[] channels)
    {
        await using var db = fees.Db.Open();
        return await new OutboxSender(db, new BusinessClock(fees.Clock), channels, new ParentLinks(db, Box), new MessagingOptions(),
            NullLogger<OutboxSender>.Instance).RunAsync(CancellationToken.None);
    }

    private static async Task<Support.Fees> BilledAsync()
    {
        var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        return fees;
    }

    [Fact]
    public async Task BillingRun_QueuesOneMessagePerGuardianAndChannel_AndASecondRunNothingNew()
    {
        await using var fees = await BilledAsync();

        // Four pupils with a phone each, no Zalo account for the school: one SMS each for the three notices that owe.
        var rows = await fees.Db.ListAsync("SELECT n.notice_no || ' ' || m.channel || ' ' || m.destination FROM messages m JOIN notices n ON n.id = m.notice_id ORDER BY 1");
        var owing = await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE amount_due_vnd > amount_paid_vnd");
        Assert.Equal(owing, rows.Count);
        Assert.All(rows, r => Assert.Matches(@"^TS01-202509-\d{5} sms 8491200000\d$", r));

        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        Assert.Equal(owing, await fees.Db.ScalarAsync("SELECT count(*) FROM messages"));
    }

    [Fact]
    public async Task Sender_SendsEachOnce_WithTheValuesOfNow_AndASecondRoundSendsNothing()
    {
        await using var fees = await BilledAsync();
        var sms = new RecordingChannel(NotificationChannel.Sms);

        var first = await SendAsync(fees, sms);
        var second = await SendAsync(fees, sms);

        var owing = await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE amount_due_vnd > amount_paid_vnd");
        Assert.Equal(owing, first.Sent);
        Assert.Equal(0, second.Sent);
        Assert.Equal(owing, sms.Got.Count);
        Assert.Equal(sms.Got.Count, sms.Got.Select(m => m.Id).Distinct().Count());
        var an = sms.Got.Single(m => m.Values.FirstName == "An");
        Assert.Equal((9, 2025), (an.Values.PeriodMonth, an.Values.PeriodYear));
        Assert.Equal(1_371_800, an.Values.AmountVnd);
        Assert.Equal(new DateOnly(2025, 9, 15), an.Values.DueDate);
        Assert.Matches(@"^http://127\.0\.0\.1:5080/phu-huynh/l/[A-Za-z0-9_-]{22}\.[0-9a-z]+\.a[A-Za-z0-9_-]{22}$", an.Values.Link);
        Assert.Equal(["sent"], await fees.Db.ListAsync("SELECT DISTINCT status FROM messages"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM messages WHERE body IS NULL OR body_sha256 IS NULL OR sent_at IS NULL"));
    }

    [Fact]
    public async Task QuietHours_HoldEverythingUntilSevenInTheMorning()
    {
        await using var fees = await BilledAsync();
        var sms = new RecordingChannel(NotificationChannel.Sms);
        fees.Clock.Now = new DateTimeOffset(2025, 9, 5, 22, 30, 0, TimeSpan.FromHours(7));

        var night = await SendAsync(fees, sms);

        Assert.True(night.Quiet);
        Assert.Empty(sms.Got);
        Assert.Equal(0, await fees.Db.ScalarAsync(
            "SELECT count(*) FROM messages WHERE not_before < '2025-09-06 07:00+07' OR not_before > '2025-09-06 07:30+07'"));

        fees.Clock.Now = new DateTimeOffset(2025, 9, 6, 6, 59, 0, TimeSpan.FromHours(7));
        Assert.Equal(0, (await SendAsync(fees, sms)).Sent);
        fees.Clock.Now = new DateTimeOffset(2025, 9, 6, 7, 31, 0, TimeSpan.FromHours(7));
        Assert.True((await SendAsync(fees, sms)).Sent > 0);
    }

    [Fact]
    public async Task CrashAfterTheProviderTookIt_TheRowIsUnknown_NeverSentAgain()
    {
        await using var fees = await BilledAsync();
        // The provider takes the message, then this instance dies before recording it (the round is cut).
        var dying = new CancellationTokenSource();
        var taken = new RecordingChannel(NotificationChannel.Email, _ => { dying.Cancel(); throw new OperationCanceledException(dying.Token); });
        await fees.OkAsync("students", "import", fees.File("email.csv", Samples.StudentHeader.Replace("\n", ",guardian_email\n") +
            "TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,,,,binh@example.vn\n"));
        await using (var db = fees.Db.Open())
            await OutboxQueue.QueueForNoticesAsync(db, [.. await LinqIds(fees)], OutboxQueue.NoticeIssued, "", fees.Clock.GetUtcNow(), CancellationToken.None);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SendAsync(fees, taken));
        Assert.Single(taken.Got);
        Assert.Equal(["sending"], await fees.Db.ListAsync("SELECT status FROM messages WHERE channel = 'email'"));

        fees.Clock.Now += OutboxSender.Lease + TimeSpan.FromSeconds(1);
        var again = new RecordingChannel(NotificationChannel.Email);
        await SendAsync(fees, again);

        Assert.Empty(again.Got);
        Assert.Equal(["unknown"], await fees.Db.ListAsync("SELECT status FROM messages WHERE channel = 'email'"));
    }

    private static async Task<List<Guid>> LinqIds(Support.Fees fees)
    {
        await using var db = fees.Db.Open();
        return [.. db.Notices.Select(n => n.Id)];
    }

    [Fact]
    public async Task ARetryableAnswer_WaitsAMinuteOrSo_ThenGoes()
    {
        await using var fees = await BilledAsync();
        var busy = new RecordingChannel(NotificationChannel.Sms, _ => new Retry("503", null, null));

        Assert.Equal(0, (await SendAsync(fees, busy)).Sent);
        Assert.Equal(["queued"], await fees.Db.ListAsync("SELECT DISTINCT status FROM messages"));
        Assert.Equal(0, await fees.Db.ScalarAsync(
            "SELECT count(*) FROM messages WHERE next_attempt_at < created_at + interval '48 seconds' OR next_attempt_at > created_at + interval '72 seconds' OR attempts <> 1"));

        var ok = new RecordingChannel(NotificationChannel.Sms);
        Assert.Equal(0, (await SendAsync(fees, ok)).Sent);
        fees.Clock.Now += TimeSpan.FromMinutes(2);
        Assert.True((await SendAsync(fees, ok)).Sent > 0);
        Assert.Equal(["sent"], await fees.Db.ListAsync("SELECT DISTINCT status FROM messages"));
    }

    [Fact]
    public async Task ZaloCannotReachThePerson_TheNoticeGoesBySms_AndZaloIsNotTriedForThemAgain()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await using (var db = fees.Db.Open())
        {
            db.SchoolMessaging.Add(new Api.Persistence.SchoolMessaging { SchoolId = db.Schools.Single(s => s.Code == "TS01").Id, ZaloEnabled = true });
            await db.SaveChangesAsync();
        }
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        Assert.Equal(["zalo_zns"], await fees.Db.ListAsync("SELECT DISTINCT channel FROM messages"));
        var zalo = new RecordingChannel(NotificationChannel.ZaloZns, _ => new Failed("-118", "no Zalo account", FailureHint.Unreachable, null));
        var sms = new RecordingChannel(NotificationChannel.Sms);

        await SendAsync(fees, zalo, sms);
        await SendAsync(fees, zalo, sms);

        var owing = await fees.Db.ScalarAsync("SELECT count(*) FROM notices WHERE amount_due_vnd > amount_paid_vnd");
        Assert.Equal(owing, zalo.Got.Count);
        Assert.Equal(owing, sms.Got.Count);
        Assert.Equal(owing, await fees.Db.ScalarAsync("SELECT count(*) FROM guardian_channels WHERE channel = 'zalo_zns' AND state = 'unreachable'"));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM messages m JOIN notices n ON n.id = m.notice_id " +
            "JOIN guardian_channels c ON c.guardian_id = m.guardian_id AND c.channel = 'zalo_zns' AND c.state = 'unreachable' " +
            "WHERE n.period_key = 202510 AND m.channel = 'zalo_zns'"));
        Assert.Equal(owing, await fees.Db.ScalarAsync("SELECT count(*) FROM messages m JOIN notices n ON n.id = m.notice_id WHERE n.period_key = 202510 AND m.channel = 'sms'"));
    }

    [Fact]
    public async Task AReceiptCancelledOrReversed_TellsTheGuardian_WhichReceiptNoLongerHolds()
    {
        await using var fees = await BilledAsync();
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "50000");
        await SendAsync(fees, new RecordingChannel(NotificationChannel.Sms));

        await fees.OkAsync("receipts", "cancel", "--receipt", "TS01/EBL01/25T/0000001", "--reason", "Sai tên người nộp");
        await fees.OkAsync("payments", "reverse", "--receipt", "TS01/EBL01/25T/0000002", "--reason", "Thu nhầm học sinh");

        Assert.Equal(["TS01:REBL01/25T/1:receipt_changed::sms", "TS01:REBL01/25T/2:receipt_changed::sms"],
            await fees.Db.ListAsync("SELECT regexp_replace(idempotency_key, ':[0-9a-f-]{36}$', '') FROM messages WHERE kind = 'receipt_changed' ORDER BY 1"));
        var sms = new RecordingChannel(NotificationChannel.Sms);
        await SendAsync(fees, sms);
        var changed = sms.Got.Where(m => m.Kind == MessageKind.ReceiptChanged).OrderBy(m => m.Values.Receipt).ToList();
        Assert.Equal(["25T/0000001", "25T/0000002"], changed.Select(m => m.Values.Receipt));
        Assert.Equal(["An", "Bích"], changed.Select(m => m.Values.FirstName));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task APayment_QueuesAMessageAboutItsReceipt_InItsTransaction()
    {
        await using var fees = await BilledAsync();

        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");

        var keys = await fees.Db.ListAsync("SELECT idempotency_key FROM messages WHERE kind = 'payment_applied'");
        Assert.Single(keys);
        Assert.Matches(@"^TS01:R[^:]+/[^:]+/1:payment_applied::sms:[0-9a-f-]{36}$", keys[0]);
        var sms = new RecordingChannel(NotificationChannel.Sms);
        await SendAsync(fees, sms);
        var paid = sms.Got.Single(m => m.Kind == MessageKind.PaymentApplied);
        Assert.Equal(100_000, paid.Values.PaidVnd);
        Assert.Matches(@"^[^/]+/0000001$", paid.Values.Receipt!);
        // The message leads to the e-receipt's public verification page, in the SMS and in the e-mail.
        var code = (await fees.Db.ListAsync("SELECT lookup_code FROM receipts")).Single();
        Assert.Equal($"http://127.0.0.1:5080/bien-lai/3700000001/{code}", paid.Values.VerifyLink);
        var text = MessageTemplates.Sms(MessageKind.PaymentApplied, paid.Values);
        Assert.EndsWith($"Tra cuu bien lai: http://127.0.0.1:5080/bien-lai/3700000001/{code}", text.Text);
        Assert.False(text.TooLong);
        Assert.Contains($"/bien-lai/3700000001/{code}", EmailText.Render(MessageKind.PaymentApplied, paid.Values).Plain);
    }

    [Fact]
    public async Task TheProvidersRateCap_SpacesTheCalls()
    {
        await using var fees = await BilledAsync();
        var at = new ConcurrentQueue<long>();
        var sms = new RecordingChannel(NotificationChannel.Sms, m =>
        {
            at.Enqueue(System.Diagnostics.Stopwatch.GetTimestamp());
            return new Accepted("P-" + m.Id, 1, null, "x");
        });

        await using (var db = fees.Db.Open())
            await new OutboxSender(db, new BusinessClock(fees.Clock), [sms], new ParentLinks(db, Box), new MessagingOptions(SmsPerSecond: 2),
                NullLogger<OutboxSender>.Instance).RunAsync(CancellationToken.None);

        // Two a second: the third call leaves at least a second after the first.
        var calls = at.ToArray();
        Assert.True(calls.Length >= 3);
        Assert.True(System.Diagnostics.Stopwatch.GetElapsedTime(calls[0], calls[2]) >= TimeSpan.FromMilliseconds(950));
    }
}
