using Npgsql;
using NpgsqlTypes;
using TdmEdu.Fees.Domain.Billing;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Billing;

/// <summary>Writes a billing run's notices and lines with binary COPY (ADR 0003).</summary>
public static class NoticeRows
{
    public sealed record New(Guid Id, string No, Guid StudentId, Guid SchoolId, string ClassName, NoticeDraft Draft);

    /// <summary>Writes the rows; returns each line's id by notice and line number.</summary>
    public static async Task<Dictionary<(Guid Notice, int LineNo), Guid>> WriteAsync(NpgsqlConnection conn, IReadOnlyList<New> notices,
        BillingMonth month, Guid runId, DateTimeOffset issuedAt, CancellationToken ct)
    {
        // Rows are written synchronously: an await per value costs more than the copy itself.
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY notices (id, notice_no, student_id, school_id, class_name, period_key, due_date, amount_due_vnd, amount_paid_vnd, status, billing_run_id, issued_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var n in notices)
            {
                w.StartRow();
                w.Write(n.Id, NpgsqlDbType.Uuid);
                w.Write(n.No, NpgsqlDbType.Text);
                w.Write(n.StudentId, NpgsqlDbType.Uuid);
                w.Write(n.SchoolId, NpgsqlDbType.Uuid);
                w.Write(n.ClassName, NpgsqlDbType.Text);
                w.Write(month.Key, NpgsqlDbType.Integer);
                w.Write(n.Draft.DueDate, NpgsqlDbType.Date);
                w.Write(n.Draft.AmountDueVnd, NpgsqlDbType.Bigint);
                w.Write(0L, NpgsqlDbType.Bigint);
                // A notice with nothing to pay is paid the moment it is issued.
                w.Write((n.Draft.AmountDueVnd == 0 ? NoticeStatus.Paid : NoticeStatus.Issued).ToWire(), NpgsqlDbType.Varchar);
                w.Write(runId, NpgsqlDbType.Uuid);
                w.Write(issuedAt, NpgsqlDbType.TimestampTz);
            }
            await w.CompleteAsync(ct);
        }
        var ids = new Dictionary<(Guid, int), Guid>();
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY notice_lines (id, notice_id, line_no, item_code, item_name, kind, quantity, unit_price_vnd, gross_vnd, reduction_percent, reduction_policy, amount_vnd, adjust_vnd, adjust_days, legal_basis, reduction_basis, support_vnd, support_code, support_basis, support_percent, support_month_vnd, support_max_months, support_evidence, part_month, days_in, days_of) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var n in notices)
                foreach (var l in n.Draft.Lines)
                {
                    var id = Guid.CreateVersion7();
                    ids[(n.Id, l.LineNo)] = id;
                    w.StartRow();
                    w.Write(id, NpgsqlDbType.Uuid);
                    w.Write(n.Id, NpgsqlDbType.Uuid);
                    w.Write(l.LineNo, NpgsqlDbType.Integer);
                    w.Write(l.ItemCode, NpgsqlDbType.Text);
                    w.Write(l.ItemName, NpgsqlDbType.Text);
                    w.Write(l.Kind.ToString(), NpgsqlDbType.Text);
                    w.Write(l.Quantity, NpgsqlDbType.Integer);
                    w.Write(l.UnitPriceVnd, NpgsqlDbType.Bigint);
                    w.Write(l.GrossVnd, NpgsqlDbType.Bigint);
                    w.Write(l.ReductionPercent, NpgsqlDbType.Integer);
                    if (l.ReductionPolicy is null) w.WriteNull();
                    else w.Write(l.ReductionPolicy, NpgsqlDbType.Text);
                    w.Write(l.AmountVnd, NpgsqlDbType.Bigint);
                    w.Write(l.AdjustVnd, NpgsqlDbType.Bigint);
                    w.Write(l.AdjustDays, NpgsqlDbType.Integer);
                    Text(w, l.LegalBasis);
                    Text(w, l.ReductionBasis);
                    w.Write(l.SupportVnd, NpgsqlDbType.Bigint);
                    Text(w, l.SupportCode);
                    Text(w, l.SupportBasis);
                    w.Write(l.Support?.Percent ?? 0, NpgsqlDbType.Integer);
                    if (l.Support?.MonthVnd is { } perMonth) w.Write(perMonth, NpgsqlDbType.Bigint); else w.WriteNull();
                    if (l.Support?.MaxMonths is { } max) w.Write(max, NpgsqlDbType.Integer); else w.WriteNull();
                    Text(w, l.Support?.Evidence);
                    Text(w, l.Part?.ToString().ToLowerInvariant());
                    if (l.DaysIn is { } daysIn) w.Write(daysIn, NpgsqlDbType.Integer); else w.WriteNull();
                    if (l.DaysOf is { } daysOf) w.Write(daysOf, NpgsqlDbType.Integer); else w.WriteNull();
                }
            await w.CompleteAsync(ct);
        }
        return ids;
    }

    private static void Text(NpgsqlBinaryImporter w, string? value)
    {
        if (value is null) w.WriteNull();
        else w.Write(value, NpgsqlDbType.Text);
    }
}
