using System.CommandLine;
using TdmEdu.Fees.Api.Application.Roster;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>schools, students, schedule: what the authority imports before billing, and a pupil's move.</summary>
public static class RosterCommands
{
    public static IEnumerable<Command> Build(Terminal t)
    {
        yield return new Command("schools", "the schools and their bank accounts") { Schools(t), Limits(t) };
        yield return new Command("students", "the roster") { Students(t), Transfer(t), Leave(t), Return(t) };
        yield return new Command("schedule", "a school year's fee items and policy groups") { Schedule(t) };
        yield return new Command("ceilings", "the city's ceilings per kind of item, area and school year") { CeilingsImport(t) };
        yield return new Command("attendance", "days pupils were absent, for the refunds of per-day items") { Attendance(t) };
    }

    private static Command CeilingsImport(Terminal t)
    {
        var file = File();
        var command = new Command("import", "the ceilings (CSV or XLSX); a school year's list replaces the one before") { file };
        return t.OnDb(command, async run =>
        {
            var path = run.Get(file)!;
            var r = await new Ceilings(run.Db, run.Clock, run.Actor).ImportAsync(path, run.Ct);
            await t.Out.WriteLineAsync($"{Path.GetFileName(path)}: {r.Ceilings} ceiling(s) for {string.Join(", ", r.SchoolYears)}.");
            return ExitCode.Ok;
        });
    }

    private static Command Attendance(Terminal t)
    {
        var file = File();
        var school = Opt.Text("--school", "CODE", "take only this school's pupils (a school's own file)");
        var command = new Command("import", "absences per pupil and month, or per pupil and day (CSV or XLSX); a month given again replaces it") { file, school };
        return t.OnDb(command, async run =>
        {
            var path = run.Get(file)!;
            var r = await new Application.Attendance.AttendanceStore(run.Db, run.Clock, run.Actor).ImportAsync(path, run.Get(school)?.ToUpperInvariant(), run.Ct);
            await t.Out.WriteLineAsync($"{Path.GetFileName(path)}: {r.Added} pupil-month(s) added, {r.Changed} changed, {r.Unchanged} unchanged.");
            if (r.BilledAgain.Count > 0)
                await t.Out.WriteLineAsync($"Pupils who had left, their last month billed again with the absences given back: {string.Join(", ", r.BilledAgain)}.");
            return ExitCode.Ok;
        });
    }

    private static Word File() => new("FILE", "give the file to import.");

    private static Command Schools(Terminal t)
    {
        var file = File();
        var command = new Command("import", "schools and bank accounts (CSV or XLSX); a known school is updated") { file };
        return t.OnDb(command, async run =>
        {
            var path = run.Get(file)!;
            var r = await new SchoolImport(run.Db, run.Clock, run.Actor).ImportAsync(path, run.Ct);
            await t.Out.WriteLineAsync($"{Path.GetFileName(path)}: {r.SchoolsAdded} school(s) added, {r.SchoolsChanged} changed; " +
                $"{r.AccountsAdded} bank account(s) added, {r.AccountsChanged} changed; {r.Unchanged} school(s) unchanged.");
            return ExitCode.Ok;
        });
    }

    /// <summary>The counter's limits: a school's most for one cash payment, and the authority's limit above which a correction waits for the principal.</summary>
    private static Command Limits(Terminal t)
    {
        var school = Opt.Text("--school", "CODE", "the school whose cash limit is set");
        var cash = Opt.Amount("--cash-limit", required: false, "the most one cash payment at this school's counter may be, whole đồng");
        var approval = Opt.Amount("--approval-limit", required: false, "above this a reversal, a replaced receipt or a refund waits for the principal (every school)");
        var command = new Command("limits", "show or set the cash limit of a school and the authority's approval limit") { school, cash, approval };
        return t.OnDb(command, async run =>
        {
            var authority = await Persistence.Authorities.GetOrCreateAsync(run.Db, run.Ct);
            if (run.Get(approval) is { } a)
            {
                authority.CorrectionApprovalLimitVnd = a;
                Persistence.AuditLog.Record(run.Db, run.Clock, run.Actor, "authority.limits", "authority", authority.Id.ToString(), new { approval_limit_vnd = a });
            }
            Persistence.School? s = null;
            if (run.Get(school) is { } code)
            {
                s = await run.Db.Schools.SingleOrDefaultAsync(x => x.Code == code.ToUpperInvariant(), run.Ct)
                    ?? throw new BadInputException("--school", null, null, $"there is no school {code}.", $"không có trường {code}.");
                if (run.Get(cash) is { } c)
                {
                    s.CashLimitVnd = c;
                    Persistence.AuditLog.Record(run.Db, run.Clock, run.Actor, "schools.limits", "school", s.Id.ToString(), new { cash_limit_vnd = c });
                }
            }
            else if (run.Get(cash) is not null) throw new BadInputException("--cash-limit", null, null, "give the school with --school.", "hãy chỉ rõ trường bằng --school.");
            await run.Db.SaveChangesAsync(run.Ct);
            await t.Out.WriteLineAsync($"approval limit: {Values.Money(authority.CorrectionApprovalLimitVnd)}" +
                (s is null ? "" : $"; {s.Code} cash limit: {Values.Money(s.CashLimitVnd ?? Persistence.School.DefaultCashLimitVnd)}"));
            return ExitCode.Ok;
        });
    }

