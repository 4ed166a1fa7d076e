namespace TdmEdu.Fees.Api.Pages.Shared;

/// <summary>
/// A message at the top of a staff page (the _Banner partial): what was done, green, read out as a status; or what was
/// refused and why, red, read out at once as an alert. Nothing is shown without a text. The ids are the pages' own.
/// </summary>
public sealed record Banner(string? Text, bool Ok, string Id)
{
    public static Banner Done(string? text, string id = "said") => new(text, true, id);

    public static Banner Refused(string? text, string id = "problem") => new(text, false, id);
}
