using Microsoft.AspNetCore.Diagnostics;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The JSON API's answers when something is wrong, all as ProblemDetails (RFC 9457): the failure kinds of
/// <see cref="Failures"/>, mapped here once for every route that throws them, and the refusals routes answer
/// themselves, named here so that two routes saying the same thing say it the same way. The API speaks English
/// (ADR 13): a refusal's English sentence is the detail.
/// </summary>
public sealed class ApiProblems : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        // The address asked for: the request's own path is already the error page's by now.
        var path = context.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? context.Request.Path;
        if (HttpErrors.FaceOf(path) != HttpErrors.Face.Api) return false;
        ErrorStatus.Set(context.Response, ErrorStatus.Of(exception));
        await For(exception).ExecuteAsync(context);
        return true;
    }

    /// <summary>What the API answers for an exception a route did not handle.</summary>
    public static IResult For(Exception e)
    {
        var status = ErrorStatus.Of(e);
        if (e is BadHttpRequestException) return Results.Problem(statusCode: status);
        return Failures.KindOf(e) switch
        {
            FailureKind.BadInput => Results.Problem(statusCode: status, title: "Bad input", detail: e.Message),
            FailureKind.Refused => Results.Problem(statusCode: status, title: "Not possible", detail: e.Message),
            FailureKind.ConcurrentChange => Results.Problem(statusCode: status, title: "Changed meanwhile",
                detail: "Someone else changed the same records at the same moment; nothing was written. Try again."),
            // The operator's sentence stays in the log: it may name settings a caller has no business knowing.
            FailureKind.Environment => Results.Problem(statusCode: status, title: "Unavailable", detail: "The service cannot reach what it needs just now; try again later."),
            _ => Results.Problem(statusCode: status),
        };
    }

    public static IResult BadPeriod(string period) => Results.Problem(statusCode: 400, title: "Bad period", detail: $"\"{period}\" is not a month like 2025-09.");

    public static IResult UnknownSchool(string school) => Results.Problem(statusCode: 404, title: "Unknown school", detail: $"School {school} is not known.");

    public static IResult NotFound(string detail) => Results.Problem(statusCode: 404, title: "Not found", detail: detail);

    public static IResult NotAllowed(string title, string detail) => Results.Problem(statusCode: 403, title: title, detail: detail);
}
