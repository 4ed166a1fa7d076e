using System.Text.Json;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Persistence;

/// <summary>Who is acting: the CLI's operating-system user, later the signed-in user.</summary>
public sealed record Actor(string Name)
{
    public static Actor FromEnvironment() => new("cli:" + Environment.UserName);

    /// <summary>A signed-in user of the web app or the API, by login (the email).</summary>
    public static Actor Of(System.Security.Claims.ClaimsPrincipal user) => new("web:" + user.Identity?.Name);
}

public static class AuditLog
{
    /// <summary>Adds an audit entry to the current unit of work; details hold ids, counts and amounts, no personal data.</summary>
    public static void Record(FeesDb db, BusinessClock clock, Actor actor, string action, string entity, string? key, object details) =>
        db.AuditLog.Add(Entry(clock, actor, action, entity, key, details));

    /// <summary>An audit entry not yet added anywhere, for writers that insert many at once.</summary>
    public static AuditEntry Entry(BusinessClock clock, Actor actor, string action, string entity, string? key, object details) =>
        new()
        {
            At = clock.Now,
            Actor = actor.Name,
            Action = action,
            Entity = entity,
            EntityKey = key,
            Details = JsonSerializer.Serialize(details),
        };
}
