using TdmEdu.Fees.Api.Pages;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// Where the host decides how an error reads (ADR 21): by the face that answers the request. The JSON API answers
/// ProblemDetails (<see cref="ApiProblems"/>), also for its 404s; the pages answer a page in the page's language
/// (<see cref="ErrorModel"/>), also for an address with no page; the banks' routes answer in each bank's own format
/// (Http/Banks) and are left alone here. One status per failure kind, the same on every face.
/// </summary>
public static class HttpErrors
{
    public enum Face { Api, Bank, Page }

    /// <summary>The error page, where page requests are re-executed (and /loi/404 and so on for a bare status).</summary>
    public const string PagePath = "/loi";

    /// <summary>
    /// The face of an address: the banks' routes; the API (everything under /api, and what machines read: the health
    /// check and the open data); every other address is a page or a file a page links to.
    /// </summary>
    public static Face FaceOf(PathString path) =>
        path.StartsWithSegments("/api/banks") ? Face.Bank
        : path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/du-lieu-mo") ? Face.Api
        : Face.Page;

    public static void AddServices(IServiceCollection services)
    {
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiProblems>();
    }

    /// <summary>The error handling of every face but the banks', early in the pipeline so that it sees everything after it.</summary>
    public static void Use(IApplicationBuilder app) => app.UseWhen(c => FaceOf(c.Request.Path) != Face.Bank, branch =>
    {
        branch.UseWhen(c => FaceOf(c.Request.Path) == Face.Page, pages => pages.Use(LastResortAsync));
        branch.UseExceptionHandler(new ExceptionHandlerOptions
        {
            // The API's exceptions are answered by ApiProblems before this path is tried; the pages' come here.
            ExceptionHandlingPath = PagePath,
            StatusCodeSelector = ErrorStatus.Of,
            // A refusal is an answer, logged by the request log with its status; only faults are logged as errors.
            SuppressDiagnosticsCallback = c => ErrorStatus.Of(c.Exception) < 500,
        });
        branch.UseWhen(c => FaceOf(c.Request.Path) == Face.Api, api => api.UseStatusCodePages());
        branch.UseWhen(c => FaceOf(c.Request.Path) == Face.Page, pages => pages.UseStatusCodePagesWithReExecute(PagePath + "/{0}"));
    });

    /// <summary>What the error page itself could not show gets a bare page with the same words, not a blank 500.</summary>
    private static async Task LastResortAsync(HttpContext context, Func<Task> next)
    {
        try
        {
            await next();
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            await ErrorModel.WriteBareAsync(context, e);
        }
    }
}
