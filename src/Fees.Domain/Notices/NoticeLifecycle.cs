using Stateless;
using Stateless.Graph;

namespace TdmEdu.Fees.Domain.Notices;

/// <summary>What can happen to a notice.</summary>
public enum NoticeTrigger
{
    Issue,
    /// <summary>Money now covers the whole amount due.</summary>
    PaidInFull,
    /// <summary>Some money is allocated, some still owed.</summary>
    PaidInPart,
    /// <summary>Every allocation was reversed; nothing is paid any more.</summary>
    PaymentsWithdrawn,
    /// <summary>Withdrawn before any money was allocated.</summary>
    Cancel,
    /// <summary>Withdrawn after money was allocated: the money goes back to the family.</summary>
    CancelWithRefund,
}

/// <summary>Thrown when a notice is asked to do something its state does not allow.</summary>
public sealed class IllegalNoticeTransitionException(string message) : InvalidOperationException(message);

/// <summary>
/// The notice lifecycle as a Stateless machine over a state that lives on the notice itself.
/// draft → issued → partially paid → paid; a reversal moves back; cancelled only before money,
/// refunded when cancelled after money came and went back.
/// </summary>
public sealed class NoticeLifecycle
{
    private readonly StateMachine<NoticeStatus, NoticeTrigger> _machine;
    private readonly string _noticeLabel;
    private readonly Func<long> _paid;

    /// <param name="read">Reads the state stored on the notice.</param>
    /// <param name="write">Stores a new state on the notice.</param>
    /// <param name="amountPaidVnd">What is allocated to the notice now; decides between cancel and cancel with refund.</param>
    /// <param name="noticeLabel">How messages name the notice.</param>
    public NoticeLifecycle(Func<NoticeStatus> read, Action<NoticeStatus> write, Func<long>? amountPaidVnd = null, string noticeLabel = "the notice")
    {
        _noticeLabel = noticeLabel;
        _paid = amountPaidVnd ?? (() => 0);
        _machine = new StateMachine<NoticeStatus, NoticeTrigger>(read, write);
        Configure(_machine, _paid);
        _machine.OnUnhandledTrigger((state, trigger, _) => throw new IllegalNoticeTransitionException(Explain(state, trigger)));
    }

    public NoticeStatus State => _machine.State;

    public bool CanFire(NoticeTrigger trigger) => _machine.CanFire(trigger);

    public void Fire(NoticeTrigger trigger) => _machine.Fire(trigger);

    /// <summary>Moves the notice to the state its money says: paid, partially paid or issued.</summary>
    public void SyncWithMoney(long amountDueVnd, long amountPaidVnd)
    {
        // A withdrawn notice holds no money; with none on it there is nothing to follow.
        if (State is NoticeStatus.Cancelled or NoticeStatus.Refunded && amountPaidVnd == 0) return;
        var target = amountPaidVnd >= amountDueVnd ? NoticeStatus.Paid
            : amountPaidVnd > 0 ? NoticeStatus.PartiallyPaid
            : NoticeStatus.Issued;
        if (target == State) return;
        Fire(target switch
        {
            NoticeStatus.Paid => NoticeTrigger.PaidInFull,
            NoticeStatus.PartiallyPaid => NoticeTrigger.PaidInPart,
            _ => NoticeTrigger.PaymentsWithdrawn,
        });
    }

    /// <summary>The machine as Graphviz DOT, for docs/diagrams.</summary>
    public static string ToDotGraph()
    {
        var state = NoticeStatus.Draft;
        var machine = new StateMachine<NoticeStatus, NoticeTrigger>(() => state, s => state = s);
        Configure(machine, () => 0);
        return UmlDotGraph.Format(machine.GetInfo());
    }

    private static void Configure(StateMachine<NoticeStatus, NoticeTrigger> m, Func<long> paid)
    {
        m.Configure(NoticeStatus.Draft)
            .Permit(NoticeTrigger.Issue, NoticeStatus.Issued)
            .Permit(NoticeTrigger.Cancel, NoticeStatus.Cancelled);

        m.Configure(NoticeStatus.Issued)
            .Permit(NoticeTrigger.PaidInFull, NoticeStatus.Paid)
            .Permit(NoticeTrigger.PaidInPart, NoticeStatus.PartiallyPaid)
            .Permit(NoticeTrigger.Cancel, NoticeStatus.Cancelled);

        m.Configure(NoticeStatus.PartiallyPaid)
            .Permit(NoticeTrigger.PaidInFull, NoticeStatus.Paid)
            .Permit(NoticeTrigger.PaymentsWithdrawn, NoticeStatus.Issued)
            .PermitReentry(NoticeTrigger.PaidInPart)
            .Permit(NoticeTrigger.CancelWithRefund, NoticeStatus.Refunded);

        // A notice of nothing is paid the moment it is issued; it can still be withdrawn.
        m.Configure(NoticeStatus.Paid)
            .Permit(NoticeTrigger.PaidInPart, NoticeStatus.PartiallyPaid)
            .Permit(NoticeTrigger.PaymentsWithdrawn, NoticeStatus.Issued)
            .PermitIf(NoticeTrigger.Cancel, NoticeStatus.Cancelled, () => paid() == 0, "no money on it")
            .PermitIf(NoticeTrigger.CancelWithRefund, NoticeStatus.Refunded, () => paid() > 0, "money on it");

        m.Configure(NoticeStatus.Cancelled);
        m.Configure(NoticeStatus.Refunded);
    }

    private string Explain(NoticeStatus state, NoticeTrigger trigger) => (state, trigger) switch
    {
        (NoticeStatus.Cancelled or NoticeStatus.Refunded, _) =>
            $"{Cap(_noticeLabel)} is {state.ToWire()}; a closed notice takes no more changes (issue a new one instead).",
        (_, NoticeTrigger.Cancel) when state is NoticeStatus.PartiallyPaid or NoticeStatus.Paid && _paid() > 0 =>
            $"{Cap(_noticeLabel)} has money allocated to it; it can only be cancelled with a refund of that money.",
        (_, NoticeTrigger.CancelWithRefund) =>
            $"{Cap(_noticeLabel)} has no money to refund; cancel it instead.",
        (NoticeStatus.Draft, _) => $"{Cap(_noticeLabel)} is still a draft; issue it before it can take money.",
        (_, NoticeTrigger.Issue) => $"{Cap(_noticeLabel)} is already {state.ToWire()}; it cannot be issued again.",
        _ => $"{Cap(_noticeLabel)} is {state.ToWire()}; '{trigger}' is not allowed from there.",
    };

    private static string Cap(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
