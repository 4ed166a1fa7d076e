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

public sealed record CreditDecision(CreditAction Action, string Reason, IReadOnlyList<Guid> Students, string? Flag)
{
    public bool MovesMoney => Action == CreditAction.Apply;
}

/// <summary>What a bank's reversal (a debit naming an earlier credit) may do.</summary>
public enum ReversalAction
{
    /// <summary>Undo the money the credit moved: its payment in force, or its parked money.</summary>
    Reverse,
    /// <summary>Move nothing; wait, listed, for a person.</summary>
    Hold,
}

/// <summary>The earlier credit a reversal names, as we hold it.</summary>
public enum OriginalState { Unknown, Paid, Parked, AlreadyReversed, PartlyRefunded, Unsettled, Returned }

public sealed record ReversalFacts(Guid AccountId, long AmountVnd, OriginalState Original, Guid? OriginalAccountId = null, long? OriginalAmountVnd = null);

public sealed record ReversalDecision(ReversalAction Action, string Reason);

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
            return new(CreditAction.Hold, $"a credit of {f.AmountVnd} đồng cannot pay anything; for a person to look at", [], "not a positive amount");
        var held = f.Claim is ClaimState.HeldByNotification or ClaimState.HeldByStatement;
        // The same reference on a credit of another amount is not the same money: nothing is dropped as a duplicate,
        // and nothing moves by itself; a person decides (and may then assign it).
        if (held && f.HolderAmountVnd is { } other && other != f.AmountVnd && !f.ByPerson)
            return new(CreditAction.Hold,
                $"carries the bank reference{(f.BankRef is null ? "" : $" {f.BankRef}")} of an earlier credit of {other} đồng but brings {f.AmountVnd} đồng: not the same money; for a person to decide",
                [], "bank reference shared by credits of different amounts");
        if (held && !(f.ByPerson && f.HolderAmountVnd is { } theirs && theirs != f.AmountVnd))
        {
            var channel = f.Claim == ClaimState.HeldByNotification ? "notification" : "statement";
            var which = f.BankRef is null ? "" : $" ({f.BankRef})";
            return new(CreditAction.Duplicate, $"the same credit{which} was already taken from a {channel}; not applied again", [], null);
        }
        if (f.Match is not { } match)
            return new(CreditAction.Hold, "nobody was named for the money; for a person to decide", [], null);
        if (!match.Apply)
            return new(CreditAction.Hold, match.Reason, [], null);
        // The matcher marks pupils of another school; a school's money pays only its own pupils.
        if (match.Students.Count == 0 || match.Students.Any(s => s.OtherSchool))
            return new(CreditAction.Hold, $"{match.Reason}; but not every pupil named is of the school that received the money", [], null);
        if (f.SameDayNotification)
            return new(CreditAction.Hold, $"{match.Reason}; but a notification of the same amount for the same pupil came the same day: probable duplicate, not applied", [], null);
        var flag = f.AmountVnd > LookAtAboveVnd ? "unusually large amount" : null;
        return new(CreditAction.Apply, match.Reason, match.Students.Select(s => s.Id).ToList(), flag);
    }

    public static ReversalDecision DecideReversal(ReversalFacts f)
    {
        switch (f.Original)
        {
            case OriginalState.Unknown:
                return new(ReversalAction.Hold, "reverses a credit we have no record of; moves nothing, for a person to look at");
            case OriginalState.AlreadyReversed:
                return new(ReversalAction.Hold, "reverses a credit that is already reversed; moves nothing, for a person to look at");
            case OriginalState.Unsettled:
                return new(ReversalAction.Hold, "reverses a credit that is still waiting for review; moves nothing, both wait for a person");
            case OriginalState.Returned:
                return new(ReversalAction.Hold, "reverses money the school already marked as returned or not a fee; moves nothing, for a person to look at");
        }
        if (f.OriginalAccountId != f.AccountId)
            return new(ReversalAction.Hold, "names a credit received on another account; moves nothing, for a person to look at");
        if (f.OriginalAmountVnd != f.AmountVnd)
            return new(ReversalAction.Hold,
                $"takes back {f.AmountVnd} đồng of a credit of {f.OriginalAmountVnd} đồng; only a whole reversal is automatic, a person decides");
        if (f.Original == OriginalState.PartlyRefunded)
            return new(ReversalAction.Hold, "reverses a credit part of which was refunded; moves nothing, for a person to look at");
        return f.Original == OriginalState.Parked
            ? new(ReversalAction.Reverse, "the bank took back money that was parked for review")
            : new(ReversalAction.Reverse, "the bank took back the credit; its payment is reversed");
    }
}
