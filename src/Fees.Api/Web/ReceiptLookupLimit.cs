using System.Threading.RateLimiting;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// The public receipt look-up's limit (contracts/ereceipts.md §12): <see cref="PerMinute"/> look-ups a minute per
/// address, shared by the page, its XML download and the JSON; past it, 429. Counted whether the pair is found or
/// not, so the limit says nothing about any receipt. Kept in memory per node.
/// </summary>
public sealed class ReceiptLookupLimit : IDisposable
{
    public const int PerMinute = 30;

    private readonly PartitionedRateLimiter<HttpContext> _limiter = PartitionedRateLimiter.Create<HttpContext, string>(c =>
        RateLimitPartition.GetFixedWindowLimiter(c.Connection.RemoteIpAddress?.ToString() ?? "?", _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = PerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Takes one look-up for the request's address; false (and Retry-After set) when the address has used its minute's.</summary>
    public bool TryTake(HttpContext http)
    {
        using var lease = _limiter.AttemptAcquire(http);
        if (lease.IsAcquired) return true;
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return false;
    }

    public void Dispose() => _limiter.Dispose();
}
