using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.NotifyAdapters;
using TdmEdu.Fees.NotifyAdapters.Zalo;

namespace TdmEdu.Fees.Api.Hosting;

/// <summary>Messages to guardians: the outbox's sender, the parent links and choices, and the channels configured (Notify:…).</summary>
public static class Messaging
{
    public static void Add(IServiceCollection services, IConfiguration config, SecretBox box)
    {
        var rates = config.GetSection("Notify:RatePerSecond");
        services.AddSingleton(new MessagingOptions(config["Notify:PortalBase"] ?? "http://127.0.0.1:5080",
            ZnsPerSecond: rates.GetValue("zalo_zns", 20), SmsPerSecond: rates.GetValue("sms", 20), EmailPerSecond: rates.GetValue("email", 10)));
        services.AddScoped<ParentLinks>();
        services.AddScoped<GuardianChoices>();
        services.AddScoped<OutboxSender>();
        services.AddScoped<Deliveries>();
        if (NotifyChannels.LinkKeysFrom(config.GetSection("Notify:Links")) is { } linkKeys) services.AddSingleton(linkKeys);
        // Zalo's token pair lives in the database: its refresh token works once, so a restart must not forget the new one.
        var firstRefresh = config["Notify:Zalo:RefreshToken"];
        services.AddSingleton<IZaloTokenStore>(sp => new ZaloTokenStore(sp.GetRequiredService<Npgsql.NpgsqlDataSource>(), box, firstRefresh));
        services.AddNotifyChannels(config);
    }
}
