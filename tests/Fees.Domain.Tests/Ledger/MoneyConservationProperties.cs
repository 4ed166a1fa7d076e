using System.Text;
using TdmEdu.Fees.Domain.Ledger;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Domain.Tests.Ledger;

/// <summary>
/// Property tests: random sequences of bills, payments, reversals, refunds and cancellations, driven through
/// the domain's allocation rules and notice lifecycle the way the persistence layer drives them. After every
/// step not a đồng is created or lost. A failure prints the seed and the steps that led to it.
/// </summary>
public sealed class MoneyConservationProperties
{
    private sealed class Line(Guid notice, int no, long amount)
    {
        public Guid Id { get; } = Guid.NewGuid();
        public Guid NoticeId { get; } = notice;
        public int No { get; } = no;
        public long Amount { get; } = amount;
    }

    private sealed class Notice(int period, long due)
    {
        public Guid Id { get; } = Guid.NewGuid();
        public int Period { get; } = period;
        public long Due { get; } = due;
        public NoticeStatus Status = due == 0 ? NoticeStatus.Paid : NoticeStatus.Issued;
    }

    private sealed record Payment(Guid Id, long Amount)
    {
        public bool Reversed { get; set; }
    }

    private sealed record Entry(Guid Id, Guid Payment, Guid Notice, Guid Line, long Amount, Guid? Reverses);

    private sealed class Book
    {
        public readonly List<Notice> Notices = [];
        public readonly List<Line> Lines = [];
        public readonly List<Payment> Payments = [];
        public readonly List<Entry> Allocations = [];
        public readonly List<(Guid Payment, long Amount)> Refunds = [];
        public long ReceivedVnd, ReversedVnd, RefundedVnd;

        public long Remainder(Payment p) => p.Reversed ? 0
            : p.Amount - Allocations.Where(a => a.Payment == p.Id).Sum(a => a.Amount) - Refunds.Where(r => r.Payment == p.Id).Sum(r => r.Amount);

        public long LinePaid(Line l) => Allocations.Where(a => a.Line == l.Id).Sum(a => a.Amount);

        public long NoticePaid(Notice n) => Allocations.Where(a => a.Notice == n.Id).Sum(a => a.Amount);

        public IEnumerable<OpenLine> Open() =>
            from l in Lines
            join n in Notices on l.NoticeId equals n.Id
            where n.Status is NoticeStatus.Issued or NoticeStatus.PartiallyPaid
            select new OpenLine(n.Id, l.Id, n.Period, n.Period.ToString("D6"), l.No, l.Amount - LinePaid(l));

        public IEnumerable<CreditSource> Credit() =>
            Payments.Select(p => new CreditSource(p.Id, Remainder(p))).Where(c => c.RemainderVnd > 0);

        public void Sync(Guid noticeId)
        {
            var n = Notices.Single(x => x.Id == noticeId);
            new NoticeLifecycle(() => n.Status, s => n.Status = s).SyncWithMoney(n.Due, NoticePaid(n));
        }
    }

    [Fact]
    public void RandomSequences_NeverCreateOrLoseADong()
    {
        for (var seed = 1; seed <= 400; seed++) Run(seed, steps: 40);
    }

    private static void Run(int seed, int steps)
    {
        var rng = new Random(seed);
        var book = new Book();
        var log = new StringBuilder();
        var period = 202509;
        for (var step = 0; step < steps; step++)
        {
            var op = rng.Next(100);
            try
            {
                if (op < 25) Bill(book, rng, period++, log);
                else if (op < 65) Pay(book, rng, log);
                else if (op < 78) Reverse(book, rng, log);
                else if (op < 90) Refund(book, rng, log);
                else CancelNotice(book, rng, log);
                Check(book);
            }
            catch (Exception e) when (e is not LedgerRuleException)
            {
                Assert.Fail($"seed {seed}, step {step}: {e.Message}\n{log}");
            }
        }
    }

    private static void Bill(Book b, Random rng, int period, StringBuilder log)
    {
        var amounts = Enumerable.Range(0, rng.Next(1, 4)).Select(_ => rng.Next(5) == 0 ? 0L : rng.Next(1, 50) * 10_000L).ToList();
        var n = new Notice(period, amounts.Sum());
        b.Notices.Add(n);
        for (var i = 0; i < amounts.Count; i++) b.Lines.Add(new Line(n.Id, i + 1, amounts[i]));
        // A new notice takes the credit the student holds, as allocations.
        foreach (var u in Allocator.PlanCreditUse(b.Credit().ToList(), b.Open().ToList()))
            b.Allocations.Add(new Entry(Guid.NewGuid(), u.PaymentId, u.NoticeId!.Value, u.LineId!.Value, u.AmountVnd, null));
        foreach (var id in b.Notices.Select(x => x.Id).ToList()) b.Sync(id);
        log.AppendLine($"bill {period}: {string.Join('+', amounts)}");
    }

