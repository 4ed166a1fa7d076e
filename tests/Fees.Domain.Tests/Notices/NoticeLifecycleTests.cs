using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Domain.Tests.Notices;

public sealed class NoticeLifecycleTests
{
    private static (NoticeLifecycle Machine, Func<NoticeStatus> State) Start(NoticeStatus from, long paidVnd = 100)
    {
        var state = from;
        return (new NoticeLifecycle(() => state, s => state = s, () => paidVnd, "notice TS01-202509-00001"), () => state);
    }

    [Theory]
    [InlineData(NoticeStatus.Draft, NoticeTrigger.Issue, NoticeStatus.Issued)]
    [InlineData(NoticeStatus.Draft, NoticeTrigger.Cancel, NoticeStatus.Cancelled)]
    [InlineData(NoticeStatus.Issued, NoticeTrigger.PaidInPart, NoticeStatus.PartiallyPaid)]
    [InlineData(NoticeStatus.Issued, NoticeTrigger.PaidInFull, NoticeStatus.Paid)]
    [InlineData(NoticeStatus.Issued, NoticeTrigger.Cancel, NoticeStatus.Cancelled)]
    [InlineData(NoticeStatus.PartiallyPaid, NoticeTrigger.PaidInFull, NoticeStatus.Paid)]
    [InlineData(NoticeStatus.PartiallyPaid, NoticeTrigger.PaidInPart, NoticeStatus.PartiallyPaid)]
    [InlineData(NoticeStatus.PartiallyPaid, NoticeTrigger.PaymentsWithdrawn, NoticeStatus.Issued)]
    [InlineData(NoticeStatus.PartiallyPaid, NoticeTrigger.CancelWithRefund, NoticeStatus.Refunded)]
    [InlineData(NoticeStatus.Paid, NoticeTrigger.PaidInPart, NoticeStatus.PartiallyPaid)]
    [InlineData(NoticeStatus.Paid, NoticeTrigger.PaymentsWithdrawn, NoticeStatus.Issued)]
    [InlineData(NoticeStatus.Paid, NoticeTrigger.CancelWithRefund, NoticeStatus.Refunded)]
    public void Fire_LegalTransition_MovesTheStoredState(NoticeStatus from, NoticeTrigger trigger, NoticeStatus to)
    {
        var (m, state) = Start(from);

        m.Fire(trigger);

        Assert.Equal(to, state());
    }

    [Fact]
    public void Fire_EveryOtherTransition_IsRefused()
    {
        var legal = new HashSet<(NoticeStatus, NoticeTrigger)>
        {
            (NoticeStatus.Draft, NoticeTrigger.Issue), (NoticeStatus.Draft, NoticeTrigger.Cancel),
            (NoticeStatus.Issued, NoticeTrigger.PaidInPart), (NoticeStatus.Issued, NoticeTrigger.PaidInFull), (NoticeStatus.Issued, NoticeTrigger.Cancel),
            (NoticeStatus.PartiallyPaid, NoticeTrigger.PaidInFull), (NoticeStatus.PartiallyPaid, NoticeTrigger.PaidInPart),
            (NoticeStatus.PartiallyPaid, NoticeTrigger.PaymentsWithdrawn), (NoticeStatus.PartiallyPaid, NoticeTrigger.CancelWithRefund),
            (NoticeStatus.Paid, NoticeTrigger.PaidInPart), (NoticeStatus.Paid, NoticeTrigger.PaymentsWithdrawn), (NoticeStatus.Paid, NoticeTrigger.CancelWithRefund),
        };
        foreach (var from in Enum.GetValues<NoticeStatus>())
            foreach (var trigger in Enum.GetValues<NoticeTrigger>().Where(t => !legal.Contains((from, t))))
            {
                var (m, state) = Start(from);
                var e = Assert.Throws<IllegalNoticeTransitionException>(() => m.Fire(trigger));
                Assert.Equal(from, state());
                Assert.Contains("Notice TS01-202509-00001", e.Message);
            }
    }

    [Fact]
    public void Fire_CancelAfterMoney_SaysToRefund()
    {
        var (m, _) = Start(NoticeStatus.PartiallyPaid);

        var e = Assert.Throws<IllegalNoticeTransitionException>(() => m.Fire(NoticeTrigger.Cancel));

        Assert.Equal("Notice TS01-202509-00001 has money allocated to it; it can only be cancelled with a refund of that money.", e.Message);
    }

    [Fact]
    public void Fire_CancelOnANoticeOfNothing_WithdrawsIt()
    {
        var (m, state) = Start(NoticeStatus.Paid, paidVnd: 0);

        m.Fire(NoticeTrigger.Cancel);

        Assert.Equal(NoticeStatus.Cancelled, state());
        Assert.Throws<IllegalNoticeTransitionException>(() => Start(NoticeStatus.Paid, paidVnd: 0).Machine.Fire(NoticeTrigger.CancelWithRefund));
    }

