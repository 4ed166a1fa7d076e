using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages;

/// <summary>
/// The pages' one answer when something went wrong (ADR 21): a page in the page's language, never JSON or a blank
/// page. The host re-executes the request here (see Http/HttpErrors) for an exception a page did not handle and
/// for an error status with no body: an address with no page (404), a method an address does not take (405), a
/// page's NotFound(). A refusal a page shows in its own form stays in that form; this page is for what escaped.
/// </summary>
// Re-executed with the request's own method: a POST whose antiforgery token failed must not fail here again.
[IgnoreAntiforgeryToken]
public sealed class ErrorModel(Lang lang) : PageModel
{
    public sealed record Shown(int Status, string Title, string Text);

    /// <summary>The page this request is to show; sets the status. Called by the view, so any method gets it.</summary>
    public Shown Describe()
    {
        var error = HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = error is not null ? ErrorStatus.Of(error)
            : HttpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalStatusCode
              ?? (RouteData.Values["status"] is string s && int.TryParse(s, out var asked) && asked is >= 400 and <= 599 ? asked : 404);
        ErrorStatus.Set(Response, status);
        var (title, text) = Say(lang, status, error);
        return new Shown(status, title, text);
    }

    /// <summary>The address the error happened at, for the language switch (which reloads it in the other language).</summary>
    public string? OriginalAddress =>
        HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is { } s ? s.OriginalPath + s.OriginalQueryString
        : HttpContext.Features.Get<IExceptionHandlerPathFeature>() is { } e ? e.Path + Request.QueryString
        : null;

    /// <summary>The title and sentence for a status, or for the exception behind it, in the page's language.</summary>
    public static (string Title, string Text) Say(Lang lang, int status, Exception? error)
    {
        if (error is BadInputException or BusinessRuleException)
        {
            var title = error is BadInputException ? new Said("The input cannot be used", "Dữ liệu không dùng được") : NotPossible;
            return (lang.Say(title), lang.Say(error) + Environment.NewLine + lang.Say(NothingSaved));
        }
        var (t, x) = error is null or BadHttpRequestException ? ByStatus(status) : Failures.KindOf(error) switch
        {
            FailureKind.ConcurrentChange => (new Said("Changed meanwhile", "Dữ liệu vừa thay đổi"), new Said(
                "Someone else changed the same records at the same moment; nothing was saved. Open the page again and retry.",
                "Người khác vừa thay đổi cùng dữ liệu này; chưa có gì được lưu. Hãy mở lại trang và thử lại.")),
            FailureKind.Environment => ByStatus(503),
            _ => ByStatus(500),
        };
        return status == 403 && error is null ? (lang["denied"], lang["denied-text"]) : (lang.Say(t), lang.Say(x));
    }

    private static readonly Said NotPossible = new("Not possible", "Không thực hiện được");

    private static readonly Said NothingSaved = new("Nothing was saved.", "Chưa có gì được lưu.");

    private static (Said Title, Said Text) ByStatus(int status) => status switch
    {
        400 => (new("The request could not be read", "Yêu cầu không đọc được"), new(
            "The page received a request it cannot read (a form sent again from an old page, or a damaged link). Go back, reload the page and try again.",
            "Trang nhận được một yêu cầu không đọc được (biểu mẫu gửi lại từ một trang cũ, hoặc đường dẫn bị hỏng). Hãy quay lại, tải lại trang và thử lại.")),
        401 => (new("Not signed in", "Chưa đăng nhập"), new(
            "This address needs a sign-in or a parent's look-up, and the session may have ended. Sign in or look up again.",
            "Địa chỉ này cần đăng nhập hoặc tra cứu của phụ huynh; phiên làm việc có thể đã hết hạn. Hãy đăng nhập hoặc tra cứu lại.")),
        404 => (new("Page not found", "Không tìm thấy trang"), new(
            "There is no page at this address. Check the address, or start again from the home page.",
            "Không có trang nào ở địa chỉ này. Hãy kiểm tra lại địa chỉ hoặc bắt đầu lại từ trang chủ.")),
        405 => (NotPossible, new(
            "This address does not take this kind of request. Open it from a link or a form of the site.",
            "Địa chỉ này không nhận loại yêu cầu này. Hãy mở nó từ một liên kết hoặc biểu mẫu của trang.")),
        413 => (new("Too large", "Dữ liệu quá lớn"), new(
            "What was sent is larger than this page takes; nothing was saved.",
            "Dữ liệu gửi lên lớn hơn mức trang này nhận; chưa có gì được lưu.")),
        503 => (new("Unavailable for a moment", "Tạm thời chưa phục vụ được"), new(
            "The service cannot reach its database just now (a server may be taking over from another). Try again in a moment.",
            "Hệ thống tạm thời chưa kết nối được cơ sở dữ liệu (có thể đang chuyển sang máy chủ dự phòng). Hãy thử lại sau giây lát.")),
        >= 500 => (new("Something went wrong on our side", "Có lỗi phía hệ thống"), new(
            "The request could not be completed because of a fault of ours. Try again; if it happens again, tell the administrator.",
            "Yêu cầu chưa thực hiện được do lỗi phía hệ thống. Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị viên.")),
        _ => (new("The request was refused", "Yêu cầu bị từ chối"), new(
            "This request cannot be answered. Go back and try again.",
            "Không thể trả lời yêu cầu này. Hãy quay lại và thử lại.")),
    };

    /// <summary>
    /// The last resort, when this page itself could not be shown (the database gone while checking the sign-in, say):
    /// the same words on a bare page, so a browser still never gets a blank one.
    /// </summary>
    public static Task WriteBareAsync(HttpContext context, Exception error)
    {
        var lang = context.RequestServices.GetRequiredService<Lang>();
        var status = ErrorStatus.Of(error);
        var (title, text) = Say(lang, status, error);
        context.Response.Clear();
        return WriteBareAsync(context, status, title, text);
    }

    /// <summary>A bare page with a status and its words in the page's language (a refusal answered before any page runs).</summary>
    public static Task WriteBareAsync(HttpContext context, int status, Said title, Said text)
    {
        var lang = context.RequestServices.GetRequiredService<Lang>();
        return WriteBareAsync(context, status, lang.Say(title), lang.Say(text));
    }

    private static async Task WriteBareAsync(HttpContext context, int status, string title, string text)
    {
        var lang = context.RequestServices.GetRequiredService<Lang>();
        var html = HtmlEncoder.Default;
        ErrorStatus.Set(context.Response, status);
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync($"<!DOCTYPE html><html lang=\"{lang.Code}\"><head><meta charset=\"utf-8\"><title>{html.Encode(title)} · TdmEdu.Fees</title></head>" +
            $"<body><h1>{html.Encode(title)}</h1><p>{html.Encode(text)}</p><p><a href=\"/\">TdmEdu.Fees</a></p></body></html>");
    }
}
