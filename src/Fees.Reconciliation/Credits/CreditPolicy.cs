using TdmEdu.Fees.Reconciliation.Matching;

namespace TdmEdu.Fees.Reconciliation.Credits;

/// <summary>What happens to one bank credit, whichever channel brought it.</summary>
public enum CreditAction
{
    /// <summary>Pay the named students' notices of the receiving school; the rest is the first student's credit.</summary>
    Apply,
    /// <summary>Move no money; the credit waits, listed, for a person (parked money, a suggestion, an unmatched line).</summary>
    Hold,
    /// <summary>The same money already moved, or is already held, through another channel: nothing moves again.</summary>
    Duplicate,
}

/// <summary>Who holds a bank reference on the receiving account already, if anyone.</summary>
public enum ClaimState { Free, Mine, HeldByNotification, HeldByStatement }

/// <summary>
/// The facts of one bank credit. <see cref="SameDayNotification"/>: no reference joins them, but a notification
/// of the same bank, amount and day already paid the student the matcher names (a probable duplicate).
/// </summary>
public sealed record CreditFacts(long AmountVnd, ClaimState Claim, MatchDecision? Match, bool SameDayNotification = false, string? BankRef = null,
    long? HolderAmountVnd = null, bool ByPerson = false);

public sealed record CreditDecision(CreditAction Action, Words Said, IReadOnlyList<Guid> Students, string? Flag)
{
    public bool MovesMoney => Action == CreditAction.Apply;

    /// <summary>The reason in English, as the command line and the export write it.</summary>
    public string Reason => Said.En;
}

/// <summary>What a bank's reversal (a debit naming an earlier credit) may do.</summary>
public enum ReversalAction
{
    /// <summary>Undo the money the credit moved: its payment in force, or its parked money.</summary>
    Reverse,
    /// <summary>Move nothing; wait, listed, for a person.</summary>
    Hold,
}

/// <summary>
/// The earlier credit a reversal names, as we hold it. Unsettled: held or failed, waiting in the review queue (or its
/// statement line waiting there); NotApplied: stored but not applied yet (on this account it came after the reversal).
/// </summary>
public enum OriginalState { Unknown, Paid, Parked, AlreadyReversed, PartlyRefunded, Unsettled, Returned, NotApplied }

public sealed record ReversalFacts(Guid AccountId, long AmountVnd, OriginalState Original, Guid? OriginalAccountId = null, long? OriginalAmountVnd = null);

/// <summary>What a reversal does; LookAt: carried out, and still shown to a person (the call is flagged).</summary>
public sealed record ReversalDecision(ReversalAction Action, Words Said, bool LookAt = false)
{
    /// <summary>The reason in English, as the command line and the export write it.</summary>
    public string Reason => Said.En;
}

/// <summary>
/// The rules for bank money, pure, in one place: notifications, BIDV bill payments, statement lines, file rows and
/// review decisions all ask here. A credit is applied only on a sure match to pupils of the receiving school and
/// only once across channels; anything else is held for a person, never dropped. A reversal undoes a credit only
/// when it came to the same account for the same amount; any other reversal moves nothing and waits.
/// </summary>
public static class CreditPolicy
{
    /// <summary>Above this a credit is still applied, but a person is asked to look at it.</summary>
    public const long LookAtAboveVnd = 50_000_000;

