using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Refit;
using TdmEdu.Fees.NotifyAdapters.Esms;
using TdmEdu.Fees.NotifyAdapters.Links;
using TdmEdu.Fees.NotifyAdapters.Smtp;
using TdmEdu.Fees.NotifyAdapters.Zalo;

namespace TdmEdu.Fees.NotifyAdapters;

/// <summary>
/// Registers the channels the configuration names (section <c>Notify</c>): Zalo when <c>Notify:Zalo:AppId</c> is set,
/// eSMS when <c>Notify:Esms:ApiKey</c> is, SMTP when <c>Notify:Smtp:Host</c> is. Each as itself and as an
/// <see cref="INotificationChannel"/>. The HTTP clients never retry (the outbox owns retries, §6) and time out after
/// the configured seconds (30 by default). A missing or unreadable key stops the start with its name.
/// </summary>
public static class NotifyChannels
{
    public static IServiceCollection AddNotifyChannels(this IServiceCollection services, IConfiguration config)
    {
        var notify = config.GetSection("Notify");
        if (ZaloFrom(notify.GetSection("Zalo")) is { } zalo) services.AddZaloZns(zalo, notify["Zalo:RefreshToken"]);
        if (EsmsFrom(notify.GetSection("Esms")) is { } esms) services.AddEsmsSms(esms);
        if (SmtpFrom(notify.GetSection("Smtp")) is { } smtp) services.AddSmtpEmail(smtp);
        return services;
    }

