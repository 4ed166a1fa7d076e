using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc.Filters;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Pages;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// How many files the staff's pages make at once (PDF and XLSX of notices, receipt lists, cash and bank books, vouchers,
/// the office's overview): they take the processor for seconds each, and 40 at once from one login held the banks' calls
/// past BIDV's two seconds (found by attack). Per login at most <see cref="PerUser"/> at a time, with
/// <see cref="PerUserWaiting"/> more waiting; for the node at most <see cref="AtOnce"/> (half the processors, at least
/// one), with <see cref="Waiting"/> more waiting their turn, oldest first. Beyond that: 429 with Retry-After, as a page
/// in the page's language. Kept in memory per node.
/// </summary>
public sealed class ExportLimit : IDisposable
{
    public const int PerUser = 2, PerUserWaiting = 4, Waiting = 32;

    public static int AtOnce { get; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>The page handlers that make a file.</summary>
    public static readonly IReadOnlySet<string> FileHandlers = new HashSet<string>(StringComparer.Ordinal) { "Pdf", "Xlsx", "File", "Vouchers", "Support" };

    private static readonly Said Busy = new("Too many files at once", "Đang tạo quá nhiều tệp cùng lúc");

    private static readonly Said BusyText = new(
        "The service is making as many files as it can at once. Wait {0} seconds and try again.",
        "Hệ thống đang tạo nhiều tệp cùng lúc. Hãy đợi {0} giây rồi thử lại.");

    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    public ExportLimit() : this(PerUser, PerUserWaiting, AtOnce, Waiting)
    {
    }

    /// <summary>Other limits than the service's (a test's).</summary>
    public ExportLimit(int perUser, int perUserWaiting, int atOnce, int waiting) =>
        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(c => RateLimitPartition.GetConcurrencyLimiter(c.User.Identity?.Name ?? "?", _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = perUser, QueueLimit = perUserWaiting, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })),
            PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter("all", _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = atOnce, QueueLimit = waiting, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })));

    /// <summary>A permit to make one file for the request's login: acquired, waiting its turn, or refused at once when the queues are full.</summary>
    public ValueTask<RateLimitLease> AcquireAsync(HttpContext http) => _limiter.AcquireAsync(http, 1, http.RequestAborted);

    public void Dispose() => _limiter.Dispose();

    /// <summary>The pages' filter: a file handler runs with a permit, or is answered 429.</summary>
    public sealed class Filter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            if (context.HandlerMethod?.Name is not { } name || !FileHandlers.Contains(name))
            {
                await next();
                return;
            }
            var http = context.HttpContext;
            var limit = http.RequestServices.GetRequiredService<ExportLimit>();
            using var lease = await limit.AcquireAsync(http);
            if (lease.IsAcquired)
            {
                await next();
                return;
            }
            const int Seconds = 5;
            http.Response.Headers.RetryAfter = Seconds.ToString(CultureInfo.InvariantCulture);
            await ErrorModel.WriteBareAsync(http, StatusCodes.Status429TooManyRequests, Busy,
                new Said(string.Format(CultureInfo.InvariantCulture, BusyText.En, Seconds), string.Format(CultureInfo.InvariantCulture, BusyText.Vi, Seconds)));
            context.Result = new Microsoft.AspNetCore.Mvc.EmptyResult();
        }
    }
}
