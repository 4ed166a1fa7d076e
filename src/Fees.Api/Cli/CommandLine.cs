using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Application.Billing;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Application.Review;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Hosting;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.VietQr;
using TdmEdu.Fees.Domain.Notices;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Cli;

/// <summary>
/// The `fees` command (contracts/cli.md). Exit codes: 0 done, 1 usage, 2 bad input (nothing written),
/// 3 refused by a business rule, 4 environment problem. Errors are sentences on stderr, never stack traces.
/// </summary>
public sealed class CommandLine(TextWriter stdout, TextWriter stderr, TimeProvider time)
{
    public const int Ok = 0, Usage = 1, BadInput = 2, Refused = 3, Environment = 4;

    public const string UsageText = """
        usage: fees [--db "<connection string>"] COMMAND ...

          up [--port 5080] [--no-demo]      run the service with its demo data (via ./fees)
          test | down                       run all tests | stop the local PostgreSQL (via ./fees)
          db migrate                        apply database migrations
          seed demo [--students N] [--schools N]
          schools import FILE               schools and bank accounts (CSV or XLSX)
          students import FILE              the roster (CSV or XLSX)
          students transfer --student CODE --to SCHOOL --reason TEXT [--class NAME]
                                            move a pupil to another school (same payment code and history; open
                                            notices stay with the old school); --class defaults to the same name
          schedule import FILE              a school year's fee schedule (JSON)
          notices issue --period YYYY-MM [--school CODE] [--dry-run]
          notices export --period YYYY-MM [--school CODE] --out FILE(.csv|.xlsx)
          notices close --period YYYY-MM [--school CODE]
          notices cancel --notice NO --reason TEXT
          payments cash --notice NO --amount N [--payer NAME] [--ref KEY]
          payments reverse --receipt REF --reason TEXT
          payments refund --student CODE --amount N --reason TEXT
          receipts cancel --receipt REF --reason TEXT
          audit                             check the ledger invariants
          qr encode --bank BIN|CODE --account NO [--amount N] [--purpose TEXT] [--png FILE]
          qr decode (PAYLOAD | --png FILE)  print a VietQR payload's fields as JSON
          statements parse FILE [--format auto|camt053|mt940|bidv-fileout|vcb-xlsx|bidv-xlsx|msb-xlsx]   JSON lines
          statements import FILE --bank BIDV|VCB|MSB --account NO [--format ...]   store a statement (idempotent per line)
          statements pull [--school CODE] [--vcb-api URL] [--msb-api URL]   fetch statements from the banks' APIs now
                                            (the job does it every 30 minutes; addresses default to FEES_VCB_API, FEES_MSB_API)
          reconcile [--bank CODE]           decide every imported statement line not yet decided
          reconcile export [--from DATE] [--to DATE] --out FILE   one row per bank transaction with its outcome
          reconcile crosscheck [--settlement-days 2] --out FILE   notifications vs statements, both ways
          report collection (--period YYYY-MM | --year YYYY-YYYY) [--by school|class|item|ward|level] --out FILE
          review list                       everything waiting for a person: unmatched lines, parked money, held or failed bank calls
          review confirm ID [--student CODE] --reason TEXT | review reassign ID --student CODE --reason TEXT
          review split ID --to STUDENT=AMOUNT,STUDENT=AMOUNT[,...] --reason TEXT   the money over several students
          review ignore ID --reason TEXT | review undo ID --reason TEXT
          bank-sim pay --notice NO --via bidv|vcb|msb [--amount N] [--duplicates K] [--reverse] [--url URL]
          bank-sim secrets                  the sandbox banks' credentials (generated locally on first use)
          inbox process                     apply stored bank calls now (the service's worker does it too)
          banks configure --school CODE --bank BIDV|VCB|MSB [--service-id ID] [--username U] [--password-env VAR]
                          [--secret-env VAR] [--va-prefix P] [--vcb-public-key FILE.pem]
                          [--client-id ID --client-secret-env VAR]   (Vietcombank statement API)
          banks check                       list every school account whose bank settings are missing or unusable
          users add --email E --name NAME --role admin|accountant|principal|auditor [--school CODE] [--password-env VAR]
                                            a login for the web app (accountants and principals belong to one school);
                                            without --password-env a strong password is made and printed once
          users passwd EMAIL [--password-env VAR]   set a login's password (as users add takes it); its sessions end
          users disable EMAIL | users enable EMAIL  stop a login (its sessions end at once) or let it sign in again
          users remove EMAIL                the login is deleted (the audit log keeps who did what); the last active
                                            administrator cannot be disabled or removed

          docs diagram [--out FILE]         write the notice lifecycle diagram (Graphviz DOT)
          bench billing|ingest|qr           benchmarks beside their baselines (via ./fees; docs/benchmarks.md)

        Files have limits (exit 2 naming the file and the limit, nothing written): a roster 30 MB and 100,000 pupils,
        schools 5 MB and 10,000 rows, a schedule 1 MB, a statement 100 MB and 500,000 lines; an XLSX 20 MB, unpacking
        to 256 MB, 100 columns; the first 200 problems are listed, then how many more (docs/operations.md).

        A receipt REF is what `payments cash` prints: SCHOOL/TEMPLATE/SERIES/NUMBER, e.g. TS01/01BLP0-001/AA-25E/0000012.
        """;

