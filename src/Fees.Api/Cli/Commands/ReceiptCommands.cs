using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Security;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>ereceipts: the legal e-receipts' tools (contracts/ereceipts.md); for now the sandbox's signing certificate.</summary>
public static class ReceiptCommands
{
    public static Command Build(Terminal t) => new("ereceipts", "legal e-receipts: signing, certificates, the tax office")
    {
        SandboxCert(t), Sign(t), DocumentKind(t), Send(t), UsageReport(t), ExportXml(t),
    };

    /// <summary>
    /// One round of the outbox to the T-VAN provider (§10), as the 30-second job runs it, with the provider from
    /// EReceipts__Tvan__… in the environment; without one, documents are queued and wait.
    /// </summary>
    private static Command Send(Terminal t)
    {
        var command = new Command("send", "queue and send signed receipts, error notices and reports to the T-VAN provider (once)");
        return t.OnDb(command, async run =>
        {
            var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var options = TvanAdapters.TvanOptions.From(config.GetSection("EReceipts:Tvan"));
            var outbox = new Application.Receipts.TvanOutbox(run.Db, run.Clock, new ReceiptCertificateSource(config),
                options is null ? null : TvanAdapters.TvanClients.Create(options));
            var r = await outbox.RunAsync(TimeSpan.FromMinutes(5), run.Ct);
            await t.Out.WriteLineAsync($"{r.Queued} document(s) queued, {r.Taken} taken by the provider, {r.Answered} answer(s) asked for; {r.Waiting} waiting."
                + (options is null ? " No provider is configured (EReceipts__Tvan__ApiBase): nothing was sent." : ""));
            foreach (var p in r.Problems) await t.Out.WriteLineAsync("  " + p);
            return r.Problems.Count == 0 ? ExitCode.Ok : ExitCode.Refused;
        });
    }

    /// <summary>The usage report BC26/BLĐT of a school for a period (§11): signed XML or CSV by the file's extension; --send queues it for the provider.</summary>
    private static Command UsageReport(Terminal t)
    {
        var school = Opt.Required("--school", "CODE");
        var from = Opt.Required("--from", "DATE", "first day of the period, YYYY-MM-DD");
        var to = Opt.Required("--to", "DATE", "last day of the period, YYYY-MM-DD");
        var output = Opt.Required("--out", "FILE", "where to write it: .xml (signed) or .csv");
        var send = Opt.Flag("--send", "also queue it for the tax office through the provider");
        var command = new Command("usage-report", "the e-receipt usage report BC26/BLĐT of a school for a period") { school, from, to, output, send };
        return t.OnDb(command, async run =>
        {
            var file = run.Need(output);
            var ext = Path.GetExtension(file).ToLowerInvariant();
            if (ext is not (".xml" or ".csv")) throw new BadInputException("--out", null, null, $"\"{file}\" is neither .xml nor .csv.", $"\"{file}\" không phải tệp .xml hay .csv.");
            var reports = new Application.Receipts.UsageReports(run.Db, run.Clock, new ReceiptCertificateSource(new ConfigurationBuilder().AddEnvironmentVariables().Build()));
            var (report, schoolId, code) = await reports.BuildAsync(run.Need(school).ToUpperInvariant(), Day(run.Need(from), "--from"), Day(run.Need(to), "--to"), run.Ct);
            // With --send the file is the very document queued (or queued before with the same figures).
            var queued = run.Get(send) ? await reports.QueueAsync(report, schoolId, code, run.Ct) : ((bool, byte[])?)null;
            if (ext == ".csv") await File.WriteAllTextAsync(file, TdmEdu.Fees.Domain.Receipts.TaxOfficeXml.Csv(report), new System.Text.UTF8Encoding(true), run.Ct);
            else await File.WriteAllBytesAsync(file, queued?.Item2 ?? reports.Sign(report, code, Guid.CreateVersion7()), run.Ct);
            await t.Out.WriteLineAsync($"{file}: {report.Lines.Sum(l => l.Used)} receipt(s) in {report.Lines.Count} series, {report.Lines.Sum(l => l.Voided)} cancelled or replaced, {report.Lines.Sum(l => l.TotalVnd):N0} đồng.");
            if (queued is { } q)
                await t.Out.WriteLineAsync(q.Item1
                    ? "Queued for the tax office; `fees ereceipts send` or the 30-second job sends it."
                    : "The same report was queued before; nothing new to send.");
            return ExitCode.Ok;
        });
    }

