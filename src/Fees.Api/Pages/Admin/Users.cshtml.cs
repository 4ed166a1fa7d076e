using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>
/// The administrator's logins: the list (filtered by text, role or school) with each one's state, a new login with its
/// role (and school, for school staff), and per login: change role and school, reset the password (the new one shown
/// once, on this answer only, never in an address), disable, enable again, remove (AccountChanges keeps the rules and
/// the audit).
/// </summary>
public sealed class UsersModel(FeesDb db, UserManager<FeesUser> users, RoleManager<IdentityRole<Guid>> roles, AccountChanges changes, BusinessClock clock, Lang lang) : PageModel
{
    /// <summary>A login; <paramref name="Held"/> when failed sign-ins hold it for now (an unlock forgets them).</summary>
    public sealed record Row(string Email, string Name, string Role, string School, bool Disabled, bool Held);

    public List<Row> Users { get; private set; } = [];
    /// <summary>Every school, code and name, for the school choices.</summary>
    public List<(string Code, string Name)> Schools { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? RoleFilter { get; set; }
    /// <summary>A password just reset: shown once, on the page the reset redirects to.</summary>
    public string? NewPassword { get; private set; }
    [BindProperty] public string Email { get; set; } = "";
    [BindProperty] public string Name { get; set; } = "";
    [BindProperty] public string Role { get; set; } = "";
    [BindProperty] public string? School { get; set; }
    [BindProperty] public string Password { get; set; } = "";
    /// <summary>The login a disable, enable or remove button acts on.</summary>
    [BindProperty] public string Login { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Message { get; set; }
    public string? Problem { get; private set; }

    private const string NewPasswordKey = "new-password";

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (TempData[NewPasswordKey] is string password)
        {
            NewPassword = password;
            Response.Headers.CacheControl = NoStore.CacheControl;
        }
        await LoadAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            await Accounts.AddAsync(users, roles, db, Email.Trim(), Name.Trim(), Role, string.IsNullOrWhiteSpace(School) ? null : School.Trim(), Password, ct);
            AuditLog.Record(db, clock, Actor.Of(User), "users.add", "user", Email.Trim(), new { role = Role, school = School });
            await db.SaveChangesAsync(ct);
            return LocalRedirect($"/quan-tri/nguoi-dung?message={Uri.EscapeDataString($"{Email.Trim()} ({lang.Role(Role)})")}");
        }
        catch (BadInputException e)
        {
            return await RefusedAsync(lang.Say(e), ct);
        }
    }

    public Task<IActionResult> OnPostDisableAsync(CancellationToken ct) => ActAsync(() => changes.DisableAsync(Login, User.Identity?.Name, ct), ct);

    public Task<IActionResult> OnPostEnableAsync(CancellationToken ct) => ActAsync(() => changes.EnableAsync(Login, ct), ct);

    public Task<IActionResult> OnPostRoleAsync(CancellationToken ct) =>
        ActAsync(() => changes.ChangeRoleAsync(Login, Role, Roles.NeedsSchool(Role.Trim().ToLowerInvariant()) ? School : null, User.Identity?.Name, ct), ct);

    public async Task<IActionResult> OnPostResetAsync(CancellationToken ct)
    {
        try
        {
            var (said, password) = await changes.ResetAsync(Login, User.Identity?.Name, ct);
            // Shown by the page the redirect opens, once: TempData travels sealed in a cookie and is gone once read, so a
            // reload neither shows it again nor resets again, and it is never in an address or a log.
            TempData[NewPasswordKey] = password;
            return LocalRedirect($"/quan-tri/nguoi-dung?message={Uri.EscapeDataString(lang.Say(said))}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            return await RefusedAsync(lang.Say(e), ct);
        }
    }

    public Task<IActionResult> OnPostRemoveAsync(CancellationToken ct) => ActAsync(() => changes.RemoveAsync(Login, User.Identity?.Name, ct), ct);

    private async Task<IActionResult> ActAsync(Func<Task<Said>> act, CancellationToken ct)
    {
        try
        {
            var said = await act();
            return LocalRedirect($"/quan-tri/nguoi-dung?message={Uri.EscapeDataString(lang.Say(said))}");
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            return await RefusedAsync(lang.Say(e), ct);
        }
    }

    private async Task<IActionResult> RefusedAsync(string problem, CancellationToken ct)
    {
        Problem = problem;
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var now = clock.Now;
        var rows = await (from u in db.Users.AsNoTracking()
                          join ur in db.UserRoles.AsNoTracking() on u.Id equals ur.UserId
                          join r in db.Roles.AsNoTracking() on ur.RoleId equals r.Id
                          join s in db.Schools.AsNoTracking() on u.SchoolId equals s.Id into ss
                          from s in ss.DefaultIfEmpty()
                          orderby u.Email
                          select new { u.Email, u.DisplayName, r.Name, School = s == null ? "" : s.Code, Disabled = u.LockoutEnd != null && u.LockoutEnd > now }).ToListAsync(ct);
        var text = Q?.Trim() ?? "";
        var held = await StaffSignIn.HeldAsync(db, rows.Select(x => x.Email ?? "").ToList(), now, ct);
        Users = rows.Select(x => new Row(x.Email ?? "", x.DisplayName, x.Name ?? "", x.School, x.Disabled, held.Contains(x.Email ?? "")))
            .Where(r => string.IsNullOrEmpty(RoleFilter) || r.Role == RoleFilter)
            .Where(r => text.Length == 0 || r.Email.Contains(text, StringComparison.OrdinalIgnoreCase) || r.School.Equals(text, StringComparison.OrdinalIgnoreCase)
                        || Files.HeaderMap.Fold(r.Name).Contains(Files.HeaderMap.Fold(text), StringComparison.OrdinalIgnoreCase))
            .ToList();
        Schools = (await db.Schools.AsNoTracking().OrderBy(s => s.Code).Select(s => new { s.Code, s.Name }).ToListAsync(ct)).Select(s => (s.Code, s.Name)).ToList();
    }
}