    private static void Pay(Book b, Random rng, StringBuilder log)
    {
        var amount = rng.Next(1, 80) * 5_000L + rng.Next(0, 3);
        var open = b.Notices.Where(n => n.Status is NoticeStatus.Issued or NoticeStatus.PartiallyPaid).ToList();
        Guid? preferred = open.Count > 0 && rng.Next(2) == 0 ? open[rng.Next(open.Count)].Id : null;
        var plan = Allocator.Plan(amount, b.Open().ToList(), preferred);
        Assert.Equal(amount, plan.AllocatedVnd + plan.RemainderVnd);
        var p = new Payment(Guid.NewGuid(), amount);
        b.Payments.Add(p);
        b.ReceivedVnd += amount;
        foreach (var a in plan.Allocations)
        {
            Assert.True(a.AmountVnd > 0);
            b.Allocations.Add(new Entry(Guid.NewGuid(), p.Id, a.NoticeId, a.LineId, a.AmountVnd, null));
            b.Sync(a.NoticeId);
        }
        if (preferred is { } pid && plan.Allocations.Count > 0)
            Assert.Equal(pid, plan.Allocations[0].NoticeId);
        log.AppendLine($"pay {amount}{(preferred is null ? "" : " (named notice)")}: allocated {plan.AllocatedVnd}, credit {plan.RemainderVnd}");
    }

    private static void Reverse(Book b, Random rng, StringBuilder log)
    {
        var candidates = b.Payments.Where(p => !p.Reversed && b.Refunds.All(r => r.Payment != p.Id)).ToList();
        if (candidates.Count == 0) return;
        var p = candidates[rng.Next(candidates.Count)];
        var live = b.Allocations.Where(a => a.Payment == p.Id && a.Amount > 0 && b.Allocations.All(r => r.Reverses != a.Id)).ToList();
        foreach (var a in live)
            b.Allocations.Add(new Entry(Guid.NewGuid(), p.Id, a.Notice, a.Line, -a.Amount, a.Id));
        foreach (var n in live.Select(a => a.Notice).Distinct()) b.Sync(n);
        p.Reversed = true;
        b.ReversedVnd += p.Amount;
        log.AppendLine($"reverse {p.Amount}");
    }

    private static void Refund(Book b, Random rng, StringBuilder log)
    {
        var credit = b.Credit().Sum(c => c.RemainderVnd);
        var amount = rng.Next(1, 40) * 5_000L;
        if (amount > credit)
        {
            Assert.Throws<LedgerRuleException>(() => Allocator.PlanRefund(amount, b.Credit().ToList()));
            log.AppendLine($"refund {amount} refused (credit {credit})");
            return;
        }
        foreach (var u in Allocator.PlanRefund(amount, b.Credit().ToList())) b.Refunds.Add((u.PaymentId, u.AmountVnd));
        b.RefundedVnd += amount;
        log.AppendLine($"refund {amount}");
    }

    private static void CancelNotice(Book b, Random rng, StringBuilder log)
    {
        var open = b.Notices.Where(n => n.Status is not (NoticeStatus.Cancelled or NoticeStatus.Refunded)).ToList();
        if (open.Count == 0) return;
        var n = open[rng.Next(open.Count)];
        var live = b.Allocations.Where(a => a.Notice == n.Id && a.Amount > 0 && b.Allocations.All(r => r.Reverses != a.Id)).ToList();
        var machine = new NoticeLifecycle(() => n.Status, s => n.Status = s, () => live.Sum(a => a.Amount));
        machine.Fire(live.Count == 0 ? NoticeTrigger.Cancel : NoticeTrigger.CancelWithRefund);
        foreach (var a in live) b.Allocations.Add(new Entry(Guid.NewGuid(), a.Payment, a.Notice, a.Line, -a.Amount, a.Id));
        log.AppendLine($"cancel notice {n.Period} (released {live.Sum(a => a.Amount)})");
    }

    private static void Check(Book b)
    {
        // Every đồng received is on a notice line, held as credit, refunded, or was reversed.
        var allocated = b.Allocations.Sum(a => a.Amount);
        var credit = b.Payments.Sum(b.Remainder);
        Assert.Equal(b.ReceivedVnd, allocated + credit + b.RefundedVnd + b.ReversedVnd);

        foreach (var p in b.Payments)
        {
            Assert.True(b.Remainder(p) >= 0, $"payment {p.Amount} is over-spent");
            if (p.Reversed) Assert.Equal(0, b.Allocations.Where(a => a.Payment == p.Id).Sum(a => a.Amount));
        }
        foreach (var l in b.Lines)
        {
            var paid = b.LinePaid(l);
            Assert.InRange(paid, 0, l.Amount);
        }
        foreach (var n in b.Notices)
        {
            var paid = b.NoticePaid(n);
            var expected = n.Status switch
            {
                NoticeStatus.Paid => paid == n.Due,
                NoticeStatus.PartiallyPaid => paid > 0 && paid < n.Due,
                NoticeStatus.Issued => paid == 0,
                _ => paid == 0,
            };
            Assert.True(expected, $"notice {n.Period} is {n.Status} with {paid} of {n.Due} paid");
        }
    }
}