    /// <summary>
    /// Zalo ZNS. The token store is the host's (<see cref="IZaloTokenStore"/> in the database, registered before or
    /// after); without one, a store in memory starts from <paramref name="initialRefreshToken"/>.
    /// </summary>
    public static IServiceCollection AddZaloZns(this IServiceCollection services, ZaloOptions options, string? initialRefreshToken = null)
    {
        Common(services);
        services.AddSingleton(options);
        Client<IZaloOAuthApi>(services, options.OAuthBase, options.Timeout);
        Client<IZaloZnsApi>(services, options.ApiBase, options.Timeout);
        services.TryAddSingleton<IZaloTokenStore>(_ => new InMemoryZaloTokenStore(
            string.IsNullOrWhiteSpace(initialRefreshToken) ? null : ZaloTokenPair.FromRefreshToken(initialRefreshToken)));
        services.AddSingleton<ZaloTokenKeeper>();
        services.AddSingleton<ZaloZnsChannel>();
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<ZaloZnsChannel>());
        return services;
    }

    public static IServiceCollection AddEsmsSms(this IServiceCollection services, EsmsOptions options)
    {
        Common(services);
        services.AddSingleton(options);
        Client<IEsmsApi>(services, options.ApiBase, options.Timeout);
        services.AddSingleton<EsmsSmsChannel>();
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<EsmsSmsChannel>());
        return services;
    }

    public static IServiceCollection AddSmtpEmail(this IServiceCollection services, SmtpOptions options)
    {
        Common(services);
        services.AddSingleton(options);
        services.AddSingleton<SmtpEmailChannel>();
        services.AddSingleton<INotificationChannel>(sp => sp.GetRequiredService<SmtpEmailChannel>());
        return services;
    }

    private static void Common(IServiceCollection services)
    {
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
    }

    // The channels are singletons holding their clients, so connections are recycled by the handler itself
    // (PooledConnectionLifetime) rather than by the factory's handler rotation, which a singleton never sees.
    private static void Client<T>(IServiceCollection services, Uri baseAddress, TimeSpan timeout) where T : class =>
        services.AddRefitGeneratedClient<T>()
            .ConfigureHttpClient(c => (c.BaseAddress, c.Timeout) = (baseAddress, timeout))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

    public static ZaloOptions? ZaloFrom(IConfiguration zalo)
    {
        if (string.IsNullOrWhiteSpace(zalo["AppId"])) return null;
        var templates = new Dictionary<MessageKind, string>();
        foreach (var t in zalo.GetSection("Templates").GetChildren())
        {
            var kind = WireNames.KindOf(t.Key) ?? throw Bad(t.Path, $"\"{t.Key}\" is not a kind of message (notice_issued, reminder_due, reminder_overdue, payment_applied, receipt_changed)");
            if (!string.IsNullOrWhiteSpace(t.Value)) templates[kind] = t.Value.Trim();
        }
        return new ZaloOptions
        {
            ApiBase = Url(zalo, "ApiBase") ?? ZaloOptions.DefaultApiBase,
            OAuthBase = Url(zalo, "OAuthBase") ?? ZaloOptions.DefaultOAuthBase,
            AppId = zalo["AppId"]!.Trim(),
            AppSecret = Need(zalo, "AppSecret"),
            OaSecretKey = zalo["OaSecretKey"],
            TemplateIds = templates,
            Development = Flag(zalo, "Development") ?? false,
            EnforceEventSignature = Flag(zalo, "EnforceEventSignature") ?? true,
            Timeout = Seconds(zalo) ?? TimeSpan.FromSeconds(30),
        };
    }

    public static EsmsOptions? EsmsFrom(IConfiguration esms) => string.IsNullOrWhiteSpace(esms["ApiKey"]) ? null : new EsmsOptions
    {
        ApiBase = Url(esms, "ApiBase") ?? EsmsOptions.DefaultApiBase,
        ApiKey = esms["ApiKey"]!.Trim(),
        SecretKey = Need(esms, "SecretKey"),
        Brandname = Need(esms, "Brandname"),
        SmsType = esms["SmsType"] ?? "2",
        Sandbox = Flag(esms, "Sandbox") ?? false,
        CallbackUrl = Url(esms, "CallbackUrl"),
        Timeout = Seconds(esms) ?? TimeSpan.FromSeconds(30),
    };

    public static SmtpOptions? SmtpFrom(IConfiguration smtp)
    {
        if (string.IsNullOrWhiteSpace(smtp["Host"])) return null;
        var from = Need(smtp, "FromAddress");
        if (EmailComposer.Address(from) is null) throw Bad(((IConfigurationSection)smtp).Path + ":FromAddress", "it is not one e-mail address");
        return new SmtpOptions
        {
            Host = smtp["Host"]!.Trim(),
            Port = Number(smtp, "Port") ?? 587,
            Security = smtp["Security"] is { } s ? Enum.TryParse<SmtpSecurity>(s, true, out var security) && Enum.IsDefined(security) ? security
                : throw Bad(((IConfigurationSection)smtp).Path + ":Security", "use Auto, StartTls, SslOnConnect or None") : SmtpSecurity.Auto,
            Username = smtp["Username"],
            Password = smtp["Password"],
            FromAddress = from,
            CertificateSha256 = smtp["CertificateSha256"],
            Timeout = Seconds(smtp) ?? TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>The link keys (§4): <c>Keys:{kid}</c> base64 of at least 32 bytes, one or two, and <c>CurrentKid</c>.</summary>
    public static LinkKeys? LinkKeysFrom(IConfiguration links)
    {
        var keys = new Dictionary<char, byte[]>();
        foreach (var k in links.GetSection("Keys").GetChildren())
        {
            if (k.Key.Length != 1) throw Bad(k.Path, "a key id is one letter or digit");
            try
            {
                keys[k.Key[0]] = Convert.FromBase64String(k.Value ?? "");
            }
            catch (FormatException)
            {
                throw Bad(k.Path, "it is not base64");
            }
        }
        if (keys.Count == 0) return null;
        var current = links["CurrentKid"] is { Length: 1 } c ? c[0] : keys.Count == 1 ? keys.Keys.Single() : throw Bad("Notify:Links:CurrentKid", "name the key new links are signed with");
        return new LinkKeys(keys, current);
    }

    private static string Need(IConfiguration c, string key) =>
        c[key] is { } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : throw Bad(((IConfigurationSection)c).Path + ":" + key, "it is required");

    private static Uri? Url(IConfiguration c, string key) => c[key] is not { } v || string.IsNullOrWhiteSpace(v) ? null
        : Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u
        : throw Bad(((IConfigurationSection)c).Path + ":" + key, $"\"{v}\" is not an http(s) address");

    private static bool? Flag(IConfiguration c, string key) => c[key] is not { } v ? null
        : bool.TryParse(v, out var b) ? b : throw Bad(((IConfigurationSection)c).Path + ":" + key, "use true or false");

    private static int? Number(IConfiguration c, string key) => c[key] is not { } v ? null
        : int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is > 0 and <= 65535 ? n
        : throw Bad(((IConfigurationSection)c).Path + ":" + key, "use a whole number from 1 to 65535");

    private static TimeSpan? Seconds(IConfiguration c) => Number(c, "TimeoutSeconds") is { } n ? TimeSpan.FromSeconds(n) : null;

    private static InvalidOperationException Bad(string key, string why) => new($"Configuration {key}: {why}.");
}
