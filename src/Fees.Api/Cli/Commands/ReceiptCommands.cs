using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Security;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>ereceipts: the legal e-receipts' tools (contracts/ereceipts.md); for now the sandbox's signing certificate.</summary>
public static class ReceiptCommands
{
    public static Command Build(Terminal t) => new("ereceipts", "legal e-receipts: signing, certificates") { SandboxCert(t), Sign(t), DocumentKind(t) };

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