    /// <summary>
    /// The signed XML of every receipt issued in a month, as kept, one file each (<c>DIR/{school}/{template}-{series}-{number}.xml</c>):
    /// for an independent verifier (scripts/verify-receipts runs xmlsec1 over them), an auditor, or the yearly archive.
    /// </summary>
    private static Command ExportXml(Terminal t)
    {
        var month = Opt.Required("--month", "YYYY-MM", "the month the receipts were issued in");
        var school = Opt.Text("--school", "CODE", "one school only");
        var output = Opt.Required("--out", "DIR", "the folder to write into (made when missing)");
        var command = new Command("export-xml", "write the signed XML of a month's receipts, one file each") { month, school, output };
        return t.OnDb(command, async run =>
        {
            var text = run.Need(month);
            if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var first))
                throw new BadInputException("--month", null, null, $"\"{text}\" is not a month YYYY-MM.", $"\"{text}\" không phải tháng dạng YYYY-MM.");
            var last = first.AddMonths(1).AddDays(-1);
            var code = run.Get(school)?.ToUpperInvariant();
            var dir = run.Need(output);
            var rows = from r in run.Db.Receipts.AsNoTracking()
                       join s in run.Db.ReceiptSeries.AsNoTracking() on r.SeriesId equals s.Id
                       join sc in run.Db.Schools.AsNoTracking() on r.SchoolId equals sc.Id
                       where r.SignedXml != null && r.IssuedOn >= first && r.IssuedOn <= last && (code == null || sc.Code == code)
                       orderby sc.Code, s.Template, s.Series, r.Number
                       select new { sc.Code, s.Template, s.Series, r.Number, r.SignedXml };
            var written = 0;
            var schools = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(run.Ct))
            {
                var folder = Path.Combine(dir, r.Code);
                if (schools.Add(r.Code)) Directory.CreateDirectory(folder);
                await File.WriteAllBytesAsync(Path.Combine(folder, $"{r.Template}-{r.Series}-{r.Number:D7}.xml"), r.SignedXml!, run.Ct);
                written++;
            }
            await t.Out.WriteLineAsync($"{written} signed receipt(s) of {schools.Count} school(s) issued in {text} written to {dir}.");
            return ExitCode.Ok;
        });
    }

    private static DateOnly Day(string text, string option) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var d) ? d
            : throw new BadInputException(option, null, null, $"\"{text}\" is not a date YYYY-MM-DD.", $"\"{text}\" không phải ngày dạng YYYY-MM-DD.");

    /// <summary>Sets which document an item's money gets at a school (§2); without --kind, lists the items and their documents.</summary>
    private static Command DocumentKind(Terminal t)
    {
        var school = Opt.Required("--school", "CODE");
        var item = Opt.Text("--item", "CODE", "the fee item (its code in the fee schedule)");
        var kind = Opt.Text("--kind", "KIND", "receipt (the service's e-receipt), invoice_sales or invoice_vat (made by the school's e-invoice provider)");
        var command = new Command("document-kind", "which document a fee item's money gets at a school: an e-receipt or an invoice") { school, item, kind };
        return t.OnDb(command, async run =>
        {
            var desk = new Application.Receipts.DocumentKindDesk(run.Db, run.Clock, run.Actor);
            if (run.Get(kind) is { } k)
            {
                var said = await desk.SetAsync(run.Need(school), run.Get(item) ?? throw new BadInputException("--item", null, null, "say which item, with --item CODE."), k, run.Ct);
                await t.Out.WriteLineAsync(said.En);
                return ExitCode.Ok;
            }
            foreach (var i in await desk.ListAsync(run.Need(school), run.Ct)) await t.Out.WriteLineAsync($"{i.ItemCode}\t{i.DocumentKind}\t{i.ItemName}");
            return ExitCode.Ok;
        });
    }

    /// <summary>Signs the receipts waiting for their signature now, as the 30-second job does; says which schools cannot sign and why.</summary>
    private static Command Sign(Terminal t)
    {
        var command = new Command("sign", "sign the receipts waiting for their school's signature (the job does it every 30 seconds)");
        return t.OnDb(command, async run =>
        {
            var result = await Application.Receipts.ReceiptSigner.FromEnvironment(run.Db, run.Clock).SignAsync(null, TimeSpan.FromMinutes(30), run.Ct);
            await t.Out.WriteLineAsync($"{result.Signed} receipt(s) signed.");
            foreach (var (school, en, _) in result.Waiting) await t.Out.WriteLineAsync($"  {school}: receipts wait: {en}");
            return result.Waiting.Count == 0 ? ExitCode.Ok : ExitCode.Refused;
        });
    }

    /// <summary>
    /// A self-signed certificate for a school (§6), for `./fees up` and tests: `{code}.p12` and its generated password in
    /// `{code}.password` beside it, under .data/certs by default (git-ignored). Receipts signed with it say so everywhere.
    /// </summary>
    private static Command SandboxCert(Terminal t)
    {
        var school = Opt.Required("--school", "CODE");
        var folder = Opt.Text("--out", "DIR", "where to write CODE.p12 and CODE.password (default .data/certs)");
        var command = new Command("sandbox-cert", "write a self-signed sandbox signing certificate for a school (never for real receipts)") { school, folder };
        return t.OnDb(command, async run =>
        {
            var code = run.Need(school).ToUpperInvariant();
            var found = await run.Db.Schools.AsNoTracking().Where(s => s.Code == code).Select(s => new { s.Name, s.TaxCode }).SingleOrDefaultAsync(run.Ct)
                ?? throw new BadInputException("--school", null, null, $"there is no school {code}.", $"không có trường {code}.");
            if (found.TaxCode is not { } taxCode)
                throw new BusinessRuleException($"School {code} has no tax code yet; give it in the schools file (column tax_code), then make its certificate.",
                    $"Trường {code} chưa có mã số thuế; hãy nhập ở tệp danh sách trường (cột Mã số thuế) rồi tạo chứng thư.");
            var dir = run.Get(folder) ?? Path.Combine(".data", "certs");
            var (p12, certificate) = ReceiptCertificateSource.WriteSandbox(dir, code, found.Name, taxCode, run.Clock.Now);
            using var _ = certificate;
            var secret = Path.ChangeExtension(p12, ".password");
            await t.Out.WriteLineAsync($"{p12}: sandbox certificate of {code} (serial {certificate.SerialNumber}, until {certificate.NotAfter:yyyy-MM-dd}); its password is in {secret}.");
            return ExitCode.Ok;
        });
    }
}
