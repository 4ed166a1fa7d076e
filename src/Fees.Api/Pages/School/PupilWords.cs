using System.Globalization;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>How the pupil's and the notice's pages say a state, a method or a time.</summary>
public static class PupilWords
{
    /// <summary>A notice's state in words (the states the month's list never shows have words of their own).</summary>
    public static string Status(Lang l, string status, bool overdue) =>
        (status is "cancelled" or "draft" ? l["ps-status-" + status] : l["status-" + status]) + (overdue ? " · " + l["overdue"] : "");

    public static string Method(Lang l, string method) => l["ps-method-" + method];

    /// <summary>A moment in the school's time zone, as dd/MM/yyyy HH:mm.</summary>
    public static string When(DateTimeOffset at) =>
        TimeZoneInfo.ConvertTime(at, BusinessClock.Zone).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The choice a guardian made about messages on one way of reaching them.</summary>
    public static string Choice(Lang l, string choice) => l["ps-choice-" + choice];
}
