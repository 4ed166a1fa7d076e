using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>The administrator's list of logins, and a new one with its role (and school, for school staff).</summary>
public sealed class UsersModel(FeesDb db, UserManager<FeesUser> users, RoleManager<IdentityRole<Guid>> roles, BusinessClock clock, Lang lang) : PageModel
{
    public sealed record Row(string Email, string Name, string Role, string School, string LockedUntil);

    public List<Row> Users { get; private set; } = [];
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string Role { get; set; } = "";
    [BindProperty] public string? School { get; set; }
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Message { get; set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            await Accounts.AddAsync(users, roles, db, Email.Trim(), Name.Trim(), Role, string.IsNullOrWhiteSpace(School) ? null : School.Trim(), Password, ct);
            AuditLog.Record(db, clock, Actor.Of(User), "users.add", "user", Email.Trim(), new { role = Role, school = School });
            await db.SaveChangesAsync(ct);
            return LocalRedirect($"/quan-tri/nguoi-dung?message={Uri.EscapeDataString($"{Email.Trim()} ({Role})")}");
        }
        catch (BadInputException e)
        {
            Problem = lang.Say(e);
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var rows = await (from u in db.Users.AsNoTracking()
                          join ur in db.UserRoles.AsNoTracking() on u.Id equals ur.UserId
                          join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id
                          join s in db.Schools.AsNoTracking() on u.SchoolId equals s.Id into ss
                          from s in ss.DefaultIfEmpty()
                          orderby u.Email
                          select new { u.Email, u.DisplayName, r.Name, School = s == null ? "" : s.Code, u.LockoutEnd }).ToListAsync(ct);
        Users = rows.Select(x => new Row(x.Email ?? "", x.DisplayName, x.Name ?? "", x.School,
            x.LockoutEnd is { } end && end > clock.Now ? TimeZoneInfo.ConvertTime(end, BusinessClock.Zone).ToString("dd/MM/yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "")).ToList();
    }
}
