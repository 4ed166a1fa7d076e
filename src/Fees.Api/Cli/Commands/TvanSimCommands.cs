using System.CommandLine;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Sandbox;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>tvan-sim: the sandbox T-VAN provider for `./fees up` (contracts/ereceipts.md §13); no database.</summary>
public static class TvanSimCommands
{
    public static Command Build(Terminal t)
    {
        var port = Opt.Count("--port", "5302", "the HTTP port on 127.0.0.1");
        var callbackBase = Opt.Text("--callback-base", "URL", "where the signed callbacks go (default http://127.0.0.1:5080, the service)");
        var down = Opt.Flag("--down", "answer 503 to everything (an outage)");
        var command = new Command("tvan-sim", "a sandbox T-VAN provider that takes signed receipts and calls back as the contract says; runs until stopped")
        {
            port, callbackBase, down,
        };
        return Terminal.Does(command, async (parsed, ct) =>
        {
            var portNo = parsed.GetValue(port) ?? 5302;
            if (portNo > 65535) throw new BadInputException("--port", null, null, $"{portNo} is not a port (1 to 65535).");
            var baseText = parsed.GetValue(callbackBase) ?? "http://127.0.0.1:5080";
            if (!Uri.TryCreate(baseText, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
                throw new BadInputException("--callback-base", null, null, $"\"{baseText}\" is not an http(s) address.");
            TvanSimulator sim;
            try
            {
                sim = await TvanSimulator.StartAsync(new TvanSimulator.Settings(portNo, baseUri, parsed.GetValue(down)), ct);
            }
            catch (IOException e)
            {
                throw new EnvironmentProblemException($"tvan-sim could not listen on 127.0.0.1:{portNo} ({e.Message}).");
            }
            await using (sim)
            {
                var at = sim.Address.ToString().TrimEnd('/');
                await t.Out.WriteLineAsync($"""
                    Sandbox T-VAN provider on {at}{(parsed.GetValue(down) ? " (down: every call answers 503)" : "")}; callbacks go to {baseUri.ToString().TrimEnd('/')}. Ctrl+C stops it.
                    The service's settings for it:
                      {string.Join("  ", TvanSimulator.ServiceSettings(sim.Address).Select(s => $"{s.Key}={s.Value}"))}
                    What it holds: GET {at}/_sim/documents. A receipt whose number ends in 13 is rejected (E_CONTENT); the rest are accepted 2 s after upload.
                    """);
                await sim.WaitUntilStoppedAsync(ct);
            }
            return ExitCode.Ok;
        });
    }
}
