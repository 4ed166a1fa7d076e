using Npgsql;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

/// <summary>`fees students transfer` and the administrator-wide import: one transfer path, recorded with who and why.</summary>
public sealed class TransferCommandTests
{
    private static async Task<Support.Fees> StartAsync()
    {
        var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("students", "import", fees.File("ts02.csv", Samples.StudentHeader +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Đặng Văn Hùng,0912000040,,,\n"));
        return fees;
    }

    private static Task<List<string>> NoticesOfAnAsync(Support.Fees fees) => fees.Db.ListAsync(
        "SELECT n.period_key || ' ' || sc.code FROM notices n JOIN schools sc ON sc.id = n.school_id JOIN students s ON s.id = n.student_id " +
        "WHERE s.student_code = '7900000001' ORDER BY n.period_key");

    [Fact]
    public async Task StudentsTransfer_WithoutReasonOrToAnUnknownPupilSchoolOrClass_IsRefusedInWords_AndWritesNothing()
    {
        await using var fees = await StartAsync();

        var noReason = await fees.RunAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "6A1");
        var blankReason = await fees.RunAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--class", "6A1", "--reason", "  ");
        var unknownPupil = await fees.RunAsync("students", "transfer", "--student", "7999999999", "--to", "TS02", "--class", "6A1", "--reason", "x");
        var unknownSchool = await fees.RunAsync("students", "transfer", "--student", "7900000001", "--to", "XX99", "--class", "6A1", "--reason", "x");
        // Without --class the pupil's class name is looked for at the new school; TS02 has no 1A1.
        var noSuchClass = await fees.RunAsync("students", "transfer", "--student", "7900000001", "--to", "TS02", "--reason", "x");
        var sameSchool = await fees.RunAsync("students", "transfer", "--student", "7900000001", "--to", "TS01", "--class", "1A1", "--reason", "x");

        Assert.Equal(1, noReason.ExitCode);
        Assert.Contains("--reason is required", noReason.Err);
        Assert.Equal(2, blankReason.ExitCode);
        Assert.Contains("say why the pupil changes school", blankReason.Err);
        Assert.Equal(2, unknownPupil.ExitCode);
        Assert.Contains("there is no student 7999999999", unknownPupil.Err);
        Assert.Equal(2, unknownSchool.ExitCode);
        Assert.Contains("there is no school XX99", unknownSchool.Err);
        Assert.Equal(2, noSuchClass.ExitCode);
        Assert.Contains("school TS02 has no class 1A1; name one of its classes (6A1)", noSuchClass.Err);
        Assert.Equal(3, sameSchool.ExitCode);
        Assert.Contains("already at school TS01", sameSchool.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM student_transfers"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'students.transfer'"));
        Assert.Equal(["TS01"], await fees.Db.ListAsync("SELECT sc.code FROM students s JOIN schools sc ON sc.id = s.school_id WHERE s.student_code = '7900000001'"));
    }

    [Fact]
    public async Task StudentsTransfer_AfterTheOldSchoolBilledTheMonth_TheNewSchoolBillsFromTheNextMonth_AndTheRecordIsKeptAsWritten()
    {
        await using var fees = await StartAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        var code = await fees.Db.ListAsync("SELECT payment_code FROM students WHERE student_code = '7900000001'");

        var moved = await fees.OkAsync("students", "transfer", "--student", "7900000001", "--to", "ts02", "--class", "6a1", "--reason", "Theo đơn của phụ huynh");
        var october = await fees.OkAsync("notices", "issue", "--period", "2025-10");
        await fees.OkAsync("notices", "issue", "--period", "2025-11");

        // September and October were the old school's and stay open there; November is the new school's.
        Assert.Contains("Student 7900000001 moved from TS01 to TS02, class 6A1. 2 notice(s) with 2.231.800 ₫ still to pay stay with TS01", moved);
        Assert.Contains("Issued 0 notice(s) for 2025-10", october);
        Assert.Equal(["202509 TS01", "202510 TS01", "202511 TS02"], await NoticesOfAnAsync(fees));
        Assert.Equal(code, await fees.Db.ListAsync("SELECT payment_code FROM students WHERE student_code = '7900000001'"));
        Assert.Equal(["6A1|6"], await fees.Db.ListAsync("SELECT c.name || '|' || s.grade FROM students s JOIN classes c ON c.id = s.class_id WHERE s.student_code = '7900000001'"));
        Assert.Equal([$"cli:{Environment.UserName}|Theo đơn của phụ huynh"], await fees.Db.ListAsync("SELECT actor || '|' || reason FROM student_transfers"));
        Assert.Equal(["TS01|TS02|2|2231800"], await fees.Db.ListAsync(
            "SELECT concat_ws('|', details->>'from', details->>'to', details->>'open_notices_at_from', details->>'open_balance_at_from_vnd') " +
            $"FROM audit_log WHERE action = 'students.transfer' AND actor = 'cli:{Environment.UserName}'"));
        var edit = await Assert.ThrowsAsync<PostgresException>(() => fees.Db.ExecAsync("UPDATE student_transfers SET reason = 'khác'"));
        Assert.Contains("append-only", edit.MessageText);
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task StudentsImport_ByTheAdministrator_KeepsTransfers_AndRecordsEachWithTheFileAndLineAsTheReason()
    {
        await using var fees = await StartAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");

        var output = await fees.OkAsync("students", "import", fees.File("chuyen-truong.csv", Samples.StudentHeader +
            "TS02,7900000040,Đặng Quốc Bảo,07/07/2013,Nam,6,6A1,Đặng Văn Hùng,0912000040,,,\n" +
            "TS02,7900000002,Trần Thị Bích,2017-03-01,Nữ,6,6A1,Trần Văn Cường,0912000002,CN,,\n"));

        Assert.Contains("0 changed, 1 transferred between schools, 1 unchanged", output);
        Assert.Equal([$"cli:{Environment.UserName}|students import chuyen-truong.csv, line 3|TS01|TS02"], await fees.Db.ListAsync(
            "SELECT concat_ws('|', t.actor, t.reason, f.code, o.code) FROM student_transfers t JOIN schools f ON f.id = t.from_school_id JOIN schools o ON o.id = t.to_school_id"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'students.transfer'"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM notices n JOIN schools sc ON sc.id = n.school_id WHERE sc.code = 'TS01' AND n.notice_no = 'TS01-202509-00002'"));
    }
}
