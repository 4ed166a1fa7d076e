using System.Text;

namespace TdmEdu.Fees.NotifyAdapters.Templates;

/// <summary>Our code and version of a text, stored with each message (§2) so a body can be traced to its wording.</summary>
public sealed record TemplateId(string Code, int Version);

/// <summary>A rendered text, or the placeholder whose value was missing.</summary>
public sealed record Rendered(string? Text, string? Missing)
{
    public static Rendered Of(string text) => new(text, null);
}

/// <summary>
/// The texts of §5, one per kind: the SMS text (no diacritics) and the ZNS / e-mail text. Placeholders are filled
/// from <see cref="MessageValues"/> at send time, each cut to its §5 length.
/// </summary>
public static class MessageTemplates
{
    public const int Version = 1;

    /// <summary>The words before an e-receipt's verification link (SMS, folded; e-mail).</summary>
    public const string VerifySms = "Tra cuu bien lai:", VerifyText = "Tra cứu biên lai điện tử (không cần đăng nhập):";

    public static TemplateId Id(MessageKind kind, NotificationChannel channel) =>
        new(WireNames.Of(kind) + "." + WireNames.Of(channel), Version);

    public static string SmsTemplate(MessageKind kind) => kind switch
    {
        MessageKind.NoticeIssued => "{SCHOOL}: Thong bao thu {period} cua em {first_name}: {amount}, han {due_date}. Ma TT {payment_code}. Xem va QR: {link}",
        MessageKind.ReminderDue => "{SCHOOL}: Nhac nop {period} cua em {first_name}: con {left}, han {due_date}. Ma TT {payment_code}. {link}",
        MessageKind.ReminderOverdue => "{SCHOOL}: Khoan thu {period} cua em {first_name} da qua han {due_date}, con {left}. Ma TT {payment_code}. {link}",
        MessageKind.PaymentApplied => "{SCHOOL}: Da nhan {paid} cho em {first_name} ({period}). Bien lai {receipt}. Con lai {left}. {link}",
        _ => "{SCHOOL}: Bien lai {receipt} cua em {first_name} da bi huy hoac thay the. Xem: {link}",
    };

    /// <summary>The text of the ZNS template (approved in the Zalo OA console with the same wording) and of the e-mail.</summary>
    public static string RichTemplate(MessageKind kind) => kind switch
    {
        MessageKind.NoticeIssued => "Trường {school} gửi thông báo thu {period} của em {first_name}: {amount}, hạn nộp {due_date}. Mã thanh toán: {payment_code}.",
        MessageKind.ReminderDue => "Nhắc nộp {period} của em {first_name}: còn {left}, hạn {due_date}.",
        MessageKind.ReminderOverdue => "Khoản thu {period} của em {first_name} đã quá hạn {due_date}, còn {left}.",
        MessageKind.PaymentApplied => "Nhà trường đã nhận {paid} cho em {first_name} ({period}). Biên lai số {receipt}. Còn lại {left}.",
        _ => "Biên lai {receipt} của em {first_name} đã được hủy hoặc thay thế.",
    };

    /// <summary>The e-mail subject's word for the kind.</summary>
    public static string Title(MessageKind kind) => kind switch
    {
        MessageKind.NoticeIssued => "Thông báo thu",
        MessageKind.ReminderDue => "Nhắc nộp",
        MessageKind.ReminderOverdue => "Quá hạn nộp",
        MessageKind.PaymentApplied => "Đã nhận tiền",
        _ => "Biên lai thay đổi",
    };

    public static bool IsReminder(MessageKind kind) => kind is MessageKind.ReminderDue or MessageKind.ReminderOverdue;