    public async Task<int> RunAsync(string[] argv, CancellationToken ct = default)
    {
        try
        {
            var words = argv.ToList();
            string? db = null;
            while (words.Count > 0 && words[0].StartsWith("--", StringComparison.Ordinal))
            {
                if (words[0] == "--db" && words.Count > 1) { db = words[1]; words.RemoveRange(0, 2); }
                else if (words[0] is "--help" or "-h") { await stdout.WriteAsync(UsageText); return Ok; }
                else throw new UsageException($"unknown global option {words[0]}.");
            }
            if (words.Count == 0 || words[0] is "help" or "-h") { await stdout.WriteAsync(UsageText); return words.Count == 0 ? Usage : Ok; }
            db ??= System.Environment.GetEnvironmentVariable("FEES_DB");
            return await DispatchAsync(words, db, ct);
        }
        catch (UsageException e)
        {
            await stderr.WriteLineAsync($"fees: {e.Message}");
            await stderr.WriteLineAsync("Run `fees help` for the list of commands.");
            return Usage;
        }
        catch (BadInputException e)
        {
            // At most BadInputException.MaxReported, then a line counting the rest.
            foreach (var p in e.Problems) await stderr.WriteLineAsync(p.ToString());
            await stderr.WriteLineAsync("Nothing was written.");
            return BadInput;
        }
        catch (BusinessRuleException e)
        {
            await stderr.WriteLineAsync($"Refused: {e.Message} Nothing was written.");
            return Refused;
        }
        catch (EnvironmentProblemException e)
        {
            await stderr.WriteLineAsync(e.Message);
            return Environment;
        }
        catch (Exception e) when (Unreachable(e))
        {
            await stderr.WriteLineAsync($"Cannot reach the database: {Inner(e).Message}. Start it with ./fees up, or give --db / FEES_DB.");
            return Environment;
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException || Inner(e) is PostgresException { SqlState: "23505" or "40001" or "40P01" })
        {
            await stderr.WriteLineAsync("Refused: someone else changed the same records at the same moment; nothing was written. Run the command again.");
            return Refused;
        }
        catch (OperationCanceledException)
        {
            await stderr.WriteLineAsync("Stopped before the end; what was not committed was rolled back.");
            return Environment;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await stderr.WriteLineAsync($"A file could not be read or written: {e.Message}");
            return Environment;
        }
        catch (Exception e)
        {
            // A fault of ours. The transaction is rolled back; the type tells a developer where to look.
            await stderr.WriteLineAsync($"Unexpected problem ({e.GetType().Name}): {e.Message} Nothing was written.");
            return Environment;
        }
    }

    /// <summary>A password from the environment variable named (never from the command line), or a strong one made here.</summary>
    private static string PasswordFrom(string? variable) =>
        variable is null
            ? "Fees-" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y') + "-7a"
            : System.Environment.GetEnvironmentVariable(variable) is { Length: > 0 } v ? v
                : throw new BadInputException("--password-env", null, null, $"the environment variable {variable} is not set (passwords are passed by name, never on the command line).");

    private static Exception Inner(Exception e)
    {
        while (e.InnerException is not null && e is not PostgresException and not NpgsqlException) e = e.InnerException;
        return e;
    }

    private static bool Unreachable(Exception e) =>
        Inner(e) is NpgsqlException { InnerException: System.Net.Sockets.SocketException or TimeoutException }
        || Inner(e) is PostgresException { SqlState: "3D000" or "28P01" or "28000" or "57P03" }
        || e is InvalidOperationException && e.Message.Contains("database", StringComparison.OrdinalIgnoreCase) && e.InnerException is NpgsqlException;