    [Fact]
    public void Fire_CancelWhenNoMoneyIsOnIt_NeverSpeaksOfARefund()
    {
        var (m, _) = Start(NoticeStatus.PartiallyPaid, paidVnd: 0);

        var e = Assert.Throws<IllegalNoticeTransitionException>(() => m.Fire(NoticeTrigger.Cancel));

        Assert.Equal("Notice TS01-202509-00001 is partially_paid; 'Cancel' is not allowed from there.", e.Message);
    }

    [Fact]
    public void Fire_RefusedWithoutALabel_IsStillARefusal()
    {
        var state = NoticeStatus.Issued;
        var m = new NoticeLifecycle(() => state, s => state = s, noticeLabel: "");

        var e = Assert.Throws<IllegalNoticeTransitionException>(() => m.Fire(NoticeTrigger.Issue));

        Assert.Equal(" is already issued; it cannot be issued again.", e.Message);
    }

    [Fact]
    public void Fire_OnAClosedNotice_SaysItTakesNoMoreChanges()
    {
        var (m, _) = Start(NoticeStatus.Refunded);

        var e = Assert.Throws<IllegalNoticeTransitionException>(() => m.Fire(NoticeTrigger.PaidInFull));

        Assert.Contains("is refunded; a closed notice takes no more changes", e.Message);
    }

    [Theory]
    [InlineData(NoticeStatus.Issued, 100, 0, NoticeStatus.Issued)]
    [InlineData(NoticeStatus.Issued, 100, 40, NoticeStatus.PartiallyPaid)]
    [InlineData(NoticeStatus.Issued, 100, 100, NoticeStatus.Paid)]
    [InlineData(NoticeStatus.Paid, 100, 40, NoticeStatus.PartiallyPaid)]
    [InlineData(NoticeStatus.PartiallyPaid, 100, 0, NoticeStatus.Issued)]
    public void SyncWithMoney_FollowsTheBalance(NoticeStatus from, long due, long paid, NoticeStatus expected)
    {
        var (m, state) = Start(from);

        m.SyncWithMoney(due, paid);

        Assert.Equal(expected, state());
    }

    [Theory]
    [InlineData(NoticeStatus.Issued, 100, "2025-09-16", true)]
    [InlineData(NoticeStatus.Issued, 100, "2025-09-15", false)]
    [InlineData(NoticeStatus.PartiallyPaid, 1, "2025-10-01", true)]
    [InlineData(NoticeStatus.Paid, 0, "2025-10-01", false)]
    [InlineData(NoticeStatus.Cancelled, 100, "2025-10-01", false)]
    [InlineData(NoticeStatus.Issued, 0, "2025-10-01", false)]
    public void IsOverdue_IsDerivedFromDueDateAndBalance(NoticeStatus status, long balance, string today, bool expected) =>
        Assert.Equal(expected, NoticeStatusNames.IsOverdue(status, new DateOnly(2025, 9, 15), balance, DateOnly.Parse(today)));

    [Theory]
    [InlineData(NoticeStatus.Issued, 800_000, 0, 800_000)]
    [InlineData(NoticeStatus.PartiallyPaid, 800_000, 300_000, 500_000)]
    [InlineData(NoticeStatus.Paid, 800_000, 900_000, 0)]
    [InlineData(NoticeStatus.Cancelled, 800_000, 0, 0)]
    [InlineData(NoticeStatus.Refunded, 800_000, 0, 0)]
    public void LeftToPay_IsNothingOnAWithdrawnNotice(NoticeStatus status, long due, long paid, long expected)
    {
        Assert.Equal(expected, NoticeStatusNames.LeftToPay(status, due, paid));
        Assert.Equal(expected, NoticeStatusNames.LeftToPay(status.ToWire(), due, paid));
    }

    [Theory]
    [InlineData(NoticeStatus.Draft, "draft")]
    [InlineData(NoticeStatus.Issued, "issued")]
    [InlineData(NoticeStatus.PartiallyPaid, "partially_paid")]
    [InlineData(NoticeStatus.Paid, "paid")]
    [InlineData(NoticeStatus.Cancelled, "cancelled")]
    [InlineData(NoticeStatus.Refunded, "refunded")]
    public void ToWire_WritesTheStatusAsCliMdNamesIt(NoticeStatus status, string wire) => Assert.Equal(wire, status.ToWire());

    [Fact]
    public void ToWire_AStatusOutsideTheLifecycle_IsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((NoticeStatus)42).ToWire());

    [Fact]
    public void DiagramInDocs_MatchesTheMachine()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TdmEdu.Fees.sln"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var path = Path.Combine(dir.FullName, "docs", "diagrams", "notice-lifecycle.dot");

        Assert.True(File.Exists(path), "docs/diagrams/notice-lifecycle.dot is missing; write it with `./fees docs diagram --out docs/diagrams/notice-lifecycle.dot`.");
        Assert.True(NoticeLifecycle.ToDotGraph() == File.ReadAllText(path),
            "docs/diagrams/notice-lifecycle.dot is out of date; regenerate it with `./fees docs diagram --out docs/diagrams/notice-lifecycle.dot`.");
    }
}
