namespace TdmEdu.Fees.Api.Persistence;

/// <summary>
/// A person who signs in: a system administrator, a school's accountant or principal (SchoolId set), or an
/// auditor of the education office. Passwords are hashed by ASP.NET Core Identity (PBKDF2), never stored.
/// </summary>
public sealed class FeesUser : Microsoft.AspNetCore.Identity.IdentityUser<Guid>
{
    public Guid? SchoolId { get; set; }
    public string DisplayName { get; set; } = "";
    /// <summary>Set when the administrator reset the password: until the user picks their own, only the password page opens.</summary>
    public bool MustChangePassword { get; set; }
}

/// <summary>How many parent look-ups a (hashed) address or payment code made in a window; shared by every instance.</summary>
public sealed class LookupLimit
{
    public string Key { get; set; } = "";
    public DateTimeOffset WindowStart { get; set; }
    public int Count { get; set; }
}
