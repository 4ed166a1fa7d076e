using System.Globalization;
using System.Threading.RateLimiting;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Pages;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// How much of the service the open data's anonymous readers may take, so that they can never starve the staff (an
/// attack of 30 parallel requests once made every answer 503 and staff pages wait 27 s). Per address (the client's,
/// from X-Forwarded-For behind a known proxy): a burst of <see cref="Burst"/> requests, then <see cref="PerSecond"/> a
/// second, and at most <see cref="AtOnce"/> at the same time; and for all addresses together at most
/// <see cref="AllAtOnce"/> at the same time, a few more waiting their turn. Beyond that: 429 with Retry-After, as
/// ProblemDetails, or as a page in the page's language when a browser asked for HTML. Kept in memory per node: a limit
/// against floods, not an account of who read what.
/// </summary>
public sealed class OpenDataLimit : IDisposable
{
    public const int Burst = 30, PerSecond = 5, AtOnce = 4, AllAtOnce = 8, AllWaiting = 16;

    private static readonly Said TooMany = new("Too many requests", "Quá nhiều yêu cầu");

    private static readonly Said TooManyText = new(
        "This address asked for the open data more often than the service answers anyone. Wait {0} seconds and try again.",
        "Địa chỉ này đã yêu cầu dữ liệu mở nhiều hơn mức hệ thống phục vụ cho mỗi người. Hãy đợi {0} giây rồi thử lại.");

    private readonly PartitionedRateLimiter<HttpContext> _limiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<HttpContext, string>(c => RateLimitPartition.GetTokenBucketLimiter(Address(c), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Burst, TokensPerPeriod = PerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
        })),
        PartitionedRateLimiter.Create<HttpContext, string>(c => RateLimitPartition.GetConcurrencyLimiter(Address(c), _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = AtOnce, QueueLimit = 0,
        })),
        PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter("all", _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = AllAtOnce, QueueLimit = AllWaiting, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        })));

    private static string Address(HttpContext c) => c.Connection.RemoteIpAddress?.ToString() ?? "?";

    /// <summary>The filter of the open data's routes: a permit for the request's work, or 429.</summary>
    public async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        using var lease = await _limiter.AcquireAsync(http, 1, http.RequestAborted);
        if (lease.IsAcquired) return await next(context);
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 1;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var text = new Said(string.Format(CultureInfo.InvariantCulture, TooManyText.En, seconds), string.Format(CultureInfo.InvariantCulture, TooManyText.Vi, seconds));
        if (http.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)))
        {
            await ErrorModel.WriteBareAsync(http, StatusCodes.Status429TooManyRequests, TooMany, text);
            return Results.Empty;
        }
        return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: TooMany.En, detail: text.En);
    }

    public void Dispose() => _limiter.Dispose();
}
