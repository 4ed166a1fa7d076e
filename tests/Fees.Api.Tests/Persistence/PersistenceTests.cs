using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace TdmEdu.Fees.Api.Tests.Persistence;

public sealed class PersistenceTests
{
    [Theory]
    [InlineData("UPDATE payments SET amount_vnd = 1")]
    [InlineData("DELETE FROM allocations")]
    [InlineData("UPDATE audit_log SET actor = 'someone else'")]
    [InlineData("DELETE FROM notice_lines")]
    public async Task FinancialRows_AreAppendOnly(string sql)
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");

        var e = await Assert.ThrowsAsync<PostgresException>(() => fees.Db.ExecAsync(sql));

        Assert.Contains("append-only", e.MessageText);
    }

    [Fact]
    public async Task Notice_ChangedByTwoWritersAtOnce_SecondSaveFails()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await using var a = fees.Db.Open();
        await using var b = fees.Db.Open();
        var na = await a.Notices.SingleAsync(n => n.NoticeNo == "TS01-202509-00001");
        var nb = await b.Notices.SingleAsync(n => n.NoticeNo == "TS01-202509-00001");

        na.ClassName = "1A9";
        await a.SaveChangesAsync();
        nb.ClassName = "1A8";

        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => b.SaveChangesAsync());
    }

    [Fact]
    public async Task Notices_OnePerStudentAndMonth_IsEnforcedByTheDatabase()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");

        var e = await Assert.ThrowsAsync<PostgresException>(() => fees.Db.ExecAsync("""
            INSERT INTO notices (id, notice_no, student_id, school_id, class_name, period_key, due_date, amount_due_vnd, amount_paid_vnd, status, billing_run_id, issued_at)
            SELECT gen_random_uuid(), notice_no || '-copy', student_id, school_id, class_name, period_key, due_date, amount_due_vnd, 0, status, billing_run_id, now()
            FROM notices LIMIT 1
            """));

        Assert.Equal("23505", e.SqlState);
    }

    [Fact]
    public async Task Allocation_OfALineToAnotherNotice_IsRefusedByTheDatabase()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "100000");
        // The same allocation again, its line kept, its notice another pupil's: the money would count on two notices.
        const string copy = """
            INSERT INTO allocations (id, payment_id, notice_id, notice_line_id, amount_vnd, at, kind)
            SELECT gen_random_uuid(), a.payment_id, {0}, a.notice_line_id, a.amount_vnd, a.at, a.kind FROM allocations a LIMIT 1
            """;

        var e = await Assert.ThrowsAsync<PostgresException>(() => fees.Db.ExecAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, copy,
            "(SELECT id FROM notices WHERE notice_no = 'TS01-202509-00002')")));

        Assert.Equal("23503", e.SqlState);
        Assert.Equal("fk_allocations_notice_lines_notice_line_id_notice_id", e.ConstraintName);
        // Its own notice is accepted (the control: the statement itself is sound), then rolled back: it would count the money twice.
        await using var db = fees.Db.Open();
        await using var tx = await db.Database.BeginTransactionAsync();
        Assert.Equal(1, await db.Database.ExecuteSqlRawAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, copy, "a.notice_id")));
        await tx.RollbackAsync();
    }
}
