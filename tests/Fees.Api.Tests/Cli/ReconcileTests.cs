using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

public sealed class ReconcileTests
{
    [Fact]
    public async Task Reconcile_AMorningsStatement_EachLineDecidedOnceWithItsReason()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        var bich = await host.PaymentCodeAsync("7900000002");
        var mangled = bich[..^2] + bich[^1] + bich[^2];
        // Bích's parent was notified by Vietcombank already; the same money comes again on the statement.
        await host.VcbAsync(host.VcbBody("VCB0100", 1_001_800, $"{bich} hoc phi"));
        await host.ProcessInboxAsync();
        var account = host.Account("TS01", "VCB").AccountNo;
        var statement = $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1371800,NTRFNONREF//FT0001\n:86:MBVCB.1.2.{an.ToLowerInvariant()} hoc phi\n" +
            $":61:2509100910C1001800,NTRFNONREF//FTVCB0100\n:86:{bich} hoc phi\n" +
            $":61:2509100910C5000,NTRFNONREF//FT0003\n:86:chuyen tien {mangled}\n" +
            ":61:2509100910C1200,NTRFNONREF//FT0004\n:86:Tra lai tien gui thang 9\n" +
            ":61:2509110911D20000,NCHGNONREF//FT0005\n:86:phi SMS\n:62F:C250911VND2358800,\n";
        await fees.OkAsync("statements", "import", fees.File("vcb.sta", statement), "--bank", "VCB", "--account", account);

        var first = await fees.OkAsync("reconcile");
        var second = await fees.OkAsync("reconcile");
        var export = Path.Combine(fees.Folder, "r.csv");
        await fees.OkAsync("reconcile", "export", "--from", "2025-09-01", "--to", "2025-09-30", "--out", export);

