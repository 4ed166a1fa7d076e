using System.Globalization;

namespace TdmEdu.Fees.NotifyAdapters.Zalo;

/// <summary>
/// §7.4, the one place a ZNS error code becomes what the outbox does. Token errors (-124, -216, HTTP 401) are not
/// here: the channel refreshes once and sends again before any outcome is decided.
/// </summary>
public static class ZaloErrors
{
    public static readonly IReadOnlySet<long> TokenErrors = new HashSet<long> { -124, -216 };

    public static SendOutcome Map(long error, MessageKind kind, DateTimeOffset now, string? body)
    {
        var code = error.ToString(CultureInfo.InvariantCulture);
        Failed Fail(string reason, FailureHint hint, bool next, bool alert = false) =>
            new(code, reason, hint, body) { TryNextChannel = next, Alert = alert };
        return error switch
        {
            -108 => Fail("the phone number is not valid for Zalo", FailureHint.NextChannel, next: true),
            -109 or -111 or -112 or -117 or -130 or -131 or -132 or -146 =>
                Fail("the ZNS template is missing, not approved, disabled, or its data was refused", FailureHint.None, next: false, alert: true),
            -114 or -134 => Fail("this person cannot receive ZNS now or has not accepted the OA's messages", FailureHint.NextChannel, next: true),
            -115 or -135 or -137 => Fail("the OA cannot send ZNS (balance, permission or Zalo Cloud payment)", FailureHint.DisableChannel, next: true, alert: true),
            -118 or -119 => Fail("no Zalo account, or it cannot receive ZNS", FailureHint.Unreachable, next: true),
            // Only the kinds a guardian cannot switch off go on by SMS after a refusal (§3).
            -139 or -141 => Fail("the person refuses this kind of ZNS or this OA", FailureHint.OptedOut,
                next: kind is MessageKind.NoticeIssued or MessageKind.PaymentApplied),
            -133 => new Retry(code, VietnamTime.NextMorning(now), body),
            -144 or -147 => new Retry(code, VietnamTime.NextMorning(now), body) { WholeChannel = true },
            // -100 and anything not in the table: try again later; the outbox's attempt limit ends it.
            _ => new Retry(code, null, body),
        };
    }
}
