using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TdmEdu.Fees.Api.Tests.Support;
using TdmEdu.Fees.NotifyAdapters;

namespace TdmEdu.Fees.Api.Tests.Messages;

/// <summary>
/// What an attack on the messages found (docs: adversarial review of issue #13), each as a test: a message reaches only
/// the pupil's guardian of the moment, a message in doubt is never doubled by a re-send, and the provider hooks and
/// the re-send answer as the contract says.
/// </summary>
public sealed class MessageHardeningTests
{
    [Fact]
    public async Task AQueuedMessage_ToAGuardianTheRosterNoLongerNames_IsCancelledAtSending_NotSent()
    {
        await using var host = await BankHost.StartAsync();
        // An SMS in doubt that the job puts back in the queue, or a row leased as the roster changed: the roster's change
        // did not cancel it. Planted here by moving An to Bích's guardian behind the application's back.
        await host.Fees.Db.ExecAsync("""
            UPDATE students SET guardian_id = (SELECT guardian_id FROM students WHERE student_code = '7900000002') WHERE student_code = '7900000001'
            """);
        var queuedForAn = await host.Fees.Db.ScalarAsync(
            "SELECT count(*) FROM messages m JOIN students s ON s.id = m.student_id WHERE s.student_code = '7900000001' AND m.status = 'queued'");
        Assert.Equal(1, queuedForAn);

        var sent = await Outbox.SendAllAsync(host, NotificationChannel.Sms);

        Assert.DoesNotContain(sent, m => m.Values.FirstName == "An");
        Assert.Contains(sent, m => m.Values.FirstName == "Bích");
        Assert.Equal(["cancelled"], await host.Fees.Db.ListAsync(
            "SELECT m.status FROM messages m JOIN students s ON s.id = m.student_id WHERE s.student_code = '7900000001'"));
    }

    [Fact]
    public async Task AQueuedMessage_OfANoticeWithdrawnWithMoneyOnIt_IsCancelledAtSending_NotSent()
    {
        // Found by attack: a leaver's later notice, withdrawn while paid, is "refunded"; its queued notice still went out.
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        var october = await fees.Db.ScalarAsync("SELECT amount_due_vnd FROM notices WHERE notice_no = 'TS01-202510-00001'");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202510-00001", "--amount", october.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await fees.OkAsync("students", "leave", "--student", "7900000001", "--on", "30/09/2025", "--reason", "Chuyển trường");
        Assert.Equal(["refunded"], await fees.Db.ListAsync("SELECT status FROM notices WHERE notice_no = 'TS01-202510-00001'"));
        const string Queued = "SELECT m.status FROM messages m JOIN notices n ON n.id = m.notice_id WHERE n.notice_no = 'TS01-202510-00001' AND m.channel = 'sms'";
        Assert.Equal(["queued"], await fees.Db.ListAsync(Queued));

        var sent = await Outbox.SendAllAsync(host, NotificationChannel.Sms);

        Assert.DoesNotContain(sent, m => m.Values.FirstName == "An" && m.Values.PeriodMonth == 10);
        Assert.Equal(["cancelled"], await fees.Db.ListAsync(Queued));
    }

