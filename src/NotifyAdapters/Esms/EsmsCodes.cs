namespace TdmEdu.Fees.NotifyAdapters.Esms;

/// <summary>§8's table, the one place an eSMS CodeResult becomes what the outbox does.</summary>
public static class EsmsCodes
{
    public static SendOutcome Map(string code, string? smsId, int segments, string body)
    {
        Failed Fail(string reason, FailureHint hint, bool next, bool alert = false) =>
            new(code, reason, hint, body) { TryNextChannel = next, Alert = alert };
        return code switch
        {
            "100" => new Accepted(smsId ?? "", segments, null, body),
            // The RequestId was taken earlier: this is our own resend after an unknown, and the first one went (§2.1).
            "124" => new Accepted(smsId ?? "", segments, null, body),
            "99" => Fail("the number is blocked at the provider", FailureHint.Unreachable, next: true),
            "108" or "177" => Fail("the number is not valid, or its carrier is not registered for the brandname", FailureHint.NextChannel, next: true),
            "146" => Fail("the text does not match a template registered with the carriers", FailureHint.None, next: false, alert: true),
            "101" or "102" or "103" or "104" or "140" =>
                Fail("eSMS refused our account (keys, price list, balance, brandname or IP whitelist)", FailureHint.DisableChannel, next: false, alert: true),
            _ => new Retry(code, null, body),
        };
    }
}
