using System.CommandLine;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Sandbox;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>notify-sim: the sandbox Zalo and eSMS for `./fees up` (contracts/notifications.md §11); no database.</summary>
public static class NotifySimCommands
{
    public static Command Build(Terminal t)
    {
        var port = Opt.Count("--port", "5301", "the HTTP port on 127.0.0.1");
        var callbackBase = Opt.Text("--callback-base", "URL", "where the delivery callbacks go (default http://127.0.0.1:5080, the service)");
        var quota = Opt.Count("--zns-quota", "N", "ZNS sends accepted a day before -144 (default 5000)");
        var command = new Command("notify-sim", "sandbox Zalo ZNS and eSMS that answer and call back as the real ones do; runs until stopped")
        {
            port, callbackBase, quota,
        };
        return Terminal.Does(command, async (parsed, ct) =>
        {
            var portNo = parsed.GetValue(port) ?? 5301;
            if (portNo > 65535) throw new BadInputException("--port", null, null, $"{portNo} is not a port (1 to 65535).");
            var baseText = parsed.GetValue(callbackBase) ?? "http://127.0.0.1:5080";
            if (!Uri.TryCreate(baseText, UriKind.Absolute, out var baseUri) || baseUri.Scheme is not ("http" or "https"))
                throw new BadInputException("--callback-base", null, null, $"\"{baseText}\" is not an http(s) address.");
            var settings = new NotifySimulator.Settings(portNo, baseUri, parsed.GetValue(quota) ?? 5000);

            NotifySimulator sim;
            try
            {
                sim = await NotifySimulator.StartAsync(settings, ct);
            }
            catch (IOException e)
            {
                throw new EnvironmentProblemException($"notify-sim could not listen on 127.0.0.1:{portNo} ({e.Message}).");
            }
            await using (sim)
            {
                var at = sim.Address.ToString().TrimEnd('/');
                await t.Out.WriteLineAsync($"""
                    Sandbox Zalo ZNS and eSMS on {at}; callbacks go to {baseUri.ToString().TrimEnd('/')}. Ctrl+C stops it.
                    The service's settings for it:
                      Notify:Zalo:ApiBase={at}  Notify:Zalo:OAuthBase={at}  Notify:Zalo:AppId={NotifySimulator.Sandbox.AppId}
                      Notify:Zalo:AppSecret={NotifySimulator.Sandbox.AppSecret}  Notify:Zalo:OaSecretKey={NotifySimulator.Sandbox.OaSecretKey}
                      Notify:Zalo:RefreshToken={NotifySimulator.Sandbox.RefreshToken}
                      Notify:Esms:ApiBase={at}  Notify:Esms:ApiKey={NotifySimulator.Sandbox.EsmsApiKey}  Notify:Esms:SecretKey={NotifySimulator.Sandbox.EsmsSecretKey}
                    What each phone received: GET {at}/_sim/messages?phone=84...; DELETE {at}/_sim/messages clears.
                    By the phone's last digit: 0-5 delivered; 6 ZNS -118; 7 ZNS -141; 8 ZNS never delivered, SMS failed; 9 first ZNS call hangs 35 s, first SMS call 503.
                    """);
                await sim.WaitUntilStoppedAsync(ct);
            }
            return ExitCode.Ok;
        });
    }
}
