namespace TdmEdu.Fees.Domain.Billing;

/// <summary>
/// How a per-day item gives back the days a pupil did not eat: days absent with notice are refunded from the
/// <see cref="FromDay"/>th day of absence in the month (1: from the first day); days absent without notice
/// only when <see cref="WithoutNotice"/> is set. A month never refunds more days than it billed.
/// </summary>
public sealed record AbsenceRefundRule(int FromDay, bool WithoutNotice)
{
    public int RefundableDays(int absentWithNotice, int absentWithoutNotice, int billedDays) =>
        Math.Clamp(Math.Max(0, absentWithNotice - (FromDay - 1)) + (WithoutNotice ? absentWithoutNotice : 0), 0, Math.Max(0, billedDays));

    /// <summary>The rule as the notice names it.</summary>
    public string DescribeVi() =>
        (FromDay <= 1 ? "nghỉ có phép được hoàn từ ngày đầu tiên" : $"nghỉ có phép được hoàn từ ngày nghỉ thứ {FromDay}")
        + (WithoutNotice ? ", cả ngày nghỉ không phép" : "");

    public string DescribeEn() =>
        (FromDay <= 1 ? "absent with notice, refunded from the first day" : $"absent with notice, refunded from the {Ordinal(FromDay)} day")
        + (WithoutNotice ? ", days absent without notice too" : "");

    private static string Ordinal(int n) => n % 100 is 11 or 12 or 13 ? $"{n}th" : (n % 10) switch { 1 => $"{n}st", 2 => $"{n}nd", 3 => $"{n}rd", _ => $"{n}th" };
}

/// <summary>What a billed per-day line charged: enough to price the same line with fewer days.</summary>
public sealed record BilledDayLine(int Days, long UnitPriceVnd, int ReductionPercent)
{
    /// <summary>What the line charges for <paramref name="days"/> days, with its reduction (floor, as billing does).</summary>
    public long ChargeFor(int days) => new Money.Money(UnitPriceVnd * Math.Clamp(days, 0, Days)).AfterReduction(ReductionPercent).Dong;

    /// <summary>What the family gets back for <paramref name="refundDays"/> days not eaten: the charge for the days billed less the charge for the days eaten.</summary>
    public long RefundFor(int refundDays) => ChargeFor(Days) - ChargeFor(Days - Math.Clamp(refundDays, 0, Days));
}

/// <summary>An amount to give back (positive) or charge again (negative) on a new notice's line of an item, for an earlier month.</summary>
public sealed record LineAdjustment(string ItemCode, int PeriodKey, int Days, long AmountVnd);

public static class NoticeAdjustments
{
    /// <summary>
    /// Puts adjustments on the lines of their items. A refund takes a line down to zero at most, a charge-back
    /// raises it; what cannot go on the notice (no line of the item, or the line already at zero) is returned
    /// as not applied, to wait for a later notice. Nothing is ever negative.
    /// </summary>
    public static NoticeDraft Apply(NoticeDraft draft, IEnumerable<LineAdjustment> adjustments, out List<LineAdjustment> applied)
    {
        ArgumentNullException.ThrowIfNull(draft);
        applied = [];
        var lines = draft.Lines.ToList();
        foreach (var a in adjustments.OrderBy(a => a.PeriodKey).ThenBy(a => a.ItemCode, StringComparer.Ordinal))
        {
            var i = lines.FindIndex(l => string.Equals(l.ItemCode, a.ItemCode, StringComparison.OrdinalIgnoreCase));
            if (i < 0 || a.AmountVnd == 0) continue;
            var line = lines[i];
            var take = a.AmountVnd > 0 ? Math.Min(a.AmountVnd, line.AmountVnd) : a.AmountVnd;
            if (take == 0) continue;
            // Days go with the money; a refund cut short by a small line keeps its days for the part that waits.
            var days = take == a.AmountVnd ? a.Days : (int)(a.Days * take / a.AmountVnd);
            lines[i] = line with { AmountVnd = line.AmountVnd - take, AdjustVnd = line.AdjustVnd + take, AdjustDays = line.AdjustDays + days };
            applied.Add(a with { AmountVnd = take, Days = days });
        }
        return draft with { Lines = lines };
    }
}
