using System.Text;
using TdmEdu.Fees.Api.Tests.Support;

namespace TdmEdu.Fees.Api.Tests.Cli;

public sealed class NoisyMonthTests
{
    private sealed record Truth(string Ref, string[] Students, bool MustNotApply, long Amount = 0);

    [Fact]
    public async Task Reconcile_AGeneratedMonthOfNoisyDescriptions_MakesNoWrongAutomaticMatch()
    {
        await using var host = await BankHost.StartAsync();
        var fees = host.Fees;
        var rng = new Random(2025);
        var roster = new StringBuilder(Samples.StudentHeader);
        for (var i = 0; i < 120; i++) roster.Append($"TS01,78{i:D8},Học Sinh {i},01/01/2018,Nam,1,1A{i % 4},,,,,\n");
        await fees.OkAsync("students", "import", fees.File("roster.csv", roster.ToString()));
        await fees.OkAsync("notices", "issue", "--period", "2025-10");
        Dictionary<string, string> codes;
        await using (var db = fees.Db.Open()) codes = db.Students.Where(s => s.StudentCode.StartsWith("78")).ToDictionary(s => s.StudentCode, s => s.PaymentCode);
        var students = codes.Keys.OrderBy(x => x).ToList();
        var account = host.Account("TS01", "VCB").AccountNo;

        var truths = new List<Truth>();
        var mt = new StringBuilder($":20:OCT\n:25:{account}\n:60F:C251001VND0,\n");
        void Line(string reference, long amount, string text, Truth truth, string mark = "C", string customerRef = "NONREF")
        {
            mt.Append($":61:2510{10 + truths.Count % 18:D2}10{10 + truths.Count % 18:D2}{mark}{amount},NTRF{customerRef}//{reference}\n:86:{text}\n");
            truths.Add(truth with { Amount = amount });
        }
        string Wrap(string text) => rng.Next(5) switch
        {
            0 => $"MBVCB.{rng.Next(1000000, 9999999)}.{rng.Next(100000, 999999)}.{text}.CT tu 0{rng.Next(100000000, 999999999)} NGUYEN VAN A toi {account} TRUONG",
            1 => $"{rng.Next(100000, 999999)}.{rng.Next(100000, 999999)}.{rng.Next(100000, 999999)}.{text}",
            2 => $"TKThe :0{rng.Next(100000000, 999999999)}, tai VCB. {text} -CTLNHIDI{rng.Next(10000000, 99999999)}-1/1-CRE-002",
            3 => $"{account}-FT{rng.Next(10000000, 99999999)}-{text}",
            _ => $"QR - {text}",
        };
        string Noisy(string code) => rng.Next(4) switch
        {
            0 => code.ToLowerInvariant(),
            1 => $"{code[..2]} {code[2..6]} {code[6..]}",
            2 => $"{code[..2]}-{code[2..]}",
            _ => code,
        };
        for (var n = 0; n < 150; n++)
        {
            var s = students[rng.Next(students.Count)];
            var code = codes[s];
            var reference = $"FT{n:D5}";
            switch (n % 10)
            {
                case 0: // a typo that breaks the check digit: never applied
                    var bad = code[..^1] + (char)('0' + (code[^1] - '0' + 1 + rng.Next(9)) % 10);
                    Line(reference, 860_000, Wrap($"hoc phi {bad}"), new Truth(reference, [], true));
                    break;
                case 1: // siblings in one transfer
                    var s2 = students[(students.IndexOf(s) + 1) % students.Count];
                    Line(reference, 1_720_000, Wrap($"{Noisy(code)} va {Noisy(codes[s2])}"), new Truth(reference, [s, s2], false));
                    break;
                case 2: // interest
                    Line(reference, rng.Next(1000, 9000), "TRA LAI TIEN GUI", new Truth(reference, [], true));
                    break;
                case 3: // no description at all
                    Line(reference, 500_000, "", new Truth(reference, [], true));
                    break;
                default: // a payment, sometimes too much or too little
                    Line(reference, 860_000 + rng.Next(-3, 3) * 100_000, Wrap($"{Noisy(code)} hoc phi thang 10"), new Truth(reference, [s], false));
                    break;
            }
        }
        // Three credits are taken back by the bank later in the month (the reversal names the original reference).
        var reversed = truths.Where(t => t.Students.Length == 1 && !t.MustNotApply).Skip(20).Take(3).ToList();
        foreach (var (t, i) in reversed.Select((t, i) => (t, i)))
            Line($"RV{i:D3}", t.Amount, "HOAN TRA GIAO DICH", new Truth($"RV{i:D3}", [], true), "RC", t.Ref);
        // Ten of them were notified first, for the same amount: on the statement they are duplicates.
        foreach (var t in truths.Where(t => t.Students.Length == 1).Take(10))
            await host.VcbAsync(host.VcbBody("N" + t.Ref, t.Amount, codes[t.Students[0]]).Replace($"\"referenceNumber\":\"FTN{t.Ref}\"", $"\"referenceNumber\":\"{t.Ref}\""));
        await host.ProcessInboxAsync();
        await fees.OkAsync("statements", "import", fees.File("oct.sta", mt.ToString()), "--bank", "VCB", "--account", account);

        var output = await fees.OkAsync("reconcile");
        // The bank's next file overlaps this one: its last 20 lines again, and five new ones.
        var lines = mt.ToString().Split('\n').Where(l => l.StartsWith(":61:", StringComparison.Ordinal) || l.StartsWith(":86:", StringComparison.Ordinal)).ToList();
        var next = new StringBuilder($":20:OCT2\n:25:{account}\n:60F:C251028VND0,\n");
        foreach (var l in lines.Skip(lines.Count - 40)) next.Append(l).Append('\n');
        for (var i = 0; i < 5; i++)
        {
            var s = students[i];
            next.Append($":61:2510301030C860000,NTRFNONREF//LATE{i}\n:86:{Noisy(codes[s])} hoc phi\n");
            truths.Add(new Truth($"LATE{i}", [s], false, 860_000));
        }
        var overlap = await fees.OkAsync("statements", "import", fees.File("oct2.sta", next.ToString()), "--bank", "VCB", "--account", account);
        var second = await fees.OkAsync("reconcile");
        var third = await fees.OkAsync("reconcile");

        Assert.Contains("10 duplicate", output);
        Assert.Contains("3 reversed", output);
        Assert.Contains("25 line(s), 5 new, 20 already imported (skipped)", overlap);
        Assert.Contains("Reconciled", second);
        Assert.Equal(5, System.Text.RegularExpressions.Regex.Matches(second, @"(\d+) (matched|partial|overpaid)").Sum(m => int.Parse(m.Groups[1].Value)));
        Assert.Contains("Nothing to reconcile", third);
        Assert.Equal(3, await fees.Db.ScalarAsync("SELECT count(*) FROM payments WHERE reverses_payment_id IS NOT NULL"));
        await using (var db = fees.Db.Open())
        {
            var applied = (from l in db.StatementLines
                           join r in db.LineDecisions on l.Id equals r.StatementLineId
                           join p in db.Payments on r.PaymentId equals p.Id
                           where r.Outcome != "duplicate" && r.Outcome != "reversed"
                           select new
                           {
                               l.BankRef,
                               r.Reason,
                               Paid = (from a in db.Allocations join n in db.Notices on a.NoticeId equals n.Id join s in db.Students on n.StudentId equals s.Id
                                       where a.PaymentId == p.Id select s.StudentCode).Distinct().ToList(),
                               Credited = db.Students.Where(s => s.Id == p.StudentId).Select(s => s.StudentCode).First(),
                           }).ToList();
            var truth = truths.ToDictionary(t => t.Ref);
            foreach (var a in applied)
            {
                var t = truth[a.BankRef!];
                Assert.False(t.MustNotApply, $"{a.BankRef} should not have moved money: {a.Reason}");
                Assert.All(a.Paid, s => Assert.Contains(s, t.Students));
                Assert.Contains(a.Credited, t.Students);
            }
            var notApplied = db.LineDecisions.Where(r => r.PaymentId == null).Select(r => r.Reason).ToList();
            Assert.All(notApplied, reason => Assert.False(string.IsNullOrWhiteSpace(reason)));
            Assert.True(applied.Count >= 80, $"only {applied.Count} lines were applied");
        }
        var audit = await fees.RunAsync("audit");
        Assert.True(audit.ExitCode == 0, audit.ToString());
    }
}