    public static CreditDecision Decide(CreditFacts f)
    {
        if (f.AmountVnd <= 0)
            return new(CreditAction.Hold, new($"a credit of {f.AmountVnd} đồng cannot pay anything; for a person to look at",
                $"khoản nhận {Words.Amount(f.AmountVnd).Vi} không thể ghi cho ai; chờ người xem xét"), [], "not a positive amount");
        var held = f.Claim is ClaimState.HeldByNotification or ClaimState.HeldByStatement;
        // The same reference on a credit of another amount is not the same money: nothing is dropped as a duplicate,
        // and nothing moves by itself; a person decides (and may then assign it).
        if (held && f.HolderAmountVnd is { } other && other != f.AmountVnd && !f.ByPerson)
            return new(CreditAction.Hold, new(
                $"carries the bank reference{(f.BankRef is null ? "" : $" {f.BankRef}")} of an earlier credit of {other} đồng but brings {f.AmountVnd} đồng: not the same money; for a person to decide",
                $"mang số tham chiếu{(f.BankRef is null ? "" : $" {f.BankRef}")} của một khoản trước {Words.Amount(other).Vi} nhưng là {Words.Amount(f.AmountVnd).Vi}: không cùng một khoản tiền; chờ người quyết định"),
                [], "bank reference shared by credits of different amounts");
        if (held && !(f.ByPerson && f.HolderAmountVnd is { } theirs && theirs != f.AmountVnd))
        {
            var channel = f.Claim == ClaimState.HeldByNotification ? new Words("notification", "thông báo biến động số dư") : new Words("statement", "sao kê");
            var which = f.BankRef is null ? "" : $" ({f.BankRef})";
            return new(CreditAction.Duplicate, new Words($"the same credit{which} was already taken from a ", $"khoản này{which} đã được ghi nhận từ ") + channel
                + new Words("; not applied again", "; không ghi lần nữa"), [], null);
        }
        if (f.Match is not { } match)
            return new(CreditAction.Hold, new("nobody was named for the money; for a person to decide", "không có học sinh nào được ghi cho khoản tiền; chờ người quyết định"), [], null);
        if (!match.Apply)
            return new(CreditAction.Hold, match.Said, [], null);
        // The matcher marks pupils of another school; a school's money pays only its own pupils.
        if (match.Students.Count == 0 || match.Students.Any(s => s.OtherSchool))
            return new(CreditAction.Hold, match.Said + new Words("; but not every pupil named is of the school that received the money",
                "; nhưng không phải mọi học sinh được ghi đều thuộc trường nhận tiền"), [], null);
        if (f.SameDayNotification)
            return new(CreditAction.Hold, match.Said + new Words("; but a notification of the same amount for the same pupil came the same day: probable duplicate, not applied",
                "; nhưng cùng ngày đã có thông báo cùng số tiền cho cùng học sinh: có thể trùng, chưa ghi nhận"), [], null);
        var flag = f.AmountVnd > LookAtAboveVnd ? "unusually large amount" : null;
        return new(CreditAction.Apply, match.Said, match.Students.Select(s => s.Id).ToList(), flag);
    }

    public static ReversalDecision DecideReversal(ReversalFacts f)
    {
        switch (f.Original)
        {
            case OriginalState.Unknown:
                return new(ReversalAction.Hold, new("reverses a credit we have no record of; moves nothing, for a person to look at",
                    "đảo một khoản không có trong sổ; không ghi gì, chờ người xem xét"));
            case OriginalState.AlreadyReversed:
                return new(ReversalAction.Hold, new("reverses a credit that is already reversed; moves nothing, for a person to look at",
                    "đảo một khoản đã được đảo; không ghi gì, chờ người xem xét"));
            case OriginalState.NotApplied:
                return new(ReversalAction.Hold, new("reverses a credit that was not applied yet when the reversal came; moves nothing, for a person to look at",
                    "đảo một khoản chưa được ghi nhận khi lệnh đảo đến; không ghi gì, chờ người xem xét"));
            case OriginalState.Unsettled:
                return new(ReversalAction.Hold, new("reverses a credit that is still waiting for review; moves nothing, both wait for a person",
                    "đảo một khoản còn chờ xử lý; không ghi gì, cả hai chờ người quyết định"));
        }
        if (f.OriginalAccountId != f.AccountId)
            return new(ReversalAction.Hold, new("names a credit received on another account; moves nothing, for a person to look at",
                "ghi một khoản nhận vào tài khoản khác; không ghi gì, chờ người xem xét"));
        if (f.OriginalAmountVnd != f.AmountVnd)
            return new(ReversalAction.Hold, new(
                $"takes back {f.AmountVnd} đồng of a credit of {f.OriginalAmountVnd} đồng; only a whole reversal is automatic, a person decides",
                $"lấy lại {Words.Amount(f.AmountVnd).Vi} của khoản {(f.OriginalAmountVnd is { } o ? Words.Amount(o).Vi : "?")}; chỉ đảo toàn bộ mới tự động, người quyết định"));
        if (f.Original == OriginalState.PartlyRefunded)
            return new(ReversalAction.Hold, new("reverses a credit part of which was refunded; moves nothing, for a person to look at",
                "đảo một khoản đã hoàn trả một phần; không ghi gì, chờ người xem xét"));
        return f.Original switch
        {
            OriginalState.Parked => new(ReversalAction.Reverse, new("the bank took back money that was parked for review", "ngân hàng lấy lại khoản tiền đang chờ xử lý")),
            // Money a person marked as returned or not a fee is gone from the account now: it is marked taken back (so it can
            // never be paid to a pupil afterwards), and a person looks, since the school may have paid it back as well.
            OriginalState.Returned => new(ReversalAction.Reverse, new(
                "the bank took back money the school had marked as returned or not a fee; marked taken back, for a person to look at (was it also paid back?)",
                "ngân hàng lấy lại khoản tiền trường đã đánh dấu trả lại hoặc không phải khoản thu; đã ghi là bị thu hồi, chờ người xem (trường có trả lại lần nữa không?)"), LookAt: true),
            _ => new(ReversalAction.Reverse, new("the bank took back the credit; its payment is reversed", "ngân hàng lấy lại khoản đã nhận; khoản nộp được đảo")),
        };
    }
}
