namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>Reading a page's form as a client without a browser does: its antiforgery token and hidden fields.</summary>
public static class Forms
{
    public static string Token(string html) => Hidden(html, "__RequestVerificationToken");

    /// <summary>The value of a hidden input (or any input written name="..." value="..." / type="hidden" value="...").</summary>
    public static string Hidden(string html, string name) =>
        System.Text.RegularExpressions.Regex.Match(html, $"name=\"{System.Text.RegularExpressions.Regex.Escape(name)}\"(?: type=\"hidden\")? value=\"([^\"]*)\"").Groups[1].Value;
}
