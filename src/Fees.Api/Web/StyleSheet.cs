using System.Security.Cryptography;
using System.Text;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// The site's one stylesheet (Pages/Shared/site.css, embedded in the assembly), served as a file of this site: the pages'
/// Content-Security-Policy takes styles from the site only. Its address carries a hash of its text, so a browser keeps it
/// for a year and a new build's pages ask for the new one; an address with another version is answered, not cached.
/// </summary>
public static class StyleSheet
{
    public const string Path = "/giao-dien.css";

    private static readonly Lazy<(string Text, string Version)> File = new(() =>
    {
        using var stream = typeof(StyleSheet).Assembly.GetManifestResourceStream("site.css")
            ?? throw new InvalidOperationException("site.css is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        return (text, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12]);
    });

    /// <summary>The address the pages link: the path with the version of this build's stylesheet.</summary>
    public static string Href => $"{Path}?v={File.Value.Version}";

    public static void Map(IEndpointRouteBuilder app) => app.MapGet(Path, (HttpRequest request, HttpResponse response) =>
    {
        response.Headers.CacheControl = request.Query["v"] == File.Value.Version ? "public, max-age=31536000, immutable" : "no-cache";
        return Results.Text(File.Value.Text, "text/css; charset=utf-8");
    });
}
