using System.CommandLine;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>users: the logins of the web app. Passwords come from an environment variable named, never from the line.</summary>
public static class UserCommands
{
    private delegate Task<Said> Change(AccountChanges changes, string email, string? password, CancellationToken ct);

    public static Command Build(Terminal t) => new("users", "the logins of the web app (the audit log keeps who did what)")
    {
        Add(t),
        Changing(t, "passwd", "set a login's password (as users add takes it); its sessions end", password: true,
            (c, email, password, ct) => c.SetAsync(email, password!, ct)),
        Changing(t, "disable", "stop a login; its sessions end at once", password: false, (c, email, _, ct) => c.DisableAsync(email, null, ct)),
        Changing(t, "enable", "let a stopped login sign in again", password: false, (c, email, _, ct) => c.EnableAsync(email, ct)),
        Changing(t, "remove", "delete a login; the last active administrator cannot be disabled or removed", password: false,
            (c, email, _, ct) => c.RemoveAsync(email, null, ct)),
    };

    private static Option<string> PasswordEnv() =>
        Opt.Text("--password-env", "VAR", "the environment variable holding the password; without it a strong one is made and printed once");

    private static Command Add(Terminal t)
    {
        var email = Opt.Required("--email", "E");
        var name = Opt.Required("--name", "NAME");
        var role = Opt.Required("--role", "admin|accountant|principal|auditor");
        var school = Opt.Text("--school", "CODE", "accountants and principals belong to one school");
        var passwordEnv = PasswordEnv();
        var command = new Command("add", "a login for the web app") { email, name, role, school, passwordEnv };
        return t.OnDb(command, async run =>
        {
            var (login, roleName, schoolCode, variable) = (run.Need(email), run.Need(role), run.Get(school), run.Get(passwordEnv));
            var password = PasswordFrom(variable);
            await using var services = Accounts.Services(run.Connection);
            using var scope = services.CreateScope();
            await Accounts.AddAsync(scope.ServiceProvider.GetRequiredService<UserManager<FeesUser>>(),
                scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>(),
                scope.ServiceProvider.GetRequiredService<FeesDb>(), login, run.Need(name), roleName, schoolCode, password, run.Ct);
            AuditLog.Record(run.Db, run.Clock, run.Actor, "users.add", "user", login, new { role = roleName, school = schoolCode });
            await run.Db.SaveChangesAsync(run.Ct);
            await t.Out.WriteLineAsync($"Login {login} ({roleName}{(schoolCode is null ? "" : " of " + schoolCode.ToUpperInvariant())}) is created.");
            if (variable is null) await t.Out.WriteLineAsync($"Its password, shown once: {password}");
            return ExitCode.Ok;
        });
    }

    /// <summary>A change to one login, named by its email; passwd alone takes a password.</summary>
    private static Command Changing(Terminal t, string name, string description, bool password, Change change)
    {
        var email = new Word("EMAIL", $"users {name} takes one login: users {name} EMAIL.");
        var command = new Command(name, description) { email };
        var passwordEnv = password ? PasswordEnv() : null;
        if (passwordEnv is not null) command.Add(passwordEnv);
        return t.OnDb(command, async run =>
        {
            var variable = passwordEnv is null ? null : run.Get(passwordEnv);
            await using var services = Accounts.Services(run.Connection);
            using var scope = services.CreateScope();
            var changes = new AccountChanges(scope.ServiceProvider.GetRequiredService<UserManager<FeesUser>>(),
                scope.ServiceProvider.GetRequiredService<FeesDb>(), run.Clock, run.Actor);
            var made = password ? PasswordFrom(variable) : null;
            await t.Out.WriteLineAsync((await change(changes, run.Get(email)!, made, run.Ct)).En);
            if (password && variable is null) await t.Out.WriteLineAsync($"Its password, shown once: {made}");
            return ExitCode.Ok;
        });
    }

    /// <summary>A password from the environment variable named (never from the command line), or a strong one made here.</summary>
    private static string PasswordFrom(string? variable) =>
        variable is null
            ? "Fees-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y') + "-7a"
            : System.Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v
                : throw new BadInputException("--password-env", null, null, $"the environment variable {variable} is not set (passwords are passed by name, never on the command line).");
}
