using MimeKit;
using TdmEdu.Fees.NotifyAdapters.Templates;

namespace TdmEdu.Fees.NotifyAdapters.Smtp;

/// <summary>An e-mail ready to go, or why it cannot be made.</summary>
public sealed record ComposedEmail(MimeMessage? Message, string? Proof, Failed? Refusal);

/// <summary>
/// Builds the MIME message of §9: From "{school}" &lt;no-reply@…&gt;, Reply-To the school when it has an address,
/// Message-ID from the outbox id, Auto-Submitted, and on reminders the RFC 8058 one-click opt-out.
/// </summary>
public static class EmailComposer
{
    public const int MaxAddressLength = 254;

    public static ComposedEmail Compose(OutboundMessage m, SmtpOptions options, DateTimeOffset now)
    {
        ComposedEmail Refuse(string code, string reason) => new(null, null, new Failed(code, reason, FailureHint.None, null) { Alert = code != "BAD_DESTINATION" });
        if (Address(m.Destination) is not { } to) return Refuse("BAD_DESTINATION", "the destination is not one e-mail address");
        var text = EmailText.Render(m.Kind, m.Values);
        if (text.Subject is null) return Refuse("MISSING_VALUE", $"the message has no value for {{{text.Missing}}}");

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress(TextValues.Cut(m.Values.School, TextValues.SchoolMax), options.FromAddress));
        if (m.Values.ReplyTo is { } replyTo && Address(replyTo) is { } reply) message.ReplyTo.Add(reply);
        message.To.Add(to);
        message.Subject = text.Subject;
        message.Date = now;
        message.MessageId = $"{m.Id:N}@{options.Domain}";
        message.Headers.Add("Auto-Submitted", "auto-generated");
        if (MessageTemplates.IsReminder(m.Kind) && !string.IsNullOrWhiteSpace(m.Values.UnsubscribeLink))
        {
            message.Headers.Add("List-Unsubscribe", $"<{m.Values.UnsubscribeLink}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        message.Body = new BodyBuilder { TextBody = text.Plain, HtmlBody = text.Html }.ToMessageBody();
        return new ComposedEmail(message, $"Subject: {text.Subject}\n\n{text.Plain}", null);
    }

    /// <summary>One bare address (no display name, no list), or null.</summary>
    public static MailboxAddress? Address(string text)
    {
        if (text.Length is 0 or > MaxAddressLength || text.Any(char.IsControl) || text.Count(c => c == '@') != 1) return null;
        return MailboxAddress.TryParse(ParserOptions.Default, text, out var address) && address.Name is null or ""
            && address.Address == text && address.Domain.Contains('.') ? address : null;
    }
}