        Assert.Contains("Reconciled 1 duplicate, 2 ignored, 1 matched, 1 suggested.", first);
        Assert.Contains("Nothing to reconcile", second);
        var lines = File.ReadAllLines(export);
        Assert.Equal("bank,account_no,bank_ref,booking_date,amount,direction,content,outcome,notice_nos,student_codes,allocated,credited,reason,suggested_student_codes",
            lines[0].TrimStart('\uFEFF'));
        var byRef = lines.Skip(1).Select(l => l.Split(',')).ToDictionary(c => c[2]);
        Assert.Equal(("matched", "TS01-202509-00001", "7900000001", "1371800", "0"), (byRef["FT0001"][7], byRef["FT0001"][8], byRef["FT0001"][9], byRef["FT0001"][10], byRef["FT0001"][11]));
        Assert.Contains($"\"code {an} in description, amount equals balance\"", lines.Single(l => l.Contains("FT0001")));
        Assert.Equal("duplicate", byRef["FTVCB0100"][7]);
        // Two digits of Bích's code swapped: Bích, and her classmate whose code is one slip away too, suggested, neither first.
        Assert.Equal("suggested", byRef["FT0003"][7]);
        Assert.Contains("fails its check digit", lines.Single(l => l.Contains("FT0003")));
        Assert.Equal("7900000002;7900000003", lines.Single(l => l.Contains("FT0003")).Split(',')[^1]);
        Assert.Equal("", byRef["FT0001"][^1]);
        Assert.Equal("ignored", byRef["FT0004"][7]);
        // Bích paid once, though the money showed up twice.
        Assert.Equal(1_001_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00002'"));
        Assert.Equal(2, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task Reconcile_TwoLinesForOneStudentInOneRun_TheSecondSeesWhatTheFirstPaid()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        var account = host.Account("TS01", "VCB").AccountNo;
        var statement = $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1000000,NTRFNONREF//FT0001\n:86:{an} dot 1\n" +
            $":61:2509100910C371800,NTRFNONREF//FT0002\n:86:{an} dot 2\n" +
            $":61:2509110911C50000,NTRFNONREF//FT0003\n:86:{an} dot 3\n:62F:C250911VND1421800,\n";
        await fees.OkAsync("statements", "import", fees.File("three.sta", statement), "--bank", "VCB", "--account", account);

        var output = await fees.OkAsync("reconcile");

        Assert.Contains("1 matched, 1 overpaid, 1 partial", output);
        var reasons = await fees.Db.ListAsync("""
            SELECT l.bank_ref || ' ' || r.outcome || ': ' || r.reason FROM reconciliations r
            JOIN statement_lines l ON l.id = r.statement_line_id ORDER BY l.bank_ref
            """);
        Assert.Equal([
            $"FT0001 partial: code {an} in description, pays 1000000 of 1371800 owed",
            $"FT0002 matched: code {an} in description, amount equals balance",
            $"FT0003 overpaid: code {an} in description, nothing is owed; all of it becomes credit",
        ], reasons);
        Assert.Equal(1_371_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        // Three receipts, numbered one after the other.
        Assert.Equal([1L, 2L, 3L], (await fees.Db.ListAsync("SELECT number::text FROM receipts ORDER BY number")).Select(long.Parse));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task ACreditOnTheStatementFirst_ThenNotifiedByTheBank_IsAppliedOnce()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("early.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1371800,NTRFNONREF//FTVCB0500\n:86:{an} hoc phi\n"), "--bank", "VCB", "--account", account);
        Assert.Contains("1 matched", await fees.OkAsync("reconcile"));

        // The notification of the same credit comes late (the bank retried after an outage).
        await host.VcbAsync(host.VcbBody("VCB0500", 1_371_800, $"{an} hoc phi"));
        await host.ProcessInboxAsync();

        Assert.Equal(["duplicate: the same credit (FTVCB0500) was already taken from a statement; not applied again"],
            await fees.Db.ListAsync("SELECT outcome || ': ' || outcome_reason FROM bank_inbox"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(1_371_800, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task AStatementCreditWhoseReferenceANotificationHoldsAlready_IsADuplicate_EvenWhenTheCallIsNotInTheInboxYet()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("race.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1371800,NTRFNONREF//FTVCB0600\n:86:{an} hoc phi\n"), "--bank", "VCB", "--account", account);
        // A notification claimed the reference a moment ago, in a transaction the reconciler's first look did not see.
        await fees.Db.ExecAsync($"""
            INSERT INTO bank_ref_claims (account_id, bank_ref, channel, source_id, at)
            SELECT id, 'FTVCB0600', 'notification', gen_random_uuid(), now() FROM school_bank_accounts WHERE account_no = '{account}'
            """);

        var output = await fees.OkAsync("reconcile");

        Assert.Contains("Reconciled 1 duplicate.", output);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Equal(["the same credit (FTVCB0600) was already taken from a notification; not applied again"], await fees.Db.ListAsync("SELECT reason FROM reconciliations"));
    }

    [Fact]
    public async Task Reconcile_LinesWithoutACode_GetSuggestionsFromPayerHistoryNameAndClassAndAmount_NeverMoney()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        var bich = await host.PaymentCodeAsync("7900000002");
        var nam = await host.PaymentCodeAsync("7900000003");
        var account = host.Account("TS01", "VCB").AccountNo;
        string Entry(string reference, long amount, string text, string payer) =>
            $"<Ntry><Amt Ccy=\"VND\">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2025-09-10</Dt></BookgDt><AcctSvcrRef>{reference}</AcctSvcrRef>" +
            $"<NtryDtls><TxDtls><RltdPties><DbtrAcct><Id><Othr><Id>{payer}</Id></Othr></Id></DbtrAcct></RltdPties><RmtInf><Ustrd>{text}</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>";
        string Camt(string id, params string[] entries) =>
            $"<?xml version=\"1.0\"?><Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt><Stmt><Id>{id}</Id>" +
            $"<Acct><Id><Othr><Id>{account}</Id></Othr></Id></Acct>{string.Concat(entries)}</Stmt></BkToCstmrStmt></Document>";
        // September: a parent pays An's fee by code from account 0123456789.
        await fees.OkAsync("statements", "import", fees.File("s1.xml", Camt("S1", Entry("FT1", 500_000, $"{an} hoc phi", "0123456789"))), "--bank", "VCB", "--account", account);
        await fees.OkAsync("reconcile");
        // Later: the same account pays without a code; a transfer names Bích and her class; one pays Nam's exact balance.
        await fees.OkAsync("statements", "import", fees.File("s2.xml", Camt("S2",
            Entry("FT2", 300_000, "chuyen tien hoc phi", "0123456789"),
            Entry("FT3", 250_000, "PH TRAN THI BICH LOP 2A1 DONG TIEN", "0999999999"),
            Entry("FT4", 901_800, "dong hoc phi thang 9", "0888888888"))), "--bank", "VCB", "--account", account);

        var output = await fees.OkAsync("reconcile");

        Assert.Contains("Reconciled 3 suggested.", output);
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        var reasons = await fees.Db.ListAsync("SELECT l.bank_ref || ': ' || r.reason FROM reconciliations r JOIN statement_lines l ON l.id = r.statement_line_id WHERE l.bank_ref <> 'FT1' ORDER BY 1");
        Assert.Equal([
            $"FT2: no valid payment code; 1 suggestion(s) for review: {an} (this payer's account paid for this student before)",
            $"FT3: no valid payment code; 1 suggestion(s) for review: {bich} (the description names this student and the class)",
            $"FT4: no valid payment code; 1 suggestion(s) for review: {nam} (the amount equals an open notice of this period)",
        ], reasons);
    }

    [Fact]
    public async Task Reconcile_ACodeOfAnotherSchoolsPupil_OnThisSchoolsAccount_WaitsForAPerson()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var bao = await host.PaymentCodeAsync("7900000040");                 // a pupil of TS02
        var account = host.Account("TS01", "VCB").AccountNo;                // TS01's account
        await fees.OkAsync("statements", "import", fees.File("x.sta", $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C500000,NTRFNONREF//FT77\n:86:{bao} hoc phi\n"), "--bank", "VCB", "--account", account);

        var output = await fees.OkAsync("reconcile");

        Assert.Contains("Reconciled 1 suggested.", output);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT count(*) FROM payments"));
        Assert.Contains("not moved between schools automatically", (await fees.Db.ListAsync("SELECT reason FROM reconciliations")).Single());
    }

    [Fact]
    public async Task Reconcile_AReversalOfACredit_UndoesItsPayment()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        var account = host.Account("TS01", "VCB").AccountNo;
        var statement = $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" +
            $":61:2509100910C1371800,NTRFNONREF//FT0001\n:86:{an} hoc phi\n" +
            ":61:2509120912RC1371800,NTRFFT0001//FT0009\n:86:HOAN TRA\n:62F:C250912VND0,\n";
        await fees.OkAsync("statements", "import", fees.File("rc.sta", statement), "--bank", "VCB", "--account", account);

        var output = await fees.OkAsync("reconcile");

        Assert.Contains("1 matched, 1 reversed", output);
        Assert.Equal(0, await fees.Db.ScalarAsync("SELECT amount_paid_vnd FROM notices WHERE notice_no = 'TS01-202509-00001'"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public async Task ReconcileCrosscheck_ListsMoneyWithoutClearingAndClearingWithoutMoney()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        await host.VcbAsync(host.VcbBody("VCB0300", 500_000, an));      // notified, and on the statement below
        await host.VcbAsync(host.VcbBody("VCB0301", 200_000, an));      // notified, never on a statement
        await host.ProcessInboxAsync();
        var account = host.Account("TS01", "VCB").AccountNo;
        await fees.OkAsync("statements", "import", fees.File("s.sta", $":20:S\n:25:{account}\n:60F:C250909VND0,\n" +
            ":61:2509100910C500000,NTRFNONREF//FTVCB0300\n:86:x\n:61:2509100910C90000,NTRFNONREF//FT0999\n:86:chuyen khoan\n"), "--bank", "VCB", "--account", account);
        fees.Clock.Now = fees.Clock.Now.AddDays(3);
        var path = Path.Combine(fees.Folder, "x.csv");

        await fees.OkAsync("reconcile", "crosscheck", "--out", path);

        var rows = File.ReadAllLines(path).Skip(1).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Contains(rows, r => r.Contains("notified, not on a statement") && r.Contains("FTVCB0301"));
        Assert.Contains(rows, r => r.Contains("on a statement, never notified") && r.Contains("FT0999"));
    }

    [Fact]
    public async Task Reconcile_WithSeveralWorkers_DecidesEachLineOnce_InItsSchoolsOrder_AndRecordsOneRun()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var an = await host.PaymentCodeAsync("7900000001");
        var bao = await host.PaymentCodeAsync("7900000040");
        static string Mt940(string account, params (string Ref, long Amount, string Text)[] lines) =>
            $":20:S1\n:25:{account}\n:60F:C250909VND0,\n" + string.Concat(lines.Select(l => $":61:2509100910C{l.Amount},NTRFNONREF//{l.Ref}\n:86:{l.Text}\n"));
        var (vcb, bidv, msb) = (host.Account("TS01", "VCB").AccountNo, host.Account("TS02", "BIDV").AccountNo, host.Account("TS02", "MSB").AccountNo);
        await fees.OkAsync("statements", "import", fees.File("a.sta", Mt940(vcb, ("FT0601", 1_000_000, $"{an} hoc phi"), ("FT0602", 371_800, $"{an} hoc phi"))),
            "--bank", "VCB", "--account", vcb);
        // One pupil of TS02 paid into both of its school's accounts: one connection writes both.
        await fees.OkAsync("statements", "import", fees.File("b.sta", Mt940(bidv, ("FT0603", 1_000_000, $"{bao} hoc phi"))), "--bank", "BIDV", "--account", bidv);
        await fees.OkAsync("statements", "import", fees.File("c.sta", Mt940(msb, ("FT0604", 500_000, $"{bao} hoc phi"))), "--bank", "MSB", "--account", msb);

        Dictionary<string, int> counts;
        await using (var db = fees.Db.Open())
            counts = await new Api.Application.Statements.Reconciler(db, new Api.Common.BusinessClock(fees.Clock), new Api.Persistence.Actor("test")) { Workers = 4 }
                .RunAsync(null);

        Assert.Equal(4, counts.Values.Sum());
        Assert.Equal(["FT0601 partial", "FT0602 matched", "FT0603 partial", "FT0604 overpaid"], await fees.Db.ListAsync("""
            SELECT l.bank_ref || ' ' || r.outcome FROM reconciliations r JOIN statement_lines l ON l.id = r.statement_line_id ORDER BY l.bank_ref
            """));
        Assert.Equal(["TS01-202509-00001 1371800", "TS02-202509-00001 1371800"], await fees.Db.ListAsync(
            "SELECT notice_no || ' ' || amount_paid_vnd FROM notices WHERE notice_no IN ('TS01-202509-00001', 'TS02-202509-00001') ORDER BY notice_no"));
        Assert.Equal(1, await fees.Db.ScalarAsync("SELECT count(*) FROM audit_log WHERE action = 'reconcile'"));
        Assert.Contains("Nothing to reconcile", await fees.OkAsync("reconcile"));
        Assert.Equal(0, (await fees.RunAsync("audit")).ExitCode);
    }

    [Fact]
    public void Deal_KeepsASchoolsAccountsTogether_LargestSchoolsFirst_EachToTheGroupWithFewestLines()
    {
        Guid[] ids = [.. Enumerable.Range(0, 7).Select(_ => Guid.NewGuid())];
        var (s1, s2, s3, a1, a2, b1, c1) = (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6]);

        var groups = Api.Application.Statements.Reconciler.Deal([(a1, s1, 500), (b1, s2, 400), (a2, s1, 300), (c1, s3, 350)], 2);

        // s1 has 800 lines in two accounts, s2 400, s3 350: s1 alone, s2 and s3 together.
        Assert.Equal(2, groups.Count);
        Assert.Equal([a1, a2], groups[0]);
        Assert.Equal([b1, c1], groups[1]);
        Assert.Single(Api.Application.Statements.Reconciler.Deal([(a1, s1, 5), (a2, s1, 5)], 4));
        Assert.Equal(3, Api.Application.Statements.Reconciler.Deal([(a1, s1, 5), (b1, s2, 5), (c1, s3, 5)], 8).Count);
        Assert.Empty(Api.Application.Statements.Reconciler.Deal([], 2));
    }

    [Fact]
    public void Bins_PackAGroupsSchoolsIntoBatches_ASchoolsAccountsTogether_ALargerSchoolAlone()
    {
        Guid[] ids = [.. Enumerable.Range(0, 9).Select(_ => Guid.NewGuid())];
        var (s1, s2, s3, s4, a1, a2, b1, c1, d1) = (ids[0], ids[1], ids[2], ids[3], ids[4], ids[5], ids[6], ids[7], ids[8]);

        var bins = Api.Application.Statements.Reconciler.Bins([(a1, s1, 700), (b1, s2, 600), (a2, s1, 500), (c1, s3, 300), (d1, s4, 250)], 1_000);

        // s1 (1,200 lines in two accounts) is larger than a batch: alone. s2 (600) and s3 (300) fill one; s4 (250) does not fit there.
        Assert.Equal(3, bins.Count);
        Assert.Equal([a1, a2], bins[0]);
        Assert.Equal([b1, c1], bins[1]);
        Assert.Equal([d1], bins[2]);
        Assert.Empty(Api.Application.Statements.Reconciler.Bins([], 1_000));
    }
}