    /// <summary>
    /// Each placeholder's value as the rich texts and ZNS write it (amounts with ` đ` for text, bare digits for ZNS);
    /// null when the message has none.
    /// </summary>
    public static string? Value(string placeholder, MessageValues v, ValueStyle style)
    {
        string? Money(long? vnd) => vnd is not { } n ? null : style == ValueStyle.Zns ? TextValues.Digits(n) : TextValues.Amount(n);
        return placeholder switch
        {
            "SCHOOL" => TextValues.Cut(v.SchoolShortAscii, TextValues.SchoolMax),
            "school" => TextValues.Cut(v.School, TextValues.SchoolMax),
            "first_name" => TextValues.Cut(v.FirstName, TextValues.FirstNameMax),
            "period" => TextValues.Period(v.PeriodMonth, v.PeriodYear, style == ValueStyle.Sms),
            "amount" => Money(v.AmountVnd),
            "paid" => Money(v.PaidVnd),
            "left" => Money(v.LeftVnd),
            "due_date" => v.DueDate is { } d ? TextValues.Date(d) : null,
            "payment_code" => string.IsNullOrWhiteSpace(v.PaymentCode) ? null : TextValues.Cut(v.PaymentCode, TextValues.PaymentCodeMax),
            "receipt" => string.IsNullOrWhiteSpace(v.Receipt) ? null : TextValues.Cut(v.Receipt, TextValues.ReceiptMax),
            "link" => string.IsNullOrWhiteSpace(v.Link) ? null : v.Link,
            _ => null,
        };
    }

    /// <summary>The placeholders a text names, in order, each once.</summary>
    public static IReadOnlyList<string> Placeholders(string template)
    {
        var names = new List<string>();
        for (var i = template.IndexOf('{'); i >= 0; i = template.IndexOf('{', i + 1))
        {
            var end = template.IndexOf('}', i);
            var name = template[(i + 1)..end];
            if (!names.Contains(name)) names.Add(name);
        }
        return names;
    }

    /// <summary>Fills a text; <paramref name="encode"/> escapes each value (HTML) without touching the template.</summary>
    public static Rendered Fill(string template, MessageValues v, ValueStyle style, Func<string, string>? encode = null)
    {
        var sb = new StringBuilder(template.Length + 64);
        var at = 0;
        for (var i = template.IndexOf('{'); i >= 0; i = template.IndexOf('{', at))
        {
            var end = template.IndexOf('}', i);
            var name = template[(i + 1)..end];
            if (Value(name, v, style) is not { } value) return new Rendered(null, name);
            sb.Append(template, at, i - at).Append(encode is null ? value : encode(value));
            at = end + 1;
        }
        return Rendered.Of(sb.Append(template, at, template.Length - at).ToString());
    }

    /// <summary>The SMS of a message, folded to the GSM basic set, with its parts; a text over two parts is refused.</summary>
    public static SmsRender Sms(MessageKind kind, MessageValues v)
    {
        var filled = Fill(SmsTemplate(kind), v, ValueStyle.Sms);
        if (filled.Text is null) return new SmsRender(null, 0, filled.Missing);
        var folded = SmsText.Fold(filled.Text);
        // The e-receipt's verification page after the text, when the message has one and it still fits in two parts.
        if (v.VerifyLink is { Length: > 0 } verify && kind is MessageKind.PaymentApplied or MessageKind.ReceiptChanged
            && SmsText.Fold($"{folded} {VerifySms} {verify}") is { Length: <= SmsText.MaxLength } longer)
            folded = longer;
        return new SmsRender(folded, SmsText.Segments(folded), null);
    }

    /// <summary>ZNS template_data: the placeholders of the kind's text, and the link for the template's URL button.</summary>
    public static ZnsData Zns(MessageKind kind, MessageValues v)
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Placeholders(RichTemplate(kind)).Append("link"))
        {
            if (Value(name, v, ValueStyle.Zns) is not { } value) return new ZnsData(null, name);
            data[name] = value;
        }
        return new ZnsData(data, null);
    }
}

public enum ValueStyle
{
    Text,
    Sms,
    Zns,
}

public sealed record SmsRender(string? Text, int Segments, string? Missing)
{
    public bool TooLong => Text is { Length: > SmsText.MaxLength };
}

public sealed record ZnsData(IReadOnlyDictionary<string, string>? Data, string? Missing);
