namespace TdmEdu.Fees.Api.Tests.Messages;

/// <summary>Each messages check of `fees audit` against a planted fault (its negative control); the clean state passes.</summary>
public sealed class MessageAuditTests
{
    private static async Task<string> FailingAsync(Support.Fees fees, string check)
    {
        var audit = await fees.RunAsync("audit");
        Assert.Equal(3, audit.ExitCode);
        Assert.Contains("FAIL  " + check, audit.Err);
        return audit.Err;
    }

    private static async Task<Support.Fees> QueuedAsync()
    {
        var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
        return fees;
    }

    [Fact]
    public async Task Audit_WhenAMessageSpeaksOfAnotherPupilsNotice_Fails()
    {
        await using var fees = await QueuedAsync();
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("UPDATE messages SET notice_id = (SELECT id FROM notices WHERE notice_no = 'TS01-202509-00002') " +
            "WHERE notice_id = (SELECT id FROM notices WHERE notice_no = 'TS01-202509-00001')");

        Assert.Contains("about a notice of another pupil or school", await FailingAsync(fees, "a message speaks of its own pupil's notice or payment"));
    }

    [Fact]
    public async Task Audit_WhenAMessageSpeaksOfAnotherPupilsPayment_Fails()
    {
        await using var fees = await QueuedAsync();
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("UPDATE messages SET student_id = (SELECT id FROM students WHERE student_code = '7900000002') WHERE kind = 'payment_applied'");

        Assert.Contains("about a payment of another pupil or school", await FailingAsync(fees, "a message speaks of its own pupil's notice or payment"));
    }

    [Fact]
    public async Task Audit_WhenAWaitingMessageIsAddressedToAnotherNumber_Fails()
    {
        await using var fees = await QueuedAsync();
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("UPDATE messages SET destination = '84999999999' WHERE kind = 'payment_applied'");

        Assert.Contains("queued sms message to a guardian who is not the pupil's", await FailingAsync(fees, "a message waiting to go is addressed to its pupil's guardian"));
    }

    [Fact]
    public async Task Audit_WhenASentMessageLostItsProof_Fails()
    {
        await using var fees = await QueuedAsync();
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync("UPDATE messages SET status = 'sent', sent_at = now() WHERE kind = 'payment_applied'");

        Assert.Contains("sent message without the hash of what went", await FailingAsync(fees, "a message that went out keeps its proof"));
    }

    private const string AnLink = """
        INSERT INTO portal_links (lid, student_id, guardian_id, subject, created_at, expires_at)
        SELECT 'AAAAAAAAAAAAAAAAAAAAAA', s.id, {0}, 'NTS01-202509-00001', now(), now() + interval '60 days'
        FROM students s WHERE s.student_code = '7900000001'
        """;

    [Fact]
    public async Task Audit_WhenALiveLinkBelongsToAGuardianWhoIsNotThePupils_Fails()
    {
        await using var fees = await QueuedAsync();
        fees.PlantsBrokenState();
        await fees.Db.ExecAsync(string.Format(AnLink, "(SELECT guardian_id FROM students WHERE student_code = '7900000002')"));

        Assert.Contains("AAAAAAAAAAAAAAAAAAAAAA", await FailingAsync(fees, "a live parent link belongs to its pupil's guardian"));
    }

    [Fact]
    public async Task ARosterChangeOfGuardian_RevokesTheOldGuardiansLinks_AndTheAuditPasses()
    {
        await using var fees = await QueuedAsync();
        await fees.Db.ExecAsync(string.Format(AnLink, "s.guardian_id"));

        await fees.OkAsync("students", "import", fees.File("an.csv", Support.Samples.StudentHeader +
            "TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Lê Thị Hoa,0912000077,,,\n"));

        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM portal_links WHERE revoked_at IS NOT NULL"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }
}
