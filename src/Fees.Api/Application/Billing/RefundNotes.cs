using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Billing;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>What a notice line gave back (or took back) for an earlier month's absences, as the notice says it.</summary>
public sealed record RefundNote(int PeriodKey, int Days, long AmountVnd, int FromDay, bool WithoutNotice)
{
    private string Month => $"{PeriodKey % 100:D2}/{PeriodKey / 100}";

    /// <summary>"Trừ 3 ngày nghỉ tháng 09/2025 (nghỉ có phép được hoàn từ ngày đầu tiên)"; a correction that takes back says so.</summary>
    public string Text(bool english)
    {
        var rule = new AbsenceRefundRule(FromDay, WithoutNotice);
        var days = Math.Abs(Days);
        return (AmountVnd > 0, english) switch
        {
            (true, false) => $"Trừ {days} ngày nghỉ tháng {Month} ({rule.DescribeVi()})",
            (true, true) => $"Less {days} day(s) absent in {Month} ({rule.DescribeEn()})",
            (false, false) => $"Thu lại {days} ngày đã trừ thừa của tháng {Month} (điều chỉnh điểm danh)",
            (false, true) => $"Back {days} day(s) given back too much for {Month} (attendance corrected)",
        };
    }

    /// <summary>Each line's notes, for the given notices.</summary>
    public static async Task<ILookup<Guid, RefundNote>> ForNoticesAsync(FeesDb db, IReadOnlyCollection<Guid> noticeIds, CancellationToken ct)
    {
        if (noticeIds.Count == 0) return Array.Empty<(Guid, RefundNote)>().ToLookup(x => x.Item1, x => x.Item2);
        var rows = await db.AbsenceRefunds.AsNoTracking().Where(r => noticeIds.Contains(r.NoticeId))
            .OrderBy(r => r.PeriodKey).ThenBy(r => r.At)
            .Select(r => new { r.NoticeLineId, r.PeriodKey, r.Days, r.AmountVnd, r.FromDay, r.WithoutNotice }).ToListAsync(ct);
        return rows.ToLookup(r => r.NoticeLineId, r => new RefundNote(r.PeriodKey, r.Days, r.AmountVnd, r.FromDay, r.WithoutNotice));
    }
}

/// <summary>How a line billed a month the pupil was in for only part of, as the notice says it.</summary>
public static class PartMonthNote
{
    /// <summary>"Tính theo 10/23 ngày học trong tháng (vào học, nghỉ học hoặc chuyển lớp giữa tháng)"; null for a whole month.</summary>
    public static string? Text(string? rule, int? daysIn, int? daysOf, bool english) => (rule, daysIn, daysOf) switch
    {
        ("days", { } i, { } o) => english ? $"Billed for {i} of the month's {o} school days (joined, left or changed class during the month)"
            : $"Tính theo {i}/{o} ngày học trong tháng (vào học, nghỉ học hoặc chuyển lớp giữa tháng)",
        ("half", { } i, { } o) when i * 2 < o => english ? $"Half the month: in for {i} of its {o} school days"
            : $"Tính nửa tháng: học {i}/{o} ngày trong tháng",
        ("half", { } i, { } o) => english ? $"The whole month: in for {i} of its {o} school days, at least half"
            : $"Tính cả tháng: học {i}/{o} ngày, từ nửa tháng trở lên",
        _ => null,
    };
}
