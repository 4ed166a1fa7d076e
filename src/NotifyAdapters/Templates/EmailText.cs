using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace TdmEdu.Fees.NotifyAdapters.Templates;

/// <summary>An e-mail's subject and its two parts (§5, §9).</summary>
public sealed record EmailRender(string? Subject, string? Html, string? Plain, string? Missing);

/// <summary>The e-mail of a message: the kind's text, the link, and for reminders the one-click opt-out.</summary>
public static class EmailText
{
    private const string LinkLine = "Xem chi tiết và mã QR thanh toán:";
    private const string OptOutLine = "Không muốn nhận nhắc nộp qua e-mail nữa:";
    private const string Footer = "Thư được gửi tự động, vui lòng không trả lời thư này.";

    // Vietnamese letters stay letters in the HTML (WebUtility would write most of them as numeric entities).
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static string Encode(string text) => Html.Encode(text);

    /// <summary><c>[{school}] {kind title} {period} – em {first_name}</c>.</summary>
    public static string Subject(MessageKind kind, MessageValues v) =>
        $"[{TextValues.Cut(v.School, TextValues.SchoolMax)}] {MessageTemplates.Title(kind)} {TextValues.Period(v.PeriodMonth, v.PeriodYear)} – em {TextValues.Cut(v.FirstName, TextValues.FirstNameMax)}";

    public static EmailRender Render(MessageKind kind, MessageValues v)
    {
        var plain = MessageTemplates.Fill(MessageTemplates.RichTemplate(kind), v, ValueStyle.Text);
        if (plain.Text is null) return new EmailRender(null, null, null, plain.Missing);
        if (string.IsNullOrWhiteSpace(v.Link)) return new EmailRender(null, null, null, "link");
        var html = MessageTemplates.Fill(MessageTemplates.RichTemplate(kind), v, ValueStyle.Text, Encode).Text!;
        var optOut = MessageTemplates.IsReminder(kind) ? v.UnsubscribeLink : null;

        var verify = v.VerifyLink is { Length: > 0 } vl ? vl : null;
        var text = $"{plain.Text}\n\n{LinkLine}\n{v.Link}\n";
        if (verify is not null) text += $"\n{MessageTemplates.VerifyText}\n{verify}\n";
        if (optOut is not null) text += $"\n{OptOutLine}\n{optOut}\n";
        text += $"\n-- \n{v.School}\n{Footer}\n";

        var link = Encode(v.Link);
        var body = $"""
            <!DOCTYPE html>
            <html lang="vi"><head><meta charset="utf-8"><title>{Encode(Subject(kind, v))}</title></head>
            <body style="font-family: 'Noto Sans', Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #1a1a1a;">
            <p>{html}</p>
            <p>{Encode(LinkLine)}<br><a href="{link}">{link}</a></p>
            """;
        if (verify is not null) body += $"\n<p>{Encode(MessageTemplates.VerifyText)}<br><a href=\"{Encode(verify)}\">{Encode(verify)}</a></p>";
        if (optOut is not null) body += $"\n<p style=\"font-size: 13px;\">{Encode(OptOutLine)} <a href=\"{Encode(optOut)}\">{Encode(optOut)}</a></p>";
        body += $"\n<p style=\"font-size: 13px; color: #555;\">{Encode(v.School)}<br>{Encode(Footer)}</p>\n</body></html>\n";
        return new EmailRender(Subject(kind, v), body, text, null);
    }
}
