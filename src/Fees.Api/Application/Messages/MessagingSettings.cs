using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>The settings form as typed: every value a string, so that a bad one is named in words rather than dropped by binding.</summary>
public sealed record MessagingSettingsInput(string? ShortName, string? ZaloEnabled, string? SmsEnabled, string? EmailEnabled, string? ReplyToEmail,
    string? SmsMonthlyBudgetVnd, string? DueReminderDays, string? FirstOverdueDays, string? SecondOverdueDays, string? SendOnSunday);

/// <summary>One field that cannot be stored, and why, in both languages (the field named in each).</summary>
public sealed record FieldProblem(string Field, Said Said);

/// <summary>A school's settings as stored (or the defaults), whether a row exists, and the fingerprint a form carries.</summary>
public sealed record StoredSettings(SchoolMessaging Values, bool Stored, string Fingerprint);

/// <summary>What the month's SMS budget did: the budget (none when null) and the SMS it held back.</summary>
public sealed record SmsBudget(long? BudgetVnd, int Suppressed);

/// <summary>
/// How a school reaches its families (contracts/notifications.md §3, §5): the short name in messages, which channels
/// it uses, the reply-to address, a monthly SMS budget and the reminder days. One row per school, written on the first
/// save. Every field is checked before anything is written; each save that changes something leaves one audit entry
/// naming what changed, never the reply-to address itself.
/// </summary>
public sealed class MessagingSettings(FeesDb db, BusinessClock clock, Actor actor)
{
    public const int MaxShortName = 30, MaxDueDays = 15, MaxOverdueDays = 60;
    public const long MaxBudgetVnd = 1_000_000_000;

