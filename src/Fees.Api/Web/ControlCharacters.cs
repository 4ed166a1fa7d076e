using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.WebUtilities;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// No text we read may hold a control character (NUL, the rest of C0, DEL, C1): PostgreSQL refuses NUL in text
/// and answered 500, and none of the others belongs in a name, a code or a reason. One check for the web app and
/// the API, refused with 400 and a sentence that says where, before anything runs. Tab, CR and LF are text in
/// form fields and JSON strings (a reason may have several lines), and a tab in a header; nowhere else.
/// The banks' routes (/api/banks) and the T-VAN provider's callback (/api/ereceipts/provider) are not checked here:
/// they answer each caller in its own format, and the callback's signature is over the raw body.
/// <para>
/// The middleware reads the address, the query, the headers, and urlencoded and JSON bodies (buffered, so the
/// endpoint reads them again). Multipart bodies carry uploads whose limits the pages set, so the middleware does
/// not read them; their text fields are checked by <see cref="FormFilter"/> once the page has read its form.
/// </para>
/// </summary>
public static class ControlCharacters
{
    public static bool Exempt(PathString path) => path.StartsWithSegments("/api/banks") || path.StartsWithSegments("/api/ereceipts/provider");

    /// <summary>The first character not accepted in the text, or null.</summary>
    public static char? Find(string? text, bool multiLine) => Common.TextRules.FirstRefused(text, multiLine);

    /// <summary>In a key (one line) or any of its values.</summary>
    private static char? Find(string key, Microsoft.Extensions.Primitives.StringValues values, bool multiLine) =>
        Find(key, multiLine: false) ?? values.Select(v => Find(v, multiLine)).FirstOrDefault(c => c is not null);

    public static async Task Middleware(HttpContext context, Func<Task> next)
    {
        if (Exempt(context.Request.Path) || await FindAsync(context.Request) is not { } found)
        {
            await next();
            return;
        }
        await RefuseAsync(context, found.Where, found.Char);
    }

    private static async Task<(Said Where, char Char)?> FindAsync(HttpRequest request)
    {
        if (Find(request.PathBase.Value + request.Path.Value, multiLine: false) is { } p) return (new Said("the address (path)", "địa chỉ (đường dẫn)"), p);
        foreach (var (key, values) in request.Query)
            if (Find(key, values, multiLine: false) is { } q)
                return (new Said($"the query value \"{Safe(key)}\"", $"tham số \"{Safe(key)}\""), q);
        foreach (var (name, values) in request.Headers)
            if (values.Select(v => Find(v, false)).FirstOrDefault(c => c is not null) is { } h)
                return (new Said($"the header \"{name}\"", $"tiêu đề \"{name}\""), h);
        if (request.HasFormContentType && request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
            return await FormAsync(request);
        if (request.HasJsonContentType()) return await JsonAsync(request);
        return null;
    }

    /// <summary>The urlencoded body read leniently (ASP.NET's form reader throws on a NUL without saying where), then rewound.</summary>
    private static async Task<(Said, char)?> FormAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            using var text = new StreamReader(request.Body, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            using var reader = new FormReader(await text.ReadToEndAsync(request.HttpContext.RequestAborted));
            foreach (var (key, values) in await reader.ReadFormAsync(request.HttpContext.RequestAborted))
                if (Find(key, values, multiLine: true) is { } f)
                    return (Field(key), f);
        }
        catch (InvalidDataException)
        {
            // Too many or too long values: the form reader of the page refuses the same body with 400.
        }
        finally { request.Body.Position = 0; }
        return null;
    }

    private static async Task<(Said, char)?> JsonAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            var reader = new Utf8JsonReader(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            var property = "";
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.PropertyName or JsonTokenType.String)) continue;
                var text = reader.GetString();
                if (Find(text, multiLine: reader.TokenType == JsonTokenType.String) is { } j)
                {
                    var name = reader.TokenType == JsonTokenType.PropertyName ? text! : property;
                    return (new Said($"the JSON field \"{Safe(name)}\"", $"trường JSON \"{Safe(name)}\""), j);
                }
                if (reader.TokenType == JsonTokenType.PropertyName) property = text!;
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON after all: the endpoint answers that with its own 400.
        }
        finally { request.Body.Position = 0; }
        return null;
    }

    private static Said Field(string key) => new($"the field \"{Safe(key)}\"", $"trường \"{Safe(key)}\"");

    /// <summary>A name as it can be shown: its control characters as U+XXXX.</summary>
    private static string Safe(string name) =>
        string.Concat(name.Take(60).Select(c => char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString()));

    private static async Task RefuseAsync(HttpContext context, Said where, char c)
    {
        var said = new Said(
            $"The request was refused: {where.En} holds the control character U+{(int)c:X4}, which is not accepted there. Nothing was changed.",
            $"Yêu cầu bị từ chối: {where.Vi} có ký tự điều khiển U+{(int)c:X4}, không được chấp nhận ở đó. Không có gì thay đổi.");
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await Results.Problem(statusCode: 400, title: "Control character", detail: said.En).ExecuteAsync(context);
            return;
        }
        // A page: the sentence in the page's language (the language cookie is read as the layout reads it).
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(context.Request.Cookies[Lang.Cookie] == "en" ? said.En : said.Vi);
    }

    /// <summary>
    /// The text fields of a multipart form (an upload page), checked once the page has read its form with its own
    /// limits; before the handler runs, so nothing is written.
    /// </summary>
    public sealed class FormFilter : IAsyncPageFilter
    {
        public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

        public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
        {
            var http = context.HttpContext;
            if (!Exempt(http.Request.Path) && http.Features.Get<IFormFeature>()?.Form is { } form)
                foreach (var (key, values) in form)
                    if (Find(key, values, multiLine: true) is { } f)
                    {
                        await RefuseAsync(http, Field(key), f);
                        context.Result = new Microsoft.AspNetCore.Mvc.EmptyResult();
                        return;
                    }
            await next();
        }
    }
}