    private async Task<int> DispatchAsync(List<string> words, string? connection, CancellationToken ct)
    {
        var cmd = words[0];
        var sub = words.Count > 1 ? words[1] : "";
        var key = cmd switch
        {
            "db" or "seed" or "users" or "schools" or "students" or "schedule" or "notices" or "payments" or "receipts" or "docs" or "qr" or "bank-sim" or "inbox" or "banks" or "statements" => $"{cmd} {sub}",
            "reconcile" when sub is "export" or "crosscheck" => $"{cmd} {sub}",
            "report" or "review" => $"{cmd} {sub}",
            _ => cmd,
        };
        var args = new Args(words.Skip(key.Contains(' ') ? 2 : 1).ToList());

        if (key == "docs diagram")
        {
            var outPath = args.Optional("--out");
            args.NoOthers(0);
            var dot = NoticeLifecycle.ToDotGraph();
            if (outPath is null) await stdout.WriteAsync(dot);
            else await File.WriteAllTextAsync(outPath, dot, ct);
            return Ok;
        }

        if (key is "qr encode" or "qr decode") return await QrAsync(key, args);

        if (key == "statements parse")
        {
            var format = args.Optional("--format") ?? "auto";
            args.NoOthers(1);
            if (args.Positional.Count != 1) throw new UsageException("give the statement file.");
            foreach (var line in Files.StatementFiles.Parse(args.Positional[0], format, null, ct))
                await stdout.WriteLineAsync(Files.StatementFiles.ToJson(line));
            return Ok;
        }

        if (key is not ("db migrate" or "seed demo" or "schools import" or "students import" or "students transfer" or "schedule import"
            or "notices issue" or "notices export" or "notices pdf" or "notices close" or "notices cancel" or "payments cash"
            or "payments reverse" or "payments refund" or "receipts cancel" or "audit" or "serve"
            or "bank-sim pay" or "bank-sim secrets" or "inbox process" or "banks configure" or "banks check" or "statements import" or "statements pull" or "reconcile" or "reconcile export" or "reconcile crosscheck" or "report collection"
            or "review list" or "review confirm" or "review reassign" or "review split" or "review ignore" or "review undo" or "users add"
            or "users passwd" or "users disable" or "users enable" or "users remove"))
            throw new UsageException($"unknown command \"{string.Join(' ', words.Take(2))}\".");

        if (key == "serve") return await ServeAsync(args, connection, ct);

        var clock = new BusinessClock(time);
        var actor = Actor.FromEnvironment();
        await using var db = Database.Open(connection);

        switch (key)
        {
            case "db migrate":
            {
                args.NoOthers(0);
                var applied = await Database.MigrateAsync(db, ct);
                await stdout.WriteLineAsync(applied == 0 ? "The database is up to date." : $"Applied {applied} migration(s); the database is up to date.");
                return Ok;
            }
            case "seed demo":
            {
                var students = args.Int("--students") ?? DemoSeeder.CityStudents;
                var schools = args.Int("--schools") ?? DemoSeeder.CitySchools;
                var seed = args.Int("--seed") ?? 20250905;
                args.NoOthers(0);
                if (schools < 1 || students < schools) throw new UsageException("seed demo needs at least one school and one student per school.");
                await Database.MigrateAsync(db, ct);
                var progress = Console.IsErrorRedirected ? null : new LineProgress(stderr);
                var summary = await new DemoSeeder(db, clock, actor, seed).SeedAsync(schools, students, progress, ct);
                await stdout.WriteLineAsync(summary);
                return Ok;
            }
            case "schools import":
            {
                var file = File1(args);
                var r = await new SchoolImport(db, clock, actor).ImportAsync(file, ct);
                await stdout.WriteLineAsync($"{Path.GetFileName(file)}: {r.SchoolsAdded} school(s) added, {r.SchoolsChanged} changed; " +
                    $"{r.AccountsAdded} bank account(s) added, {r.AccountsChanged} changed; {r.Unchanged} school(s) unchanged.");
                return Ok;
            }
            case "students import":
            {
                var file = File1(args);
                var r = await new StudentImport(db, clock, actor).ImportAsync(file, ct);
                await stdout.WriteLineAsync($"{Path.GetFileName(file)}: {r.Added} student(s) added, {r.Changed} changed, " +
                    $"{r.Transferred} transferred between schools, {r.Unchanged} unchanged.");
                return Ok;
            }
            case "students transfer":
            {
                var student = args.Required("--student");
                var to = args.Required("--to");
                var reason = args.Required("--reason");
                var className = args.Optional("--class");
                args.NoOthers(0);
                var done = await new StudentTransfers(db, clock, actor).TransferAsync(student, to, className, reason, ct);
                await stdout.WriteLineAsync(done.Said.En);
                return Ok;
            }
            case "schedule import":
            {
                var file = File1(args);
                var r = await new ScheduleImport(db, clock, actor).ImportAsync(file, ct);
                await stdout.WriteLineAsync(r.Changed
                    ? $"{Path.GetFileName(file)}: school year {r.SchoolYear}: {r.ItemsAdded} item(s) added, {r.ItemsChanged} changed, {r.ItemsRetired} retired; " +
                      $"{r.PoliciesAdded} policy group(s) added, {r.PoliciesChanged} changed, {r.PoliciesRetired} retired."
                    : $"{Path.GetFileName(file)}: school year {r.SchoolYear} is unchanged.");
                return Ok;
            }
            case "notices issue":
            {
                var month = Period(args);
                var school = args.Optional("--school")?.ToUpperInvariant();
                var dry = args.Flag("--dry-run");
                args.NoOthers(0);
                var r = await new MonthlyBilling(db, clock, actor).IssueAsync(month, school, dry, ct);
                await PrintBillingAsync(r);
                return Ok;
            }
            case "notices export":
            {
                var month = Period(args);
                var school = args.Optional("--school")?.ToUpperInvariant();
                var outPath = args.Required("--out");
                args.NoOthers(0);
                var n = await new NoticeExport(db, clock).WriteAsync(month, school, outPath, ct);
                await stdout.WriteLineAsync($"Wrote {n} notice(s) of {month} to {outPath}.");
                return Ok;
            }
            case "notices close":
            {
                var month = Period(args);
                var school = args.Optional("--school")?.ToUpperInvariant();
                args.NoOthers(0);
                var n = await new MonthlyBilling(db, clock, actor).CloseAsync(month, school, ct);
                await stdout.WriteLineAsync(n == 0 ? $"{month} was already closed." : $"Closed {month} for {n} school(s): no more billing; payments still apply.");
                return Ok;
            }
            case "notices cancel":
            {
                var notice = args.Required("--notice");
                var reason = args.Required("--reason");
                args.NoOthers(0);
                var (state, released) = await new Ledger(db, clock, actor).CancelNoticeAsync(notice, reason, ct);
                await stdout.WriteLineAsync(released == 0 ? $"Notice {notice} is {state.ToWire()}."
                    : $"Notice {notice} is {state.ToWire()}: {Vnd(released)} taken off it is held as the student's credit; refund it with `fees payments refund`.");
                return Ok;
            }
            case "payments cash":
            {
                var notice = args.Required("--notice");
                var amount = args.Long("--amount") ?? throw new UsageException("--amount is required.");
                var payer = args.Optional("--payer")?.Normalize(System.Text.NormalizationForm.FormC);
                var reference = args.Optional("--ref");
                args.NoOthers(0);
                var r = await new Ledger(db, clock, actor).RecordCashAsync(notice, amount, payer, reference, ct);
                await stdout.WriteLineAsync(r.ReceiptNo);
                foreach (var n in r.Notices)
                    await stdout.WriteLineAsync($"  {n.NoticeNo}: {Vnd(n.AmountVnd)} applied, balance {Vnd(n.BalanceVnd)}, {n.Status}");
                if (r.CreditVnd > 0) await stdout.WriteLineAsync($"  {Vnd(r.CreditVnd)} held as the student's credit for the next notice");
                return Ok;
            }
            case "payments reverse":
            {
                var receipt = args.Required("--receipt");
                var reason = args.Required("--reason");
                args.NoOthers(0);
                var rev = await new Ledger(db, clock, actor).ReversePaymentAsync(receipt, reason, ct);
                await stdout.WriteLineAsync($"Reversed the payment of {Vnd(-rev.AmountVnd)} on receipt {receipt}; the receipt is cancelled.");
                return Ok;
            }
            case "payments refund":
            {
                var student = args.Required("--student");
                var amount = args.Long("--amount") ?? throw new UsageException("--amount is required.");
                var reason = args.Required("--reason");
                args.NoOthers(0);
                var left = await new Ledger(db, clock, actor).RefundCreditAsync(student, amount, reason, ct);
                await stdout.WriteLineAsync($"Refunded {Vnd(amount)} of student {student}'s credit; {Vnd(left)} credit left.");
                return Ok;
            }
            case "receipts cancel":
            {
                var receipt = args.Required("--receipt");
                var reason = args.Required("--reason");
                args.NoOthers(0);
                var replacement = await new Ledger(db, clock, actor).CancelReceiptAsync(receipt, reason, ct);
                await stdout.WriteLineAsync($"Receipt {receipt} is cancelled and keeps its number; its replacement is {replacement}.");
                return Ok;
            }
            case "audit":
            {
                args.NoOthers(0);
                var report = await new LedgerAudit(db).RunAsync(ct);
                foreach (var f in report.Findings) await stderr.WriteLineAsync($"FAIL  {f.Check}: {f.Row}: {f.Problem}");
                foreach (var c in report.ChecksRun.Where(c => report.Findings.All(f => f.Check != c)))
                    await stdout.WriteLineAsync($"ok    {c}");
                await stdout.WriteLineAsync(report.Passed
                    ? $"audit passed: {report.ChecksRun.Count} checks."
                    : $"audit FAILED: {report.Findings.Count} finding(s) in {report.Findings.Select(f => f.Check).Distinct().Count()} check(s).");
                return report.Passed ? Ok : Refused;
            }
            case "bank-sim secrets":
            {
                args.NoOthers(0);
                var creds = await new BankSandbox(db, SecretBox.FromEnvironment()).EnsureAsync(ct);
                var json = creds.Select(c => new Dictionary<string, object?>
                {
                    ["school_code"] = c.SchoolCode, ["bank"] = c.Bank, ["account_no"] = c.AccountNo,
                    ["bidv"] = c.Bidv is null ? null : new { service_id = c.Bidv.ServiceId, username = c.Bidv.Username, password = c.Bidv.Password, secret = c.Bidv.Secret, va_prefix = c.Bidv.VaPrefix },
                    ["vcb"] = c.Vcb is null ? null : new { private_key_pem = c.Vcb.PrivateKeyPem },
                    ["msb"] = c.Msb is null ? null : new { secret = c.Msb.Secret, va_prefix = c.Msb.VaPrefix },
                });
                await stdout.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(json, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return Ok;
            }
            case "bank-sim pay":
            {
                var notice = args.Required("--notice");
                var via = args.Required("--via");
                var amount = args.Long("--amount");
                var duplicates = args.Int("--duplicates") ?? 0;
                var reverse = args.Flag("--reverse");
                var url = args.Optional("--url") ?? System.Environment.GetEnvironmentVariable("FEES_URL") ?? "http://127.0.0.1:5080";
                args.NoOthers(0);
                using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
                List<BankSimulator.Sent> sent;
                try
                {
                    sent = await new BankSimulator(http, db, SecretBox.FromEnvironment(), clock).PayAsync(notice, via, amount, duplicates, reverse, ct);
                }
                catch (HttpRequestException e)
                {
                    throw new EnvironmentProblemException($"The service at {url} did not answer ({e.Message}); start it with ./fees up.");
                }
                foreach (var x in sent) await stdout.WriteLineAsync($"{x.What}: HTTP {x.Status} {x.Answer}");
                return sent.All(x => x.Status == 200) ? Ok : Refused;
            }
            case "banks configure":
            {
                var school = args.Required("--school").ToUpperInvariant();
                var bank = args.Required("--bank").ToUpperInvariant();
                string? FromEnv(string option)
                {
                    var name = args.Optional(option);
                    if (name is null) return null;
                    return System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } v ? v
                        : throw new BadInputException(option, null, null, $"the environment variable {name} is not set (secrets are passed by name, never on the command line).");
                }
                var serviceId = args.Optional("--service-id");
                var username = args.Optional("--username");
                var password = FromEnv("--password-env");
                var secret = FromEnv("--secret-env");
                var vaPrefix = args.Optional("--va-prefix");
                var keyFile = args.Optional("--vcb-public-key");
                var clientId = args.Optional("--client-id");
                var clientSecret = FromEnv("--client-secret-env");
                args.NoOthers(0);
                string? pem = null;
                if (keyFile is not null)
                {
                    if (!File.Exists(keyFile)) throw new BadInputException(Path.GetFileName(keyFile), null, null, "the file does not exist.");
                    pem = await File.ReadAllTextAsync(keyFile, ct);
                }
                await BankSettings.ConfigureAsync(db, SecretBox.FromEnvironment(), clock, actor, school, bank,
                    new BankSettings.Change(serviceId, username, password, secret, vaPrefix, clientId, clientSecret, pem), ct);
                await stdout.WriteLineAsync($"The {bank} settings of school {school} are saved and complete.");
                return Ok;
            }
            case "banks check":
            {
                args.NoOthers(0);
                var box = SecretBox.FromEnvironment();
                var accounts = await (from a in db.BankAccounts.AsNoTracking() join sc in db.Schools.AsNoTracking() on a.SchoolId equals sc.Id
                                      orderby sc.Code, a.Position select new { a, sc.Code }).ToListAsync(ct);
                var problems = accounts.SelectMany(x => BankSettings.Check(x.a, x.Code, box)).ToList();
                foreach (var p in problems) await stderr.WriteLineAsync(p.En);
                await stdout.WriteLineAsync(problems.Count == 0
                    ? $"All {accounts.Count} bank accounts are configured."
                    : $"{problems.Count} problem(s) in {accounts.Count} bank accounts; calls for those accounts are refused until they are fixed.");
                return problems.Count == 0 ? Ok : Refused;
            }
            case "statements import":
            {
                var bank = args.Required("--bank");
                var account = args.Required("--account");
                var format = args.Optional("--format") ?? "auto";
                var file = File1(args);
                var r = await new StatementImporter(db, clock, actor) { Progress = new LineProgress(stderr) }.ImportAsync(file, bank, account, format, ct);
                await stdout.WriteLineAsync($"{Path.GetFileName(file)}: {r.Lines} line(s), {r.Inserted} new, {r.Skipped} already imported (skipped).");
                foreach (var w in r.Warnings) await stdout.WriteLineAsync($"Warning: {w}");
                return Ok;
            }
            case "users add":
            {
                var email = args.Required("--email");
                var name = args.Required("--name");
                var role = args.Required("--role");
                var school = args.Optional("--school");
                var passwordVar = args.Optional("--password-env");
                args.NoOthers(0);
                var password = PasswordFrom(passwordVar);
                await using var services = Web.Accounts.Services(Database.RequireConnectionString(connection));
                using var scope = services.CreateScope();
                await Web.Accounts.AddAsync(scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<FeesUser>>(),
                    scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole<Guid>>>(),
                    scope.ServiceProvider.GetRequiredService<FeesDb>(), email, name, role, school, password, ct);
                AuditLog.Record(db, clock, actor, "users.add", "user", email, new { role, school });
                await db.SaveChangesAsync(ct);
                await stdout.WriteLineAsync($"Login {email} ({role}{(school is null ? "" : " of " + school.ToUpperInvariant())}) is created.");
                if (passwordVar is null) await stdout.WriteLineAsync($"Its password, shown once: {password}");
                return Ok;
            }
            case "users passwd" or "users disable" or "users enable" or "users remove":
            {
                var passwordVar = key == "users passwd" ? args.Optional("--password-env") : null;
                args.NoOthers(1);
                if (args.Positional.Count != 1) throw new UsageException($"{key} takes one login: {key} EMAIL.");
                var email = args.Positional[0];
                await using var services = Web.Accounts.Services(Database.RequireConnectionString(connection));
                using var scope = services.CreateScope();
                var changes = new Web.AccountChanges(scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<FeesUser>>(),
                    scope.ServiceProvider.GetRequiredService<FeesDb>(), clock, actor);
                string? made = null;
                var said = key switch
                {
                    "users passwd" => await changes.SetAsync(email, made = PasswordFrom(passwordVar), ct),
                    "users disable" => await changes.DisableAsync(email, null, ct),
                    "users enable" => await changes.EnableAsync(email, ct),
                    _ => await changes.RemoveAsync(email, null, ct),
                };
                await stdout.WriteLineAsync(said.En);
                if (key == "users passwd" && passwordVar is null) await stdout.WriteLineAsync($"Its password, shown once: {made}");
                return Ok;
            }
            case "notices pdf":
            {
                var periodText = args.Required("--period");
                var school = args.Required("--school");
                var className = args.Optional("--class");
                var outPath = args.Required("--out");
                var perPage = args.Int("--per-page") ?? 1;
                args.NoOthers(0);
                if (!BillingMonth.TryParse(periodText, out var month)) throw new BadInputException("--period", null, null, $"\"{periodText}\" is not a month like 2025-09.");
                var (pdf, count) = await new Printing.NoticePdf(db, clock).RenderAsync(school, month, className, perPage, ct);
                await File.WriteAllBytesAsync(outPath, pdf, ct);
                await stdout.WriteLineAsync($"Wrote {count} notice(s) of {school.ToUpperInvariant()} for {month} to {outPath}, {(perPage == 1 ? "one page each" : "two to a page")}.");
                return Ok;
            }
            case "statements pull":
            {
                var school = args.Optional("--school")?.ToUpperInvariant();
                var apis = BankClientOptions.From(args.Optional("--vcb-api"), args.Optional("--msb-api"));
                args.NoOthers(0);
                if (apis.VcbBase is null && apis.MsbBase is null)
                    throw new EnvironmentProblemException($"No bank statement API address is set: give --vcb-api or --msb-api, or set {BankClientOptions.VcbVariable} or {BankClientOptions.MsbVariable}.");
                await using var services = new ServiceCollection().AddBankStatementClients(apis).BuildServiceProvider();
                var results = await new StatementPull(db, clock, SecretBox.FromEnvironment(), services, time, actor).PullAsync(school, ct);
                if (results.Count == 0)
                {
                    await stdout.WriteLineAsync("No account is set up for statement pulls (Vietcombank: banks configure --client-id; MSB: --secret-env), or its bank's API address is not set.");
                    return Ok;
                }
                foreach (var r in results)
                    if (r.Problem is null) await stdout.WriteLineAsync($"{r.School} {r.Bank} {r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd}: {r.Imported!.Lines} line(s), {r.Imported.Inserted} new, {r.Imported.Skipped} already imported (skipped).");
                    else await stderr.WriteLineAsync($"{r.School} {r.Bank} {r.From:yyyy-MM-dd}..{r.To:yyyy-MM-dd}: {r.Problem}");
                return results.Any(r => r.Problem is not null) ? Refused : Ok;
            }
            case "reconcile":
            {
                var bank = args.Optional("--bank")?.ToUpperInvariant();
                args.NoOthers(0);
                var counts = await new Reconciler(db, clock, actor) { Progress = new LineProgress(stderr) }.RunAsync(bank, ct);
                await stdout.WriteLineAsync(counts.Count == 0 ? "Nothing to reconcile: every imported statement line has its outcome."
                    : "Reconciled " + string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Value} {c.Key}")) + ".");
                return Ok;
            }
            case "reconcile export":
            {
                DateOnly? Date(string option)
                {
                    var v = args.Optional(option);
                    if (v is null) return null;
                    return DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                        ? d : throw new UsageException($"{option}: \"{v}\" is not a date like 2025-09-30.");
                }
                var from = Date("--from");
                var to = Date("--to");
                var outPath = args.Required("--out");
                args.NoOthers(0);
                var n = await new ReconcileExport(db).WriteAsync(from, to, outPath, ct);
                await stdout.WriteLineAsync($"Wrote {n} bank transaction(s) to {outPath}.");
                return Ok;
            }
            case "reconcile crosscheck":
            {
                var days = args.Int("--settlement-days") ?? 2;
                var outPath = args.Required("--out");
                args.NoOthers(0);
                var n = await new CrossCheck(db, clock).WriteAsync(days, outPath, ct);
                await stdout.WriteLineAsync($"Wrote {n} row(s) to {outPath}: notifications without a statement line after {days} day(s), and statement credits without a notification.");
                return Ok;
            }
            case "report collection":
            {
                var periodText = args.Optional("--period");
                var yearText = args.Optional("--year");
                var by = args.Optional("--by") ?? "school";
                var outPath = args.Required("--out");
                args.NoOthers(0);
                int fromKey, toKey;
                string label;
                if (periodText is not null && yearText is null && BillingMonth.TryParse(periodText, out var m))
                    (fromKey, toKey, label) = (m.Key, m.Key, m.ToString());
                else if (yearText is not null && periodText is null && SchoolYear.TryParse(yearText, out var y))
                    (fromKey, toKey, label) = (y.MonthOf(SchoolYear.FirstMonth).Key, y.MonthOf(SchoolYear.FirstMonth - 1).Key, y.ToString());
                else throw new UsageException("give either --period YYYY-MM or --year YYYY-YYYY.");
                var n = await new CollectionReport(db).WriteAsync(label, fromKey, toKey, by, outPath, ct);
                await stdout.WriteLineAsync($"Wrote {n} row(s) of collection for {label} by {by} to {outPath}.");
                return Ok;
            }
            case "review list":
            {
                args.NoOthers(0);
                var items = await new ReviewQueue(db, clock, actor).ListAsync(null, ct);
                foreach (var i in items)
                {
                    await stdout.WriteLineAsync($"{i.Id}  {i.Bank}  {i.BookingDate:yyyy-MM-dd}  {Vnd(i.AmountVnd),16}  {i.Outcome}  {(i.Content.Length > 60 ? i.Content[..60] + "…" : i.Content)}");
                    await stdout.WriteLineAsync($"              why: {i.Reason}");
                }
                await stdout.WriteLineAsync($"{items.Count} item(s) wait for review.");
                return Ok;
            }
            case "review split":
            {
                var to = args.Required("--to");
                var reason = args.Required("--reason");
                args.NoOthers(1);
                if (args.Positional.Count != 1) throw new UsageException("give the line id that `review list` shows.");
                var parts = ReviewQueue.ParseParts(to);
                await stdout.WriteLineAsync((await new ReviewQueue(db, clock, actor).SplitAsync(args.Positional[0], parts, reason, ct)).En);
                return Ok;
            }
            case "review confirm" or "review reassign" or "review ignore" or "review undo":
            {
                var student = args.Optional("--student");
                var reason = args.Required("--reason");
                args.NoOthers(1);
                if (args.Positional.Count != 1) throw new UsageException("give the line id that `review list` shows.");
                var id = args.Positional[0];
                var queue = new ReviewQueue(db, clock, actor);
                var message = key switch
                {
                    "review confirm" => await queue.ConfirmAsync(id, student, reason, ct),
                    "review reassign" => await queue.ReassignAsync(id, student ?? throw new UsageException("--student is required."), reason, ct),
                    "review ignore" => await queue.IgnoreAsync(id, reason, ct),
                    _ => await queue.UndoAsync(id, reason, ct),
                };
                await stdout.WriteLineAsync(message.En);
                return Ok;
            }
            case "inbox process":
            {
                args.NoOthers(0);
                var n = await new InboxProcessor(db, clock).ProcessPendingAsync(int.MaxValue, ct);
                await stdout.WriteLineAsync($"Processed {n} stored bank call(s).");
                return Ok;
            }
            default:
                throw new UsageException($"unknown command \"{key}\".");
        }
    }

