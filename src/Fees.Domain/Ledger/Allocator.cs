namespace TdmEdu.Fees.Domain.Ledger;

/// <summary>What is still owed on one notice line, with what orders it among the student's open lines.</summary>
public sealed record OpenLine(Guid NoticeId, Guid LineId, int PeriodKey, string NoticeNo, int LineNo, long OutstandingVnd);

public sealed record LineAllocation(Guid NoticeId, Guid LineId, long AmountVnd);

/// <summary>How a sum of money is spread over notice lines; what is left becomes the student's credit.</summary>
public sealed record AllocationPlan(IReadOnlyList<LineAllocation> Allocations, long RemainderVnd)
{
    public long AllocatedVnd => Allocations.Sum(a => a.AmountVnd);
}

/// <summary>Money a payment still holds as credit (not allocated, not refunded), oldest payment first.</summary>
public sealed record CreditSource(Guid PaymentId, long RemainderVnd);

/// <summary>Part of a payment's held credit put on a notice line (or, for refunds, on no line).</summary>
public sealed record CreditUse(Guid PaymentId, Guid? NoticeId, Guid? LineId, long AmountVnd);

/// <summary>
/// The allocation rules: money pays the named notice first, then the oldest open notices (by period, then
/// notice number), each notice's lines in the schedule's item order; any excess is held as credit.
/// Every plan adds up to exactly the money it was given.
/// </summary>
public static class Allocator
{
    public static IEnumerable<OpenLine> PaymentOrder(IEnumerable<OpenLine> lines, Guid? preferredNoticeId) =>
        lines.Where(l => l.OutstandingVnd > 0)
            .OrderBy(l => preferredNoticeId is { } p && l.NoticeId == p ? 0 : 1)
            .ThenBy(l => l.PeriodKey)
            .ThenBy(l => l.NoticeNo, StringComparer.Ordinal)
            .ThenBy(l => l.LineNo);

    public static AllocationPlan Plan(long amountVnd, IEnumerable<OpenLine> lines, Guid? preferredNoticeId = null)
    {
        if (amountVnd <= 0) throw new ArgumentOutOfRangeException(nameof(amountVnd), amountVnd, "A payment is above zero.");
        var left = amountVnd;
        var result = new List<LineAllocation>();
        foreach (var line in PaymentOrder(lines, preferredNoticeId))
        {
            if (left == 0) break;
            var take = Math.Min(left, line.OutstandingVnd);
            result.Add(new LineAllocation(line.NoticeId, line.LineId, take));
            left -= take;
        }
        return new AllocationPlan(result, left);
    }

    /// <summary>Puts held credit on open lines: oldest credit first, lines in payment order.</summary>
    public static IReadOnlyList<CreditUse> PlanCreditUse(IEnumerable<CreditSource> sources, IEnumerable<OpenLine> lines)
    {
        var queue = new Queue<(Guid Id, long Left)>(sources.Where(s => s.RemainderVnd > 0).Select(s => (s.PaymentId, s.RemainderVnd)));
        var uses = new List<CreditUse>();
        foreach (var line in PaymentOrder(lines, null))
        {
            var owed = line.OutstandingVnd;
            while (owed > 0 && queue.Count > 0)
            {
                var (id, left) = queue.Dequeue();
                var take = Math.Min(owed, left);
                uses.Add(new CreditUse(id, line.NoticeId, line.LineId, take));
                owed -= take;
                if (left - take > 0)
                {
                    // Keep the partly used source at the front of the queue.
                    var rest = queue.ToList();
                    queue.Clear();
                    queue.Enqueue((id, left - take));
                    foreach (var r in rest) queue.Enqueue(r);
                }
            }
            if (queue.Count == 0) break;
        }
        return uses;
    }

    /// <summary>Takes a refund out of held credit, oldest credit first. Throws when the credit is too small.</summary>
    public static IReadOnlyList<CreditUse> PlanRefund(long amountVnd, IEnumerable<CreditSource> sources)
    {
        if (amountVnd <= 0) throw new ArgumentOutOfRangeException(nameof(amountVnd), amountVnd, "A refund is above zero.");
        var left = amountVnd;
        var uses = new List<CreditUse>();
        foreach (var s in sources.Where(s => s.RemainderVnd > 0))
        {
            if (left == 0) break;
            var take = Math.Min(left, s.RemainderVnd);
            uses.Add(new CreditUse(s.PaymentId, null, null, take));
            left -= take;
        }
        if (left > 0)
            throw new LedgerRuleException($"A refund of {amountVnd} đồng is more than the {amountVnd - left} đồng the student holds as credit.");
        return uses;
    }
}

/// <summary>A money rule would be broken; nothing has been written.</summary>
public sealed class LedgerRuleException(string message) : InvalidOperationException(message);
