using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Receipts;

/// <summary>What has not reached the tax office, on the education office's dashboard and the administrator's home.</summary>
public sealed class TaxOfficeBacklogPageTests
{
    [Fact]
    public async Task AReceiptNotAccepted72HoursOn_ShowsOnTheEducationOfficesDashboard_AndTheAdministratorsHome()
    {
        await using var host = await BankHost.StartAsync();
        await StaffLogins.AddAsync(host.Fees);
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        host.Fees.Clock.Now += TimeSpan.FromHours(71);
        var early = await (await StaffLogins.ClientAsync(host, StaffLogins.Auditor)).GetStringAsync("/so");
        Assert.Contains("id=\"tax-office\">Không có biên lai bị từ chối", early);

        host.Fees.Clock.Now += TimeSpan.FromHours(2);
        var late = await (await StaffLogins.ClientAsync(host, StaffLogins.Auditor)).GetStringAsync("/so");
        Assert.Contains("data-school=\"TS01\"", late[late.IndexOf("id=\"tax-office\"", StringComparison.Ordinal)..]);
        Assert.Contains("1 biên lai chưa được tiếp nhận", late);

        var admin = await StaffLogins.ClientAsync(host, StaffLogins.Admin);
        var home = await admin.GetStringAsync("/quan-tri");
        Assert.Contains("id=\"tax-office\"", home);
        Assert.Contains("1 biên lai chưa được tiếp nhận", home);

        // A rejected receipt shows at once: the accountant has to replace it.
        await host.Fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "100000");
        await host.Fees.Db.ExecAsync("""
            SET session_replication_role = replica;
            INSERT INTO ereceipt_outbox (id, school_id, kind, receipt_id, idempotency_key, template, series, number, issued_on, total_vnd, sha256, state, attempts, next_at, created_at, updated_at, last_code)
            SELECT gen_random_uuid(), r.school_id, 'receipt', r.id, '3700000001:EBL01:25T:2', 'EBL01', '25T', 2, r.issued_on, r.amount_vnd, r.xml_sha256, 'rejected', 1, now(), now(), now(), 'E_CONTENT'
            FROM receipts r WHERE r.number = 2;
            UPDATE receipts SET status = 'rejected' WHERE number = 2;
            INSERT INTO receipt_events (id, receipt_id, at, from_status, to_status, actor) SELECT gen_random_uuid(), id, now(), 'issued', 'rejected', 'tvan' FROM receipts WHERE number = 2;
            SET session_replication_role = origin
            """);
        var now = await (await StaffLogins.ClientAsync(host, StaffLogins.Auditor)).GetStringAsync("/so");
        Assert.Contains("1 biên lai bị từ chối", now);
    }
}

/// <summary>A database context of the test's database, disposed with the scope.</summary>
internal sealed class FeesDbScope(Support.Fees fees) : IAsyncDisposable
{
    public Api.Persistence.FeesDb Db { get; } = fees.Db.Open();

    public ValueTask DisposeAsync() => Db.DisposeAsync();
}
