using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// One HTTP status per kind of failure, the same on every face: the API's ProblemDetails and the error page both
/// read it here, so the page (a face) and the host's error handling (Http) need not know each other.
/// </summary>
public static class ErrorStatus
{
    public static int Of(Exception e) => e is BadHttpRequestException bad ? bad.StatusCode : Failures.KindOf(e) switch
    {
        FailureKind.BadInput => StatusCodes.Status400BadRequest,
        FailureKind.Refused or FailureKind.ConcurrentChange => StatusCodes.Status409Conflict,
        FailureKind.Environment => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    /// <summary>What a client is told to wait after a 503, in seconds: a failover of the database takes 2–8 s.</summary>
    public const int RetryAfterSeconds = 5;

    /// <summary>Sets the status, and with a 503 when to try again.</summary>
    public static void Set(HttpResponse response, int status)
    {
        response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable) response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
