using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Sandbox;
using TdmEdu.Fees.NotifyAdapters;
using Smtp4dev = TdmEdu.Fees.NotifyAdapters.Tests.Support.Smtp4dev;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>
/// The real message adapters wired to the sandboxes a test started: Zalo and eSMS played by notify-sim, e-mail through a
/// real SMTP server (smtp4dev); and a round of the outbox's sender through them, as the job runs it.
/// </summary>
public sealed class Sandboxes(BankHost host, ServiceProvider providers) : IAsyncDisposable
{
    public static Sandboxes Wire(BankHost host, NotifySimulator sim, Smtp4dev? smtp = null, bool zalo = false)
    {
        var settings = NotifySimulator.EsmsSettings(sim.Address, host.BaseAddress, "hook").ToDictionary(kv => kv.Key, kv => (string?)kv.Value);
        if (smtp is not null)
        {
            settings["Notify:Smtp:Host"] = "127.0.0.1";
            settings["Notify:Smtp:Port"] = smtp.SmtpPort.ToString(CultureInfo.InvariantCulture);
            settings["Notify:Smtp:Security"] = "None";
            settings["Notify:Smtp:FromAddress"] = "no-reply@thuhocphi.example.vn";
        }
        if (zalo)
        {
            settings["Notify:Zalo:ApiBase"] = settings["Notify:Zalo:OAuthBase"] = sim.Address.ToString();
            settings["Notify:Zalo:AppId"] = NotifySimulator.Sandbox.AppId;
            settings["Notify:Zalo:AppSecret"] = NotifySimulator.Sandbox.AppSecret;
            settings["Notify:Zalo:RefreshToken"] = NotifySimulator.Sandbox.RefreshToken;
            settings["Notify:Zalo:Templates:notice_issued"] = "400001";
        }
        var config = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new Sandboxes(host, new ServiceCollection().AddNotifyChannels(config).BuildServiceProvider());
    }

    public async Task<SendRound> RoundAsync()
    {
        await using var db = host.Fees.Db.Open();
        return await new OutboxSender(db, new BusinessClock(host.Fees.Clock), providers.GetServices<INotificationChannel>().ToList(), new ParentLinks(db, BankHost.Box),
            new MessagingOptions(host.BaseAddress.ToString()), NullLogger<OutboxSender>.Instance).RunAsync(CancellationToken.None);
    }

    public ValueTask DisposeAsync() => providers.DisposeAsync();
}
