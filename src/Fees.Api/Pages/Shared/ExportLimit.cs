using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc.Filters;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Pages.Shared;

/// <summary>
/// How many files the staff's pages make at once (PDF and XLSX of notices, receipt lists, cash and bank books, vouchers,
/// the office's overview): they take the processor for seconds each, and 40 at once from one login held the banks' calls
/// past BIDV's two seconds (found by attack). Per login at most <see cref="PerUser"/> at a time, with
/// <see cref="PerUserWaiting"/> more waiting; for the node at most <see cref="AtOnce"/> (half the processors, at least
/// one), with <see cref="Waiting"/> more waiting their turn, oldest first. Beyond that: 429 with Retry-After, as a page
/// in the page's language. Any other page of a signed-in login is limited too (<see cref="PagesPerUser"/> at once,
/// <see cref="PagesPerUserWaiting"/> waiting): forty heavy list pages at once from one login did the same (round 8).
/// Kept in memory per node.
/// </summary>
public sealed class ExportLimit : IDisposable
{
    public const int PerUser = 2, PerUserWaiting = 4, Waiting = 32;

    /// <summary>Any other page of a signed-in login: at most so many at once, so many more waiting (a person opens a few tabs, not forty).</summary>
    public const int PagesPerUser = 4, PagesPerUserWaiting = 8;

    public static int AtOnce { get; } = Math.Max(1, Environment.ProcessorCount / 2);

    /// <summary>The page handlers that make a file.</summary>
    public static readonly IReadOnlySet<string> FileHandlers = new HashSet<string>(StringComparer.Ordinal) { "Pdf", "Xlsx", "File", "Vouchers", "Support" };

    private static readonly Said Busy = new("Too many files at once", "Đang tạo quá nhiều tệp cùng lúc");

    private static readonly Said BusyText = new(
        "The service is making as many files as it can at once. Wait {0} seconds and try again.",
        "Hệ thống đang tạo nhiều tệp cùng lúc. Hãy đợi {0} giây rồi thử lại.");

    private static readonly Said BusyPages = new("Too many pages at once", "Mở quá nhiều trang cùng lúc");

    private static readonly Said BusyPagesText = new(
        "This login has more pages loading at once than the service serves one person. Wait {0} seconds and try again.",
        "Tài khoản này đang mở nhiều trang cùng lúc hơn mức hệ thống phục vụ cho một người. Hãy đợi {0} giây rồi thử lại.");

    private readonly PartitionedRateLimiter<HttpContext> _limiter;

    private readonly PartitionedRateLimiter<HttpContext> _pages = PartitionedRateLimiter.Create<HttpContext, string>(c =>
        RateLimitPartition.GetConcurrencyLimiter(c.User.Identity?.Name ?? "?", _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = PagesPerUser, QueueLimit = PagesPerUserWaiting, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }));

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

    /// <summary>A permit for any other page of the request's login.</summary>
    public ValueTask<RateLimitLease> AcquirePageAsync(HttpContext http) => _pages.AcquireAsync(http, 1, http.RequestAborted);

    public void Dispose()
    {
        _limiter.Dispose();
        _pages.Dispose();
    }

    /// <summary>The pages' filter: a file handler runs with a permit, or is answered 429.</summary>
    public sealed class Filter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            var http = context.HttpContext;
            var file = context.HandlerMethod?.Name is { } name && FileHandlers.Contains(name);
            if (!file && http.User.Identity?.IsAuthenticated != true)
            {
                await next();
                return;
            }
            var limit = http.RequestServices.GetRequiredService<ExportLimit>();
            using var lease = file ? await limit.AcquireAsync(http) : await limit.AcquirePageAsync(http);
            if (lease.IsAcquired)
            {
                await next();
                return;
            }
            const int Seconds = 5;
            http.Response.Headers.RetryAfter = Seconds.ToString(CultureInfo.InvariantCulture);
            var (title, text) = file ? (Busy, BusyText) : (BusyPages, BusyPagesText);
            await ErrorModel.WriteBareAsync(http, StatusCodes.Status429TooManyRequests, title,
                new Said(string.Format(CultureInfo.InvariantCulture, text.En, Seconds), string.Format(CultureInfo.InvariantCulture, text.Vi, Seconds)));
            context.Result = new Microsoft.AspNetCore.Mvc.EmptyResult();
        }
    }
}
