using System.CommandLine;
using System.Globalization;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Domain.Notices;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>db migrate, seed demo, docs diagram: setting a database up and writing what the code documents.</summary>
public static class SetupCommands
{
    public static IEnumerable<Command> Build(Terminal t)
    {
        yield return new Command("db", "the database itself") { Migrate(t) };
        yield return new Command("seed", "demo data") { Demo(t), Province(t) };
        yield return new Command("docs", "documents generated from the code") { Diagram(t) };
    }

    private static Command Migrate(Terminal t)
    {
        var command = new Command("migrate", "apply database migrations (./fees up does it too)");
        return t.OnDb(command, async run =>
        {
            var applied = await Database.MigrateAsync(run.Db, run.Ct);
            await t.Out.WriteLineAsync(applied == 0 ? "The database is up to date." : $"Applied {applied} migration(s); the database is up to date.");
            return ExitCode.Ok;
        });
    }

    private static Command Demo(Terminal t)
    {
        var students = Opt.Count("--students", "N", string.Create(CultureInfo.InvariantCulture, $"how many pupils (default {DemoSeeder.CityStudents:N0}, the seed city's)"));
        var schools = Opt.Count("--schools", "N", $"over how many schools (default {DemoSeeder.CitySchools})");
        var seed = Opt.Count("--seed", "N", "the random seed, so the same demo comes out again");
        var command = new Command("demo", "a realistic demo authority, migrating first") { students, schools, seed };
        return t.OnDb(command, async run =>
        {
            var schoolCount = run.Get(schools) ?? DemoSeeder.CitySchools;
            var studentCount = run.Get(students) ?? DemoSeeder.CityStudents;
            if (schoolCount < 1 || studentCount < schoolCount) throw new UsageException("seed demo needs at least one school and one student per school.");
            await Database.MigrateAsync(run.Db, run.Ct);
            var progress = Console.IsErrorRedirected ? null : new LineProgress(t.Err);
            var summary = await new DemoSeeder(run.Db, run.Clock, run.Actor, run.Get(seed) ?? 20250905).SeedAsync(schoolCount, studentCount, progress, run.Ct);
            await t.Out.WriteLineAsync(summary);
            return ExitCode.Ok;
        });
    }

    private static Command Province(Terminal t)
    {
        var students = Opt.Count("--students", "N", string.Create(CultureInfo.InvariantCulture, $"how many pupils (default {ProvinceSeeder.ProvinceStudents:N0})"));
        var schools = Opt.Count("--schools", "N", string.Create(CultureInfo.InvariantCulture, $"over how many schools (default {ProvinceSeeder.ProvinceSchools:N0})"));
        var wards = Opt.Count("--wards", "N", $"in how many wards (default {ProvinceSeeder.ProvinceWards})");
        var seed = Opt.Count("--seed", "N", "the random seed, so the same province comes out again");
        var command = new Command("province", "a simulated school year of a province for the benchmarks: ten monthly billings and their collection, migrating first")
        {
            students, schools, wards, seed,
        };
        return t.OnDb(command, async run =>
        {
            var (schoolCount, studentCount, wardCount) = (run.Get(schools) ?? ProvinceSeeder.ProvinceSchools, run.Get(students) ?? ProvinceSeeder.ProvinceStudents,
                run.Get(wards) ?? ProvinceSeeder.ProvinceWards);
            if (schoolCount < 1 || studentCount < schoolCount || wardCount < 1)
                throw new UsageException("seed province needs at least one school, one ward and one student per school.");
            await Database.MigrateAsync(run.Db, run.Ct);
            var progress = Console.IsErrorRedirected ? null : new LineProgress(t.Err);
            await t.Out.WriteLineAsync(await new ProvinceSeeder(run.Db, run.Actor, run.Get(seed) ?? 20250905).SeedAsync(schoolCount, studentCount, wardCount, progress, run.Ct));
            return ExitCode.Ok;
        });
    }

    private static Command Diagram(Terminal t)
    {
        var output = Opt.Text("--out", "FILE", "where to write it (default: standard output)");
        var command = new Command("diagram", "write the notice lifecycle diagram (Graphviz DOT)") { output };
        return Terminal.Does(command, async (parsed, ct) =>
        {
            var dot = NoticeLifecycle.ToDotGraph();
            if (parsed.GetValue(output) is { } path) await File.WriteAllTextAsync(path, dot, ct);
            else await t.Out.WriteAsync(dot);
            return ExitCode.Ok;
        });
    }
}
