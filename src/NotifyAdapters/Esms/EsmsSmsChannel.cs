using Microsoft.Extensions.Logging;
using TdmEdu.Fees.NotifyAdapters.Templates;

namespace TdmEdu.Fees.NotifyAdapters.Esms;

/// <summary>
/// Brandname SMS through eSMS (§8): the text folded to the GSM basic set, at most two parts, our outbox id as
/// RequestId (so a resend after an unknown answer cannot send twice: eSMS answers 124).
/// </summary>
public sealed class EsmsSmsChannel(IEsmsApi api, EsmsOptions options, ILogger<EsmsSmsChannel> log) : INotificationChannel
{
    public NotificationChannel Channel => NotificationChannel.Sms;

    public async ValueTask<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        var outcome = await DecideAsync(message, ct);
        log.LogInformation("SMS send of message {MessageId}: {Outcome} {Code}", message.Id, outcome.GetType().Name, ProviderCall.CodeOf(outcome));
        return outcome;
    }

    private async Task<SendOutcome> DecideAsync(OutboundMessage message, CancellationToken ct)
    {
        if (LocalPhone(message.Destination) is not { } phone)
            return new Failed("BAD_DESTINATION", "the destination is not 84 and 9 digits", FailureHint.None, null);
        var sms = MessageTemplates.Sms(message.Kind, message.Values);
        if (sms.Text is null)
            return new Failed("MISSING_VALUE", $"the message has no value for {{{sms.Missing}}}", FailureHint.None, null) { Alert = true };
        if (sms.TooLong)
            return new Failed("TOO_LONG", $"the text is {sms.Text.Length} characters; two parts hold {SmsText.MaxLength}", FailureHint.None, sms.Text) { Alert = true };

        var request = new EsmsSendRequest
        {
            ApiKey = options.ApiKey, SecretKey = options.SecretKey, Brandname = options.Brandname, SmsType = options.SmsType,
            Phone = phone, Content = sms.Text, RequestId = message.Id.ToString(), CallbackUrl = options.CallbackUrl?.AbsoluteUri,
            Sandbox = options.Sandbox ? "1" : "0",
        };
        var call = await ProviderCall.RunAsync(() => api.SendAsync(request, ct), sms.Text, ct);
        if (call.Failure is not null) return call.Failure;
        var response = call.Response!;
        if (!response.IsSuccessStatusCode) return new Retry(ProviderCall.Http(response.StatusCode), null, sms.Text);
        if (response.Content is null || EsmsJson.Text(response.Content.CodeResult) is not { Length: > 0 } code) return new Unknown("BAD_ANSWER", sms.Text);
        return EsmsCodes.Map(code, response.Content.SmsId, sms.Segments, sms.Text);
    }

    /// <summary>
    /// Where a sent SMS stands (§8 poll, data kept 7 days): sent and successful is delivered, sent and unsuccessful
    /// failed, not yet sent still on its way.
    /// </summary>
    public async Task<DeliveryReport> StatusAsync(string smsId, CancellationToken ct)
    {
        var call = await ProviderCall.RunAsync(() => api.StatusAsync(options.ApiKey, options.SecretKey, smsId, ct), null, ct);
        if (call.Failure is not null) return new DeliveryReport(DeliveryState.NoAnswer, null, null, ProviderCall.CodeOf(call.Failure));
        var response = call.Response!;
        if (!response.IsSuccessStatusCode) return new DeliveryReport(DeliveryState.NoAnswer, null, null, ProviderCall.Http(response.StatusCode));
        var code = response.Content is null ? null : EsmsJson.Text(response.Content.CodeResult);
        if (code != "100" || response.Content!.ReceiverList is not [var receiver, ..])
            return new DeliveryReport(DeliveryState.NoAnswer, null, null, code ?? "BAD_ANSWER");
        return (EsmsJson.Bool(receiver.IsSent), EsmsJson.Bool(receiver.SentResult)) switch
        {
            (true, true) => new DeliveryReport(DeliveryState.Delivered, null, null, code),
            (true, false) => new DeliveryReport(DeliveryState.Failed, null, null, code),
            _ => new DeliveryReport(DeliveryState.Sent, null, null, code),
        };
    }

    /// <summary>eSMS takes the national form: 0 and the 9 digits (§8); the outbox keeps 84 and 9 digits.</summary>
    public static string? LocalPhone(string destination) =>
        destination.Length == 11 && destination.StartsWith("84", StringComparison.Ordinal) && destination.All(char.IsAsciiDigit) ? "0" + destination[2..] : null;
}
