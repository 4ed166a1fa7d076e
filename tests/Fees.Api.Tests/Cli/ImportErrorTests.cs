using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

public sealed class ImportErrorTests
{
    private static async Task<Support.Fees> WithScheduleAsync()
    {
        var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));
        await fees.OkAsync("schedule", "import", fees.File("schedule.json", Samples.Schedule));
        return fees;
    }

    [Fact]
    public async Task StudentsImport_ImpossibleDate_NamesFileLineAndColumnAndWritesNothing()
    {
        await using var fees = await WithScheduleAsync();
        var path = fees.File("broken.csv", Samples.StudentHeader +
            "TS01,7900000008,Võ Văn Tý,01/02/2017,Nam,2,2A1,,,,,\n" +
            "TS01,7900000009,Võ Thị Lan,31/02/2017,Nữ,2,2A1,Võ Văn Kha,0912000009,,,\n");

        var r = await fees.RunAsync("students", "import", path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("broken.csv, line 3, column D (date_of_birth): \"31/02/2017\" is not a real date.", r.Err);
        Assert.Contains("Nothing was written", r.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM students"));
    }

    [Fact]
    public async Task StudentsImport_EveryKindOfBadRow_IsReportedTogether()
    {
        await using var fees = await WithScheduleAsync();
        var path = fees.File("bad.csv", Samples.StudentHeader +
            "TS99,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,,,,,\n" +                 // line 2: unknown school
            "TS01,7900000002,,12/05/2018,Nam,1,1A1,,,,,\n" +                              // line 3: no name
            "TS01,7900000003,Lê Nam,12/05/2018,X,13,1A1,,12345,,,\n" +                    // line 4: gender, grade, phone
            "TS01,7900000003,Lê Nam,12/05/2018,Nam,1,1A1,,,,,\n" +                        // line 5: duplicate code
            "TS01,7900000004,Lê Mai,12/05/2018,Nữ,1,1A1,,,ZZ,KY_NANG,\n" +                // line 6: unknown policy and item
            "TS01,7900000005,Lê Lan,12/05/2018,Nữ,1,1A1,,,,BAN_TRU,2025-13-01\n");        // line 7: not voluntary, bad date

        var r = await fees.RunAsync("students", "import", path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 2, column A (school_code): school TS99 is not known", r.Err);
        Assert.Contains("line 3, column C (full_name): is empty.", r.Err);
        Assert.Contains("line 4, column E (gender): \"X\" is not Nam or Nữ.", r.Err);
        Assert.Contains("line 4, column F (grade): \"13\" is not a grade", r.Err);
        Assert.Contains("line 4, column I (guardian_phone)", r.Err);
        Assert.Contains("line 5, column B (student_code): student 7900000003 is already on line 4.", r.Err);
        Assert.Contains("line 6, column J (policy_groups): ZZ is not a policy group of the 2025-2026 schedule.", r.Err);
        Assert.Contains("line 6, column K (optional_items): KY_NANG is not an item", r.Err);
        Assert.Contains("line 7, column K (optional_items): BAN_TRU is not a voluntary item", r.Err);
        Assert.Contains("line 7, column L (enrolled_on)", r.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM students"));
    }

    [Fact]
    public async Task StudentsImport_MissingRequiredColumn_IsNamedInVietnameseToo()
    {
        await using var fees = await WithScheduleAsync();
        var path = fees.File("nocol.csv", "Mã trường,Mã học sinh,Họ và tên,Khối,Lớp\nTS01,7900000001,An,1,1A1\n");

        var r = await fees.RunAsync("students", "import", path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("nocol.csv, line 1, column date_of_birth: the header has no column date_of_birth (Ngày sinh).", r.Err);
    }

    [Fact]
    public async Task StudentsImport_BeforeAnySchedule_RefusesPolicyCodes()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.OkAsync("schools", "import", fees.File("schools.csv", Samples.Schools));

        var r = await fees.RunAsync("students", "import", fees.File("s.csv", Samples.StudentHeader + "TS01,7900000001,An,12/05/2018,Nam,1,1A1,,,CN,,\n"));

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 2", r.Err);
        Assert.Contains("import the schedule before the roster", r.Err);
    }

    [Fact]
    public async Task StudentsImport_SameFileTwice_ChangesNothing()
    {
        await using var fees = await WithScheduleAsync();
        var path = fees.File("students.csv", Samples.Students, bom: true);
        await fees.OkAsync("students", "import", path);
        var audit = await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log");
        var codes = await fees.Db.ScalarAsync("SELECT sum(hashtext(payment_code)) FROM students");

        var again = await fees.OkAsync("students", "import", path);

        Assert.Contains("0 student(s) added, 0 changed, 0 transferred between schools, 4 unchanged", again);
        Assert.Equal(audit, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log"));
        Assert.Equal(codes, await fees.Db.ScalarAsync("SELECT sum(hashtext(payment_code)) FROM students"));
    }

    [Fact]
    public async Task StudentsImport_ChangedRow_UpdatesTheStudentAndItsPolicies()
    {
        await using var fees = await WithScheduleAsync();
        await fees.OkAsync("students", "import", fees.File("students.csv", Samples.Students, bom: true));

        var output = await fees.OkAsync("students", "import", fees.File("changed.csv", Samples.StudentHeader +
            "TS01,7900000003,Lê Hoàng Nam,01/01/2016,Nam,3,3A1,Lê Văn Dũng,0912000003,HN@2026-05-31,,\n"));

        Assert.Contains("1 changed", output);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM student_policies p JOIN students s ON s.id = p.student_id WHERE s.student_code = '7900000003'"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM student_policies WHERE policy_code = 'HN' AND valid_until = '2026-05-31'"));
    }

    [Fact]
    public async Task StudentsImport_Xlsx_WithVietnameseHeaders_IsRead()
    {
        await using var fees = await WithScheduleAsync();
        var path = Path.Combine(fees.Folder, "roster.xlsx");
        var rows = new[]
        {
            new Dictionary<string, object>
            {
                ["Mã trường"] = "TS01", ["Mã học sinh"] = "7900000031", ["Họ và tên"] = "Trương Ngọc Hân", ["Ngày sinh"] = "09/09/2018",
                ["Giới tính"] = "Nữ", ["Khối"] = 1, ["Lớp"] = "1A2", ["Số điện thoại"] = "+84 912 000 031",
            },
        };
        await MiniExcelLibs.MiniExcel.SaveAsAsync(path, rows);

        var output = await fees.OkAsync("students", "import", path);

        Assert.Contains("1 student(s) added", output);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM students s JOIN guardians g ON g.id = s.guardian_id WHERE g.phone = '0912000031'"));
    }

    [Fact]
    public async Task StudentsImport_FileThatIsNotAWorkbook_IsRefusedClearly()
    {
        await using var fees = await WithScheduleAsync();
        var path = fees.File("fake.xlsx", "this is not a zip");

        var r = await fees.RunAsync("students", "import", path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("fake.xlsx: the file is not a readable Excel workbook", r.Err);
    }

    [Fact]
    public async Task SchoolsImport_UnknownBankAndDuplicateAccount_AreRefused()
    {
        await using var fees = await Support.Fees.StartAsync();
        var path = fees.File("schools.csv", """
            Mã trường,Tên trường,Cấp học,Phường/Xã,Ngân hàng,Số tài khoản,Tên tài khoản
            TS01,Trường A,TH,Phú Cường,ACB,0281000111222,TRUONG A
            TS02,Trường B,TH,Phú Cường,VCB,0281000111999,TRUONG B
            TS03,Trường C,XX,Phú Cường,VCB,0281000111999,TRUONG C
            """);

        var r = await fees.RunAsync("schools", "import", path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("line 2, column E \"Ngân hàng\" (bank): \"ACB\" is not a bank the service collects through", r.Err);
        Assert.Contains("line 4, column C \"Cấp học\" (level): \"XX\" is not a school level", r.Err);
        Assert.Contains("line 4, column F \"Số tài khoản\" (account_no): this account is also given to school TS02 on line 3.", r.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM schools"));
    }

    [Fact]
    public async Task SchoolsImport_SameFileTwice_ChangesNothingAndKeepsOneReceiptSeries()
    {
        await using var fees = await Support.Fees.StartAsync();
        var path = fees.File("schools.csv", Samples.Schools);
        await fees.OkAsync("schools", "import", path);

        var again = await fees.OkAsync("schools", "import", path);

        Assert.Contains("0 school(s) added, 0 changed; 0 bank account(s) added, 0 changed; 2 school(s) unchanged", again);
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM receipt_series"));
        Assert.Equal(3, await fees.Db.ScalarAsync("SELECT count(*) FROM school_bank_accounts"));
    }

    [Fact]
    public async Task ScheduleImport_MalformedJson_NamesTheLine()
    {
        await using var fees = await Support.Fees.StartAsync();
        var path = fees.File("bad.json", "{\n \"school_year\": \"2025-2026\",\n \"months\": [9, 10\n}\n");

        var r = await fees.RunAsync("schedule", "import", path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("bad.json, line 4: the file is not valid JSON", r.Err);
    }

    [Fact]
    public async Task ScheduleImport_BrokenRules_AreEachNamed()
    {
        await using var fees = await Support.Fees.StartAsync();
        var path = fees.File("rules.json", """
            {"school_year": "2025-2027", "months": [9, 10], "due_day": 15,
             "items": [
              {"code": "A", "name": "A", "kind": "service", "unit": "day", "amount": 1000, "days": {"9": 18}},
              {"code": "B", "name": "B", "kind": "gift", "unit": "month", "amount": 12.5},
              {"code": "C", "name": "C", "kind": "service", "unit": "once", "amount": "1.000.000", "months": [6]}],
             "policies": [{"code": "P", "name": "P", "percent": 120, "items": ["Z"]}]}
            """);

        var r = await fees.RunAsync("schedule", "import", path);

        Assert.Equal(2, r.ExitCode);
        Assert.Contains("column school_year: \"2025-2027\" is not a school year", r.Err);
        Assert.Contains("column items[1] (B).kind: \"gift\" is not one of tuition, service, pass_through, voluntary.", r.Err);
        Assert.Contains("column items[1] (B).amount: 12.5 is not a whole number of đồng.", r.Err);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM schedules"));

        var fixedYear = fees.File("rules2.json", File.ReadAllText(path).Replace("2025-2027", "2025-2026")
            .Replace("\"gift\"", "\"service\"").Replace("12.5", "12500"));
        var r2 = await fees.RunAsync("schedule", "import", fixedYear);
        Assert.Equal(2, r2.ExitCode);
        Assert.Contains("item A: priced per day but has no school days for month 10.", r2.Err);
        Assert.Contains("item C: billed in month 6, which is not a billing month of the school year.", r2.Err);
        Assert.Contains("policy P: percent 120 is outside 0-100.", r2.Err);
        Assert.Contains("policy P: item Z is not in the schedule.", r2.Err);
    }

    [Fact]
    public async Task ScheduleImport_SameFileTwice_ChangesNothing()
    {
        await using var fees = await Support.Fees.StartAsync();
        var path = fees.File("schedule.json", Samples.Schedule);
        await fees.OkAsync("schedule", "import", path);
        var audit = await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log");

        var again = await fees.OkAsync("schedule", "import", path);

        Assert.Contains("is unchanged", again);
        Assert.Equal(audit, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log"));
    }

    [Fact]
    public async Task Commands_WithWrongWords_ExitWithUsageError()
    {
        await using var fees = await Support.Fees.StartAsync();

        Assert.Equal(1, (await fees.RunAsync("notices", "issue")).ExitCode);
        Assert.Equal(1, (await fees.RunAsync("notices", "issue", "--period", "2025-9")).ExitCode);
        Assert.Equal(1, (await fees.RunAsync("notices", "issue", "--period", "2025-09", "--shcool", "X")).ExitCode);
        Assert.Equal(1, (await fees.RunAsync("frobnicate")).ExitCode);
        Assert.Equal(2, (await fees.RunAsync("students", "import", "/nonexistent/file.csv")).ExitCode);
    }

    [Fact]
    public async Task Commands_WithoutAReachableDatabase_ExitWith4()
    {
        var o = new StringWriter();
        var e = new StringWriter();
        var code = await new Api.Cli.CommandLine(o, e, TimeProvider.System)
            .RunAsync(["--db", "Host=127.0.0.1;Port=1;Username=x;Database=x;Timeout=2", "audit"]);

        Assert.Equal(4, code);
        Assert.Contains("Cannot reach the database", e.ToString());
    }

    [Fact]
    public async Task ScheduleImport_AgainWithANewItemAndPolicy_AddsThem_AndRetiresTheDropped()
    {
        // Found by fuzzing: a new item code in a second import was taken for an existing row and failed to save.
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        var next = Samples.Schedule.Replace("\"BHYT\"", "\"BHYT_HS\"", StringComparison.Ordinal).Replace("\"CN\", \"name\"", "\"CN2\", \"name\"", StringComparison.Ordinal);

        var output = await fees.OkAsync("schedule", "import", fees.File("s2.json", next));

        Assert.Contains("1 item(s) added, 0 changed, 1 retired; 1 policy group(s) added, 0 changed, 1 retired.", output);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM fee_items WHERE code = 'BHYT_HS' AND active"));
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM fee_items WHERE code = 'BHYT' AND active"));
    }
}