    private static Command Students(Terminal t)
    {
        var file = File();
        var command = new Command("import", "the roster (CSV or XLSX); payment codes are assigned here, once") { file };
        return t.OnDb(command, async run =>
        {
            var path = run.Get(file)!;
            var r = await new StudentImport(run.Db, run.Clock, run.Actor).ImportAsync(path, run.Ct);
            await t.Out.WriteLineAsync($"{Path.GetFileName(path)}: {r.Added} student(s) added, {r.Changed} changed, " +
                $"{r.Transferred} transferred between schools, {r.Unchanged} unchanged.");
            return ExitCode.Ok;
        });
    }

    private static Command Transfer(Terminal t)
    {
        var student = Opt.Required("--student", "CODE");
        var to = Opt.Required("--to", "SCHOOL");
        var reason = Opt.Required("--reason", "TEXT");
        var className = Opt.Text("--class", "NAME", "the class at the new school (default: the same name)");
        var command = new Command("transfer",
            "move a pupil to another school (same payment code and history; open notices stay with the old school)") { student, to, reason, className };
        return t.OnDb(command, async run =>
        {
            var done = await new StudentTransfers(run.Db, run.Clock, run.Actor).TransferAsync(run.Need(student), run.Need(to), run.Get(className), run.Need(reason), run.Ct);
            await t.Out.WriteLineAsync(done.Said.En);
            return ExitCode.Ok;
        });
    }

    private static Command Leave(Terminal t)
    {
        var student = Opt.Required("--student", "CODE");
        var on = Opt.Required("--on", "DATE", "the pupil's last day (dd/MM/yyyy or yyyy-MM-dd)");
        var reason = Opt.Required("--reason", "TEXT");
        var refund = Opt.Text("--refund", "credit|cash", "what the family paid beyond the last month: held for the pupil (credit, the default) or paid back in cash now");
        var command = new Command("leave",
            "a pupil leaves: later notices withdrawn, the last month billed again by its days with every absence given back") { student, on, reason, refund };
        return t.OnDb(command, async run =>
        {
            var day = Values.ParseDate(run.Need(on), out var why)
                ?? throw new BadInputException("--on", null, null, why!.En, why.Vi);
            var how = run.Get(refund) ?? "credit";
            if (how is not ("credit" or "cash")) throw new BadInputException("--refund", null, null, $"\"{how}\" is not credit or cash.", $"\"{how}\" không phải credit hoặc cash.");
            var done = await new Application.Pupils.Leavers(run.Db, run.Clock, run.Actor).LeaveAsync(run.Need(student), day, run.Need(reason), how == "cash", ct: run.Ct);
            await t.Out.WriteLineAsync(done.En);
            return ExitCode.Ok;
        });
    }

    private static Command Return(Terminal t)
    {
        var student = Opt.Required("--student", "CODE");
        var reason = Opt.Required("--reason", "TEXT");
        var command = new Command("return",
            "undo a pupil's leave recorded by mistake: the months from the leaving month billed as if the pupil never left") { student, reason };
        return t.OnDb(command, async run =>
        {
            var done = await new Application.Pupils.Leavers(run.Db, run.Clock, run.Actor).ReturnAsync(run.Need(student), run.Need(reason), ct: run.Ct);
            await t.Out.WriteLineAsync(done.En);
            return ExitCode.Ok;
        });
    }

    private static Command Schedule(Terminal t)
    {
        var file = File();
        var command = new Command("import", "a school year's fee schedule (JSON); import it before the roster") { file };
        return t.OnDb(command, async run =>
        {
            var path = run.Get(file)!;
            var r = await new ScheduleImport(run.Db, run.Clock, run.Actor).ImportAsync(path, run.Ct);
            await t.Out.WriteLineAsync(r.Changed
                ? $"{Path.GetFileName(path)}: school year {r.SchoolYear}: {r.ItemsAdded} item(s) added, {r.ItemsChanged} changed, {r.ItemsRetired} retired; " +
                  $"{r.PoliciesAdded} policy group(s) added, {r.PoliciesChanged} changed, {r.PoliciesRetired} retired."
                : $"{Path.GetFileName(path)}: school year {r.SchoolYear} is unchanged.");
            return ExitCode.Ok;
        });
    }
}