    private async Task<Guid> SchoolAsync(string code, CancellationToken ct) =>
        await db.Schools.AsNoTracking().Where(s => s.Code == code).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct)
        ?? throw new BadInputException("school", null, null, $"school {code} is not known.", $"không có trường {code}.");

    public async Task<StoredSettings> GetAsync(string schoolCode, CancellationToken ct = default)
    {
        var school = await SchoolAsync(schoolCode, ct);
        var row = await db.SchoolMessaging.AsNoTracking().SingleOrDefaultAsync(s => s.SchoolId == school, ct);
        return new StoredSettings(row ?? new SchoolMessaging { SchoolId = school }, row is not null, Fingerprint(row));
    }

    /// <summary>
    /// Stores the settings when every field is right and the form was made from what is stored now (<paramref name="seen"/>);
    /// true when something changed (the first save always stores the row). Bad fields throw <see cref="BadInputException"/>
    /// with every problem, and a form made from other settings <see cref="BusinessRuleException"/>; either way nothing is written.
    /// </summary>
    public async Task<bool> SaveAsync(string schoolCode, MessagingSettingsInput input, string? seen, CancellationToken ct = default)
    {
        var school = await SchoolAsync(schoolCode, ct);
        var problems = Check(input, out var wanted);
        if (problems.Count > 0)
            throw new BadInputException(problems.Select(p => new InputProblem("", null, null, p.Said.En, p.Said.Vi)).ToList());
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // One save of a school's settings at a time, the first one included (it creates the row).
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM schools WHERE id = {school} FOR NO KEY UPDATE", ct);
        var row = await db.SchoolMessaging.SingleOrDefaultAsync(s => s.SchoolId == school, ct);
        if (seen != Fingerprint(row))
            throw new BusinessRuleException(
                "The settings were changed by someone else after this page was opened; nothing was saved. The page now shows them: check and save again.",
                "Cài đặt vừa được người khác thay đổi sau khi mở trang nên chưa lưu gì. Trang đang hiện cài đặt mới: hãy kiểm tra rồi lưu lại.");
        var created = row is null;
        var changed = Changes(row ?? new SchoolMessaging(), wanted);
        if (changed.Count == 0 && !created) return false;
        if (row is null)
        {
            row = new SchoolMessaging { SchoolId = school };
            db.SchoolMessaging.Add(row);
        }
        Copy(wanted, row);
        // Names of the fields that changed and their new values, except the address: an audit entry carries no personal data.
        var values = changed.Where(c => c != "reply_to_email").ToDictionary(c => c, c => Value(row, c));
        AuditLog.Record(db, clock, actor, "messaging.settings", "school", schoolCode, new { created, changed, values });
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// SMS the school's budget held back among the month's messages: those made in the calendar month (the budget's
    /// month, Asia/Ho_Chi_Minh) and those about the month's notices, so the banner shows on either reading of "the month".
    /// </summary>
    public async Task<SmsBudget> BudgetAsync(string schoolCode, BillingMonth month, CancellationToken ct = default)
    {
        var school = await SchoolAsync(schoolCode, ct);
        var start = new DateTimeOffset(month.Year, month.Month, 1, 0, 0, 0, TimeSpan.FromHours(7)).ToUniversalTime();
        var end = start.AddMonths(1);
        var budget = await db.SchoolMessaging.AsNoTracking().Where(s => s.SchoolId == school).Select(s => s.SmsMonthlyBudgetVnd).SingleOrDefaultAsync(ct);
        var held = await (from m in db.Messages.AsNoTracking()
                          join n in db.Notices.AsNoTracking() on m.NoticeId equals n.Id into ns
                          from n in ns.DefaultIfEmpty()
                          where m.SchoolId == school && m.Channel == "sms" && m.Status == "suppressed" && m.LastErrorCode == "BUDGET"
                                && (m.CreatedAt >= start && m.CreatedAt < end || n.PeriodKey == month.Key)
                          select m.Id).CountAsync(ct);
        return new SmsBudget(budget, held);
    }

    /// <summary>Every field read strictly; the values are in <paramref name="parsed"/> when the list is empty.</summary>
    public static IReadOnlyList<FieldProblem> Check(MessagingSettingsInput input, out SchoolMessaging parsed)
    {
        var problems = new List<FieldProblem>();
        void Bad(string field, string en, string vi) => problems.Add(new FieldProblem(field, new Said(en, vi)));
        parsed = new SchoolMessaging();

        var name = (input.ShortName ?? "").Trim().Normalize(NormalizationForm.FormC);
        if (name.Length > MaxShortName)
            Bad("ShortName", $"Short name: at most {MaxShortName} characters ({name.Length} given).", $"Tên trường trong tin nhắn: tối đa {MaxShortName} ký tự (đang có {name.Length}).");
        else if (!name.All(c => char.IsLetterOrDigit(c) || c == ' ' || ".,-()&/'".Contains(c) || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark))
            Bad("ShortName", "Short name: only letters, digits, spaces and . , - ( ) & / ' (it goes into SMS).", "Tên trường trong tin nhắn: chỉ gồm chữ, số, khoảng trắng và . , - ( ) & / ' (tên này được gửi trong SMS).");
        // It starts every SMS: something that reads as a web address ("vcb-hoantien.com") would teach families to trust one.
        else if (System.Text.RegularExpressions.Regex.IsMatch(name, @"[\p{L}\p{N}]\.[\p{L}\p{N}]"))
            Bad("ShortName", "Short name: a dot must be followed by a space, so that it never reads as a web address.",
                "Tên trường trong tin nhắn: sau dấu chấm phải có khoảng trắng, để tên không giống một địa chỉ web.");
        parsed.ShortName = name.Length == 0 ? null : name;

        parsed.ZaloEnabled = Flag(input.ZaloEnabled, "ZaloEnabled", "Zalo", "Zalo", Bad);
        parsed.SmsEnabled = Flag(input.SmsEnabled, "SmsEnabled", "SMS", "SMS", Bad);
        parsed.EmailEnabled = Flag(input.EmailEnabled, "EmailEnabled", "E-mail", "Thư điện tử", Bad);
        parsed.SendOnSunday = Flag(input.SendOnSunday, "SendOnSunday", "Send on Sunday", "Gửi cả Chủ nhật", Bad);

        var reply = (input.ReplyToEmail ?? "").Trim();
        parsed.ReplyToEmail = reply.Length == 0 ? null : GuardianContacts.NormaliseEmail(reply);
        if (reply.Length > 0 && parsed.ReplyToEmail is null)
            Bad("ReplyToEmail", "Reply-to address: not one e-mail address (name@domain.vn).", "Địa chỉ nhận thư trả lời: không phải một địa chỉ thư điện tử (ten@mien.vn).");

        var budget = (input.SmsMonthlyBudgetVnd ?? "").Trim();
        if (budget.Length > 0)
        {
            var vnd = Values.ParseAmount(budget, out _);
            if (vnd is null || vnd > MaxBudgetVnd)
                Bad("SmsMonthlyBudgetVnd", $"Monthly SMS budget: \"{Clip(budget)}\" is not a whole number of đồng from 0 to 1,000,000,000 (for example 500.000); leave it blank for no budget.",
                    $"Ngân sách SMS mỗi tháng: \"{Clip(budget)}\" không phải số đồng từ 0 đến 1.000.000.000 (ví dụ 500.000); để trống nếu không giới hạn.");
            parsed.SmsMonthlyBudgetVnd = vnd;
        }

        parsed.DueReminderDays = Days(input.DueReminderDays, 1, MaxDueDays, required: true, "DueReminderDays",
            "Reminder before the due date", "Nhắc trước hạn nộp", Bad) ?? 0;
        var first = Days(input.FirstOverdueDays, 1, MaxOverdueDays, required: false, "FirstOverdueDays", "First overdue reminder", "Nhắc quá hạn lần 1", Bad);
        var second = Days(input.SecondOverdueDays, 1, MaxOverdueDays, required: false, "SecondOverdueDays", "Second overdue reminder", "Nhắc quá hạn lần 2", Bad);
        if (first is not null && first == second)
            Bad("SecondOverdueDays", "Second overdue reminder: the same day as the first; give another day or leave it blank.",
                "Nhắc quá hạn lần 2: trùng ngày với lần 1; hãy chọn ngày khác hoặc để trống.");
        parsed.OverdueReminderDays = new[] { first, second }.OfType<int>().Distinct().Order().ToArray();
        return problems;
    }

    private static bool Flag(string? text, string field, string en, string vi, Action<string, string, string> bad)
    {
        switch ((text ?? "").Trim().ToLowerInvariant())
        {
            case "": case "false": case "off": return false;
            case "true": case "on": return true;
            default: bad(field, $"{en}: \"{Clip(text!)}\" is neither on nor off.", $"{vi}: \"{Clip(text!)}\" không phải bật hay tắt."); return false;
        }
    }

    private static int? Days(string? text, int min, int max, bool required, string field, string en, string vi, Action<string, string, string> bad)
    {
        var t = (text ?? "").Trim();
        if (t.Length == 0)
        {
            if (required) bad(field, $"{en}: give a number of days from {min} to {max}.", $"{vi}: hãy nhập số ngày từ {min} đến {max}.");
            return null;
        }
        if (t.Length <= 3 && t.All(char.IsAsciiDigit) && int.Parse(t, CultureInfo.InvariantCulture) is var d && d >= min && d <= max) return d;
        bad(field, $"{en}: \"{Clip(t)}\" is not a number of days from {min} to {max}.", $"{vi}: \"{Clip(t)}\" không phải số ngày từ {min} đến {max}.");
        return null;
    }

    /// <summary>A typed value as an error repeats it: short, so a pasted page does not come back whole.</summary>
    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static void Copy(SchoolMessaging from, SchoolMessaging to)
    {
        to.ShortName = from.ShortName;
        to.ZaloEnabled = from.ZaloEnabled;
        to.SmsEnabled = from.SmsEnabled;
        to.EmailEnabled = from.EmailEnabled;
        to.ReplyToEmail = from.ReplyToEmail;
        to.SmsMonthlyBudgetVnd = from.SmsMonthlyBudgetVnd;
        to.DueReminderDays = from.DueReminderDays;
        to.OverdueReminderDays = from.OverdueReminderDays;
        to.SendOnSunday = from.SendOnSunday;
    }

    private static readonly string[] Fields =
        ["short_name", "zalo_enabled", "sms_enabled", "email_enabled", "reply_to_email", "sms_monthly_budget_vnd", "due_reminder_days", "overdue_reminder_days", "send_on_sunday"];

    private static object? Value(SchoolMessaging s, string field) => field switch
    {
        "short_name" => s.ShortName,
        "zalo_enabled" => s.ZaloEnabled,
        "sms_enabled" => s.SmsEnabled,
        "email_enabled" => s.EmailEnabled,
        "reply_to_email" => s.ReplyToEmail,
        "sms_monthly_budget_vnd" => s.SmsMonthlyBudgetVnd,
        "due_reminder_days" => s.DueReminderDays,
        "overdue_reminder_days" => string.Join(",", s.OverdueReminderDays),
        _ => s.SendOnSunday,
    };

    private static List<string> Changes(SchoolMessaging before, SchoolMessaging after) =>
        Fields.Where(f => !Equals(Value(before, f), Value(after, f))).ToList();

    /// <summary>What a form was made from: "new" before the first save, else a hash of the stored values.</summary>
    public static string Fingerprint(SchoolMessaging? row) => row is null ? "new"
        : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", Fields.Select(f => Value(row, f)?.ToString() ?? "∅")))))[..16];
}
