using TdmEdu.Fees.Api.Application.Reports;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>
/// The audit log as the administrator searches it, on PostgreSQL: the school an entry concerns found through the entity
/// it names, the other filters, pages that neither skip nor repeat, and typed digits masked in the details.
/// </summary>
public sealed class AuditSearchTests
{
    private static async Task<AuditSearch.Page> FindAsync(Support.Fees fees, string? school = null, string? who = null, string? action = null,
        string? key = null, DateOnly? from = null, DateOnly? to = null, long? before = null)
    {
        await using var db = fees.Db.Open();
        return await new AuditSearch(db).FindAsync(new AuditSearch.Filter(school, who, action, key, from, to, before), CancellationToken.None);
    }

    private static async Task<Support.Fees> TwoSchoolsThatTookCashAsync()
    {
        var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Support.Samples.StudentHeader +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Đặng Văn Hùng,0912000040,,,\n"));
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        foreach (var school in new[] { "TS01", "TS02" })
        {
            var notice = (await fees.Db.ListAsync($"SELECT n.notice_no FROM notices n JOIN schools s ON s.id = n.school_id WHERE s.code = '{school}' ORDER BY n.notice_no LIMIT 1")).Single();
            await fees.OkAsync("payments", "cash", "--notice", notice, "--amount", "50000");
        }
        await fees.OkAsync("schools", "limits", "--school", "TS02", "--cash-limit", "2000000");
        return fees;
    }

    [Fact]
    public async Task BySchool_FindsTheEntriesAboutItsPaymentsAndItself_ThroughTheEntityTheyName_AndNoneOfTheOtherSchool()
    {
        await using var fees = await TwoSchoolsThatTookCashAsync();
        var ts01Payment = (await fees.Db.ListAsync("SELECT p.id::text FROM payments p JOIN schools s ON s.id = p.school_id WHERE s.code = 'TS01'")).Single();
        var ts02Payment = (await fees.Db.ListAsync("SELECT p.id::text FROM payments p JOIN schools s ON s.id = p.school_id WHERE s.code = 'TS02'")).Single();

        var ts01 = await FindAsync(fees, school: "ts01");
        var ts02 = await FindAsync(fees, school: "TS02");
        var all = await FindAsync(fees);

        Assert.Contains(ts01.Entries, e => e.Action == "payments.cash" && e.EntityKey == ts01Payment);
        Assert.DoesNotContain(ts01.Entries, e => e.EntityKey == ts02Payment || e.Action == "schools.limits");
        Assert.Contains(ts02.Entries, e => e.Action == "payments.cash" && e.EntityKey == ts02Payment);
        Assert.Contains(ts02.Entries, e => e.Action == "schools.limits");
        // The import of the roster and the schedule concern the whole authority: under no school, in the whole log.
        Assert.DoesNotContain(ts01.Entries.Concat(ts02.Entries), e => e.Action is "schedule.import" or "students.import");
        Assert.Contains(all.Entries, e => e.Action == "schedule.import");
        Assert.Equal(all.Entries.OrderByDescending(e => e.Id).Select(e => e.Id), all.Entries.Select(e => e.Id));
        Assert.True((await FindAsync(fees, school: "XX99")).UnknownSchool);
    }

    [Fact]
    public async Task WhoKindKeyAndDates_EachNarrowTheEntries_AndAKindIsTheWholeFamilyOfItsActs()
    {
        await using var fees = await TwoSchoolsThatTookCashAsync();
        await fees.Db.ExecAsync("INSERT INTO audit_log (at, actor, action, entity, entity_key, details) VALUES " +
            "('2025-09-05 03:00Z', 'web:qt@so.vn', 'users.disable', 'user', 'kt@ts01.vn', '{}')");

        var payments = await FindAsync(fees, action: "payments");
        var byWho = await FindAsync(fees, who: "QT@so");
        var byKey = await FindAsync(fees, key: "kt@ts01.vn");
        var sameDay = await FindAsync(fees, from: new DateOnly(2025, 9, 5), to: new DateOnly(2025, 9, 5));
        var dayAfter = await FindAsync(fees, from: new DateOnly(2025, 9, 6));
        var dayBefore = await FindAsync(fees, to: new DateOnly(2025, 9, 4));
        var likeIsLiteral = await FindAsync(fees, who: "%");

        Assert.Equal(["payments.cash", "payments.cash"], payments.Entries.Select(e => e.Action));
        Assert.Equal(["users.disable"], byWho.Entries.Select(e => e.Action));
        Assert.Equal(["users.disable"], byKey.Entries.Select(e => e.Action));
        Assert.Equal((await FindAsync(fees)).Entries.Count, sameDay.Entries.Count);
        Assert.Empty(dayAfter.Entries);
        Assert.Empty(dayBefore.Entries);
        Assert.Empty(likeIsLiteral.Entries);
    }

    [Fact]
    public async Task Pages_AreNewestFirst_FiftyAtATime_AndWalkTheWholeLogOnceWithoutGapsOrRepeats()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.Db.ExecAsync("INSERT INTO audit_log (at, actor, action, entity, entity_key, details) " +
            "SELECT '2025-09-05 03:00Z', 'cli:test', 'schools.limits', 'school', 'TS' || g, '{}' FROM generate_series(1, 120) g");

        var seen = new List<long>();
        long? before = null;
        var pages = 0;
        do
        {
            var page = await FindAsync(fees, action: "schools", before: before);
            Assert.True(page.Entries.Count <= AuditSearch.PageSize);
            seen.AddRange(page.Entries.Select(e => e.Id));
            before = page.Next;
            pages++;
        }
        while (before is not null);

        Assert.Equal(3, pages);
        Assert.Equal(120, seen.Count);
        Assert.Equal(seen.OrderByDescending(x => x), seen);
        Assert.Equal(120, seen.Distinct().Count());
    }

    [Fact]
    public void Details_ShowKeysAndValues_WithTypedLongDigitRunsMasked_ButAmountsAndIdsWhole()
    {
        var shown = AuditSearch.Masked("""{"amount_vnd": 1500000000, "reason": "mẹ gọi 0912345678, tk 0281000111222", "request": "01234567-0123-0123-0123-012345678901", "x": null}""");

        Assert.Equal("amount_vnd: 1500000000; reason: mẹ gọi 09•••••678, tk 02••••••••222; request: 01234567-0123-0123-0123-012345678901; x: —", shown);
    }
}
