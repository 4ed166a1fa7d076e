using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;

namespace TdmEdu.Fees.NotifyAdapters.Smtp;

/// <summary>
/// E-mail over SMTP with MailKit (§9), one connection per message. 250 is accepted (and counts as delivered: bounces
/// are out of scope); a 4xx answer is retried, a 5xx refused; trouble before the message starts to travel (no
/// connection, TLS, login) is retried or pauses the channel; trouble after it started is unknown.
/// </summary>
public sealed class SmtpEmailChannel(SmtpOptions options, TimeProvider time, ILogger<SmtpEmailChannel> log) : INotificationChannel
{
    public NotificationChannel Channel => NotificationChannel.Email;

    public async ValueTask<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        var outcome = await DecideAsync(message, ct);
        log.LogInformation("E-mail send of message {MessageId}: {Outcome} {Code}", message.Id, outcome.GetType().Name, ProviderCall.CodeOf(outcome));
        return outcome;
    }

    private async Task<SendOutcome> DecideAsync(OutboundMessage message, CancellationToken ct)
    {
        var composed = EmailComposer.Compose(message, options, time.GetUtcNow());
        if (composed.Refusal is not null) return composed.Refusal;
        var proof = composed.Proof;

        using var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        if (options.CertificateSha256 is { } pin) client.ServerCertificateValidationCallback = (_, cert, _, _) => Pinned(cert, pin);
        try
        {
            try
            {
                await client.ConnectAsync(options.Host, options.Port, Secure(options.Security), ct);
                if (!string.IsNullOrEmpty(options.Username)) await client.AuthenticateAsync(options.Username, options.Password ?? "", ct);
            }
            catch (AuthenticationException)
            {
                return new Failed("SMTP_AUTH", "the SMTP server refused our login", FailureHint.DisableChannel, proof) { Alert = true };
            }
            catch (SmtpCommandException e)
            {
                return Answer(e, proof);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // Nothing of the message has left: safe to try again later.
                return new Retry(e is SslHandshakeException ? "SMTP_TLS" : "SMTP_CONNECT", null, proof);
            }

            try
            {
                await client.SendAsync(composed.Message!, ct);
                return new Accepted(composed.Message!.MessageId ?? "", 1, 0, proof);
            }
            catch (SmtpCommandException e)
            {
                return Answer(e, proof);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The message may have reached the server before the line went: we cannot know (§2.1 unknown).
                return new Unknown("SMTP_CONNECTION", proof);
            }
        }
        finally
        {
            if (client.IsConnected)
            {
                try
                {
                    await client.DisconnectAsync(true, CancellationToken.None);
                }
                catch (Exception e) when (e is IOException or SmtpProtocolException or TimeoutException)
                {
                    // The answer to our message is already in hand; a QUIT that fails changes nothing.
                }
            }
        }
    }

    /// <summary>A definite answer of the server to a command: 4xx later, 5xx never.</summary>
    private static SendOutcome Answer(SmtpCommandException e, string? proof)
    {
        var status = (int)e.StatusCode;
        var code = "SMTP " + status.ToString(CultureInfo.InvariantCulture);
        if (status is >= 400 and < 500) return new Retry(code, null, proof);
        return e.ErrorCode switch
        {
            SmtpErrorCode.RecipientNotAccepted => new Failed(code, "the server refused the recipient", FailureHint.Unreachable, proof),
            SmtpErrorCode.SenderNotAccepted => new Failed(code, "the server refused our sender address", FailureHint.DisableChannel, proof) { Alert = true },
            _ => new Failed(code, "the server refused the message", FailureHint.None, proof),
        };
    }

    private static SecureSocketOptions Secure(SmtpSecurity security) => security switch
    {
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.None => SecureSocketOptions.None,
        _ => SecureSocketOptions.StartTlsWhenAvailable,
    };

    private static bool Pinned(X509Certificate? cert, string pin) =>
        cert is not null && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(cert.GetRawCertData()), Convert.FromHexString(pin.Replace(":", "", StringComparison.Ordinal)));
}
