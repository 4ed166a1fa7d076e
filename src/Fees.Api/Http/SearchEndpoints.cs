namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The files of the staff's pages: the script of the pupil search that shows results as one types, the stylesheet of the
/// search box and of the pupil's and notice's pages, and the stylesheet of the bank pages (statement upload, transactions,
/// review queue). Files of this site, as the pages' Content-Security-Policy runs no inline script. They hold no data, so
/// they are served to anyone, cached for an hour.
/// </summary>
public static class SearchEndpoints
{
    public const string ScriptPath = "/nhan-vien/tim-kiem.js";
    public const string StylePath = "/nhan-vien/hoc-sinh.css";
    public const string BankStylePath = "/nhan-vien/ngan-hang.css";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(ScriptPath, (HttpResponse response) => Serve(response, Script.Value, "text/javascript; charset=utf-8"));
        app.MapGet(StylePath, (HttpResponse response) => Serve(response, Style.Value, "text/css; charset=utf-8"));
        app.MapGet(BankStylePath, (HttpResponse response) => Serve(response, BankStyle.Value, "text/css; charset=utf-8"));
    }

    private static IResult Serve(HttpResponse response, string text, string type)
    {
        response.Headers.CacheControl = "public, max-age=3600";
        return Results.Text(text, type);
    }

    private static readonly Lazy<string> Script = new(() => Embedded("pupil-search.js"));
    private static readonly Lazy<string> Style = new(() => Embedded("pupil-pages.css"));
    private static readonly Lazy<string> BankStyle = new(() => Embedded("bank-pages.css"));

    private static string Embedded(string name)
    {
        using var stream = typeof(SearchEndpoints).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
