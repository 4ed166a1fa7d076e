using System.Net;
using Refit;

namespace TdmEdu.Fees.NotifyAdapters;

/// <summary>
/// One call to a provider, with what went wrong on the way turned into an outcome: nothing left the machine (no
/// connection) is worth a retry; a request that may have left and got no answer (timeout, reset) is unknown (§2.1).
/// The caller's own cancellation (the host stopping) is not an outcome and goes on as an exception.
/// </summary>
internal static class ProviderCall
{
    public sealed record Result<T>(IApiResponse<T>? Response, SendOutcome? Failure);

    public static async Task<Result<T>> RunAsync<T>(Func<Task<IApiResponse<T>>> call, string? body, CancellationToken ct)
    {
        try
        {
            return new Result<T>(await call(), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new Result<T>(null, new Unknown("TIMEOUT", body));
        }
        catch (HttpRequestException e) when (e.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return new Result<T>(null, new Retry("CONNECT", null, body));
        }
        catch (HttpRequestException)
        {
            return new Result<T>(null, new Unknown("NETWORK", body));
        }
    }

    /// <summary>The status code as the outbox records it, e.g. <c>HTTP 503</c>.</summary>
    public static string Http(HttpStatusCode? status) => "HTTP " + ((int?)status ?? 0).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string CodeOf(SendOutcome outcome) => outcome switch
    {
        Retry r => r.Code,
        Unknown u => u.Code,
        Failed f => f.Code,
        _ => "",
    };

    public static bool IsServerError(HttpStatusCode? status) => (int?)status >= 500;
}
