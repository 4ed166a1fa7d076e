using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Shared;

/// <summary>
/// The month picker of a month view (a school's month, its notices, its close; all schools' month): a list of the months
/// with notices and this month, and the months before and after the one shown in that list. A GET form, so it works
/// without script: it sends <see cref="Field"/> to the page, and <see cref="MonthPickerFilter"/> answers with the address
/// of the chosen month.
/// </summary>
public sealed record MonthPicker(BillingMonth Shown, IReadOnlyList<BillingMonth> Choices, Func<BillingMonth, string> Href)
{
    /// <summary>The query field the form sends: the month chosen, yyyy-MM.</summary>
    public const string Field = "chon-thang";

    /// <summary>The nearest month of the list before the one shown (the list is newest first).</summary>
    public BillingMonth? Previous => Choices.Where(c => c < Shown).Select(c => (BillingMonth?)c).FirstOrDefault();

    public BillingMonth? Next => Choices.Where(c => c > Shown).Select(c => (BillingMonth?)c).LastOrDefault();

    public static string Name(BillingMonth m) => $"{m.Month:00}/{m.Year}";

    /// <summary>The picker of a school's month (or of all schools' with none), addresses made by <paramref name="href"/>.</summary>
    public static async Task<MonthPicker> ForAsync(NoticeMonths months, string? schoolCode, BillingMonth shown, Func<BillingMonth, string> href, CancellationToken ct) =>
        new(shown, await months.ChoicesAsync(schoolCode, shown, ct), href);
}

/// <summary>
/// Sends a month picker's choice to the chosen month's address: on a page whose route has a {period}, a request with
/// ?chon-thang=yyyy-MM is answered with a redirect to the same page for that month, its other query fields kept.
/// </summary>
public sealed class MonthPickerFilter : IPageFilter
{
    public void OnPageHandlerSelected(PageHandlerSelectedContext context) { }

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        var request = context.HttpContext.Request;
        if (!HttpMethods.IsGet(request.Method) || !request.Query.TryGetValue(MonthPicker.Field, out var chosen)) return;
        if (context.ActionDescriptor.AttributeRouteInfo?.Template?.Contains("{period", StringComparison.Ordinal) != true) return;
        if (!BillingMonth.TryParse(chosen.ToString(), out var month)) return;
        var values = new Microsoft.AspNetCore.Routing.RouteValueDictionary(context.RouteData.Values) { ["period"] = month.ToString() };
        foreach (var (key, value) in request.Query)
            if (key != MonthPicker.Field && key != "handler") values[key] = value.ToString();
        var url = context.HttpContext.RequestServices.GetRequiredService<LinkGenerator>()
            .GetPathByPage(context.HttpContext, context.ActionDescriptor.ViewEnginePath, values: values);
        if (url is not null) context.Result = new LocalRedirectResult(url);
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context) { }
}