    private async Task<int> QrAsync(string key, Args args)
    {
        if (key == "qr decode")
        {
            var png = args.Optional("--png");
            args.NoOthers(png is null ? 1 : 0);
            string payload;
            if (png is not null)
            {
                if (!File.Exists(png)) throw new BadInputException(Path.GetFileName(png), null, null, "the file does not exist.");
                payload = QrImageReader.Read(await File.ReadAllBytesAsync(png))
                    ?? throw new BadInputException(Path.GetFileName(png), null, null, "no QR code could be read from the image.");
            }
            else payload = args.Positional.Count == 1 ? args.Positional[0] : throw new UsageException("give the payload, or --png FILE.");
            VietQrPayload p;
            try
            {
                p = VietQrDecoder.Decode(payload);
            }
            catch (VietQrFormatException e)
            {
                throw new BadInputException("payload", null, null, e.Message);
            }
            var json = new System.Text.Json.Nodes.JsonObject
            {
                ["initiation"] = p.Initiation == QrInitiation.Static ? "static" : "dynamic",
                ["bank_bin"] = p.BankBin,
                ["account"] = p.Account,
                ["service"] = p.Service,
                ["amount"] = p.AmountVnd,
                ["currency"] = "704",
                ["country"] = "VN",
                ["purpose"] = p.Purpose,
                ["bill_number"] = p.BillNumber,
                ["crc"] = payload.Trim()[^4..].ToUpperInvariant(),
            };
            await stdout.WriteLineAsync(json.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return Ok;
        }

        var bankText = args.Required("--bank");
        var account = args.Required("--account");
        var amountText = args.Optional("--amount");
        var purposeText = args.Optional("--purpose");
        var pngOut = args.Optional("--png");
        args.NoOthers(0);
        var bank = BankDirectory.ByBinOrCode(bankText)
            ?? (bankText.Length == 6 && bankText.All(char.IsAsciiDigit) ? new BankInfo(bankText, bankText, bankText) : null)
            ?? throw new BadInputException("--bank", null, null, $"\"{bankText}\" is neither a 6-digit BIN nor a bank code of the BIN table (BIDV, VCB, MSB, ICB, VBA, TCB, MB, ACB, VPB, TPB, STB).");
        long? amount = null;
        if (amountText is not null)
        {
            amount = Files.Values.ParseAmount(amountText, out var why) ?? throw new BadInputException("--amount", null, null, why!);
            if (amount > VietQrPayload.MaxAmountVnd) throw new BadInputException("--amount", null, null, "a VietQR transfer is below 500,000,000 đồng.");
        }
        var purpose = purposeText is null ? null : VietQrPayload.FoldPurpose(purposeText);
        if (purpose is { Length: > VietQrPayload.MaxPurposeLength })
            throw new BadInputException("--purpose", null, null, $"\"{purpose}\" is {purpose.Length} characters; a VietQR purpose holds at most 25.");
        var payload2 = new VietQrPayload(amount is null ? QrInitiation.Static : QrInitiation.Dynamic, bank.Bin, account,
            VietQrPayload.ToAccount, amount, string.IsNullOrEmpty(purpose) ? null : purpose, null);
        var problems = payload2.Validate();
        if (problems.Count > 0) throw new BadInputException("qr encode", null, null, string.Join(" ", problems));
        var encoded = payload2.Encode();
        if (pngOut is not null) await File.WriteAllBytesAsync(pngOut, VietQrImage.Png(encoded));
        await stdout.WriteLineAsync(encoded);
        return Ok;
    }

    private async Task<int> ServeAsync(Args args, string? connection, CancellationToken ct)
    {
        var port = args.Int("--port") ?? 5080;
        var noDemo = args.Flag("--no-demo");
        args.NoOthers(0);
        var cs = Database.RequireConnectionString(connection);
        await using (var db = Database.Open(cs))
        {
            await Database.MigrateAsync(db, ct);
            if (!noDemo && !await db.Schools.AnyAsync(ct))
            {
                await stdout.WriteLineAsync("First run: seeding the demo authority (50,877 students); this takes a minute or two...");
                var progress = new LineProgress(stdout);
                await stdout.WriteLineAsync(await new DemoSeeder(db, new BusinessClock(time), Actor.FromEnvironment(), 20250905)
                    .SeedAsync(DemoSeeder.CitySchools, DemoSeeder.CityStudents, progress, ct));
                // The demo's schools get sandbox bank credentials, so `fees bank-sim pay` works at once.
                await new BankSandbox(db, SecretBox.FromEnvironment()).EnsureAsync(ct);
                await stdout.WriteLineAsync("Sandbox bank credentials are generated (sealed in .data/); see them with ./fees bank-sim secrets.");
            }
        }
        if (!noDemo)
        {
            await stdout.WriteLineAsync($"Demo logins for http://127.0.0.1:{port}/ (passwords derived from this installation's master key):");
            foreach (var l in await Web.Accounts.EnsureDemoAsync(cs, SecretBox.FromEnvironment(), ct))
                await stdout.WriteLineAsync($"  {l.Role,-11} {l.Email,-40} {l.Password}");
        }
        await WebHost.RunAsync(cs, port, SecretBox.FromEnvironment(), stdout, ct);
        return Ok;
    }

    private async Task PrintBillingAsync(BillingResult r)
    {
        if (r.DryRun)
        {
            await stdout.WriteLineAsync($"Dry run for {r.Month}: nothing was written.");
            await stdout.WriteLineAsync($"{"school",-10} {"class",-10} {"notices",8} {"gross",16} {"reductions",14} {"amount_due",16}");
            foreach (var g in r.Totals.GroupBy(t => t.SchoolCode))
            {
                foreach (var t in g)
                    await stdout.WriteLineAsync($"{t.SchoolCode,-10} {t.ClassName,-10} {t.Notices,8} {N(t.GrossVnd),16} {N(t.ReductionVnd),14} {N(t.AmountDueVnd),16}");
                await stdout.WriteLineAsync($"{g.Key,-10} {"(total)",-10} {g.Sum(t => t.Notices),8} {N(g.Sum(t => t.GrossVnd)),16} {N(g.Sum(t => t.ReductionVnd)),14} {N(g.Sum(t => t.AmountDueVnd)),16}");
            }
            await stdout.WriteLineAsync($"{"all",-10} {"(total)",-10} {r.Totals.Sum(t => t.Notices),8} {N(r.Totals.Sum(t => t.GrossVnd)),16} {N(r.Totals.Sum(t => t.ReductionVnd)),14} {N(r.AmountDueVnd),16}");
        }
        else
        {
            await stdout.WriteLineAsync($"Issued {r.NoticesCreated} notice(s) for {r.Month}, {Vnd(r.AmountDueVnd)} due; {r.AlreadyBilled} student(s) already had one.");
            if (r.CreditAppliedVnd > 0) await stdout.WriteLineAsync($"Applied {Vnd(r.CreditAppliedVnd)} of credit the students held.");
        }
        if (r.NotYetEnrolled > 0) await stdout.WriteLineAsync($"{r.NotYetEnrolled} student(s) enrolled after {r.Month} are not billed.");
        if (r.NothingApplies > 0) await stdout.WriteLineAsync($"{r.NothingApplies} student(s) have no fee item this month.");
        if (r.ExpiredReductions > 0) await stdout.WriteLineAsync($"Note: {r.ExpiredReductions} student(s) have a policy group whose evidence expired before {r.Month}; no reduction was given for it.");
        if (r.ClosedSchoolsSkipped.Count > 0) await stdout.WriteLineAsync($"Skipped closed period at: {string.Join(", ", r.ClosedSchoolsSkipped)}.");
    }

    private static string File1(Args args)
    {
        args.NoOthers(1);
        if (args.Positional.Count != 1) throw new UsageException("give the file to import.");
        return args.Positional[0];
    }

    private static BillingMonth Period(Args args)
    {
        var text = args.Required("--period");
        return BillingMonth.TryParse(text, out var m) ? m : throw new UsageException($"--period: \"{text}\" is not a month like 2025-09.");
    }

    private static string N(long v) => v.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Vnd(long v) => Files.Values.Money(v);
}

/// <summary>Writes progress lines as they come, in order (Progress&lt;T&gt; would post them to the thread pool).</summary>
public sealed class LineProgress(TextWriter writer) : IProgress<string>
{
    public void Report(string value) => writer.WriteLine(value);
}
