namespace TdmEdu.Fees.NotifyAdapters.Zalo;

/// <summary>
/// Where Zalo is and who we are to it (§7). The app secret signs the token refresh; the OA secret key checks the
/// delivery events; the template ids are those approved in the OA console, one per kind.
/// </summary>
public sealed record ZaloOptions
{
    public static readonly Uri DefaultApiBase = new("https://business.openapi.zalo.me");
    public static readonly Uri DefaultOAuthBase = new("https://oauth.zaloapp.com");

    public Uri ApiBase { get; init; } = DefaultApiBase;
    public Uri OAuthBase { get; init; } = DefaultOAuthBase;
    public required string AppId { get; init; }
    public required string AppSecret { get; init; }
    public string? OaSecretKey { get; init; }
    public IReadOnlyDictionary<MessageKind, string> TemplateIds { get; init; } = new Dictionary<MessageKind, string>();

    /// <summary><c>"mode":"development"</c>: messages reach the OA's administrators only, free [S].</summary>
    public bool Development { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long before its expiry an access token is refreshed (§7.1).</summary>
    public TimeSpan RefreshAhead { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>False: a delivery event with a bad signature is logged and still taken (until checked against a real event, §7.3).</summary>
    public bool EnforceEventSignature { get; init; } = true;
}