    [Fact]
    public async Task AnSmsInDoubt_IsTheJobs_AReSendAddsNoSecondRequest_WhileAnEmailInDoubtMayBeResent()
    {
        await using var host = await BankHost.StartAsync();
        var ts01 = await MessageApiTests.AccountantAsync(host, "kt1@ts01.vn", "TS01");
        await Outbox.SendAllAsync(host, NotificationChannel.Sms, _ => new Unknown("TIMEOUT", null));
        var doubtful = await host.Fees.Db.ListAsync("SELECT id FROM messages WHERE school_id = (SELECT id FROM schools WHERE code = 'TS01') AND status = 'unknown'");
        Assert.NotEmpty(doubtful);

        var r = await ts01.PostAsJsonAsync("/api/schools/TS01/messages/resend", new { ids = doubtful });
        Assert.Equal(0, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
        Assert.Equal(0, await host.Fees.Db.ScalarAsync("SELECT count(*) FROM messages WHERE idempotency_key LIKE '%:r%'"));

        // Once the job has given up on it (its tries spent), a person may send it again.
        await host.Fees.Db.ExecAsync($"UPDATE messages SET attempts = {Api.Application.Messages.SendingRules.MaxAttempts} WHERE id = '{doubtful[0]}'");
        r = await ts01.PostAsJsonAsync("/api/schools/TS01/messages/resend", new { ids = doubtful });
        Assert.Equal(1, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());
    }

    [Fact]
    public async Task TheHooksNeverAnswerProblemDetails_AndAReSendOfTooManyNamesTheFieldAndTheReason()
    {
        await using var host = await BankHost.StartAsync();
        var ts01 = await MessageApiTests.AccountantAsync(host, "kt1@ts01.vn", "TS01");

        // No Zalo configured here: no signature can be checked, so the event is refused as unsigned.
        var zalo = await host.Http.PostAsync("/api/notify/zalo/events", new StringContent("{\"event_name\":\"user_received_message\"}"));
        Assert.Equal(HttpStatusCode.Unauthorized, zalo.StatusCode);
        Assert.NotEqual("application/problem+json", zalo.Content.Headers.ContentType?.MediaType);
        var esms = await host.Http.GetAsync("/api/notify/esms/callback/not-the-secret?SMSID=1");
        Assert.Equal(HttpStatusCode.NotFound, esms.StatusCode);
        Assert.NotEqual("application/problem+json", esms.Content.Headers.ContentType?.MediaType);

        var tooMany = await ts01.PostAsJsonAsync("/api/schools/TS01/messages/resend", new { ids = Enumerable.Range(0, 1001).Select(_ => Guid.NewGuid()) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var problem = await tooMany.Content.ReadAsStringAsync();
        Assert.Contains("ids: name between 1 and 1000 messages.", problem);
    }

    [Fact]
    public async Task AReceiptReplacedOrAPaymentReversedBeforeTheFamilyHeard_WithdrawsTheUnsentMessage_AndAnnouncesOnlyWhatHolds()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "50000");

        await fees.OkAsync("receipts", "cancel", "--receipt", "TS01/EBL01/25T/0000001", "--reason", "Sai tên người nộp");
        await fees.OkAsync("payments", "reverse", "--receipt", "TS01/EBL01/25T/0000002", "--reason", "Thu nhầm học sinh");

        var sent = await Outbox.SendAllAsync(host, NotificationChannel.Sms);
        var told = sent.Where(m => m.Kind is MessageKind.PaymentApplied or MessageKind.ReceiptChanged).Select(m => $"{m.Kind} {m.Values.FirstName} {m.Values.Receipt}");
        Assert.Equal(["PaymentApplied An 25T/0000003"], told);
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM messages WHERE last_error_code = 'PAYMENT_CHANGED'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task AReSendAfterTheRosterChangedTheGuardian_AddsNoSecondCopy_AndNeverGoesWhereTheGuardianSaidNo()
    {
        await using var host = await BankHost.StartAsync();
        var ts01 = await MessageApiTests.AccountantAsync(host, "kt1@ts01.vn", "TS01");
        await Outbox.SendAllAsync(host, NotificationChannel.Sms, _ => new Failed("108", "bad number", FailureHint.NextChannel, null));
        var failed = await host.Fees.Db.ListAsync("SELECT m.id FROM messages m JOIN students s ON s.id = m.student_id WHERE s.student_code IN ('7900000001', '7900000002') ORDER BY s.student_code");

        // Bích's number is corrected and "send notices" queues her notice for the new number: a re-send adds nothing.
        await host.Fees.OkAsync("students", "import", host.Fees.File("bich.csv", Samples.StudentHeader +
            "TS01,7900000002,Trần Thị Bích,01/03/2017,Nữ,2,2A1,Trần Văn Cường,0912000088,,,\n"));
        await using (var db = host.Fees.Db.Open())
            Assert.Equal(1, await new Api.Application.Messages.SchoolMessages(db, new Api.Common.BusinessClock(host.Fees.Clock), new Api.Persistence.Actor("t"))
                .QueueNoticesAsync("TS01", new(2025, 9)));
        // An's guardian switches the phone off on the child's page: a re-send does not go there either.
        await host.Fees.Db.ExecAsync("UPDATE guardian_channels SET state = 'opted_out' WHERE channel = 'sms' AND guardian_id = (SELECT guardian_id FROM students WHERE student_code = '7900000001')");

        var r = await ts01.PostAsJsonAsync("/api/schools/TS01/messages/resend", new { ids = failed });
        Assert.Equal(0, (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("requeued").GetInt32());

        // A row put back in the queue behind the application's back (a retry) is stopped at sending by the same choice.
        await host.Fees.Db.ExecAsync($"UPDATE messages SET status = 'queued' WHERE id = '{failed[0]}'");
        var sent = await Outbox.SendAllAsync(host, NotificationChannel.Sms);
        Assert.Equal(["84912000088"], sent.Select(m => m.Destination));
        Assert.Equal(["cancelled"], await host.Fees.Db.ListAsync($"SELECT status FROM messages WHERE id = '{failed[0]}'"));
    }
}
