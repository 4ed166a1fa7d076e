using System.Globalization;
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
        IApiResponse<T> response;
        try
        {
            response = await call();
        }
        catch (Exception e) when (Travel(e, body, ct) is { } failure)
        {
            return new Result<T>(null, failure);
        }
        // Refit hands failures before any answer back inside the response rather than throwing them.
        if (response.Error is ApiRequestException wrapped)
        {
            ct.ThrowIfCancellationRequested();
            return new Result<T>(null, Travel(wrapped.InnerException ?? wrapped, body, ct) ?? new Unknown("NETWORK", body));
        }
        return new Result<T>(response, null);
    }

    /// <summary>What an exception on the way means, or null for one that is not the provider's (it goes on).</summary>
    private static SendOutcome? Travel(Exception e, string? body, CancellationToken ct) => e switch
    {
        OperationCanceledException when ct.IsCancellationRequested => null,
        OperationCanceledException or TimeoutException => new Unknown("TIMEOUT", body),
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError } => new Retry("CONNECT", null, body),
        HttpRequestException => new Unknown("NETWORK", body),
        _ => null,
    };

    /// <summary>The status code as the outbox records it, e.g. <c>HTTP 503</c>.</summary>
    public static string Http(HttpStatusCode? status) => "HTTP " + ((int?)status ?? 0).ToString(CultureInfo.InvariantCulture);

    public static string CodeOf(SendOutcome outcome) => outcome switch
    {
        Retry r => r.Code,
        Unknown u => u.Code,
        Failed f => f.Code,
        _ => "",
    };

    public static bool IsServerError(HttpStatusCode? status) => (int?)status >= 500;
}
