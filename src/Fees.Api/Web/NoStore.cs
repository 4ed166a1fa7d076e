namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// A page that is never cached (a parent's money, a new password, a search of pupils). Said the way ASP.NET Core's
/// antiforgery says it on every page with a form: a page that said only "no-store" had it overwritten, with a warning
/// in the operator's log on every view.
/// </summary>
public static class NoStore
{
    public const string CacheControl = "no-cache, no-store";
}
