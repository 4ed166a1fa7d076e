namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The script of the staff's pupil search, which shows results as one types. A file of this site, as the pages'
/// Content-Security-Policy runs no inline script. It holds no data, so it is served to anyone, cached for an hour.
/// </summary>
public static class SearchEndpoints
{
    public const string ScriptPath = "/nhan-vien/tim-kiem.js";

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(ScriptPath, (HttpResponse response) =>
        {
            response.Headers.CacheControl = "public, max-age=3600";
            return Results.Text(Script.Value, "text/javascript; charset=utf-8");
        });
    }

    private static readonly Lazy<string> Script = new(() => Embedded("pupil-search.js"));

    private static string Embedded(string name)
    {
        using var stream = typeof(SearchEndpoints).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
