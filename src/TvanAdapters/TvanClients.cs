using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace TdmEdu.Fees.TvanAdapters;

/// <summary>Where the provider is and who we are to it (EReceipts:Tvan:…): the base address, the bearer token, the callback secret.</summary>
public sealed record TvanOptions
{
    public required Uri ApiBase { get; init; }
    public required string Token { get; init; }
    public required string CallbackSecret { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The options from a configuration section, or null when no provider is set (nothing is sent; receipts wait as issued).</summary>
    public static TvanOptions? From(IConfiguration tvan)
    {
        if (string.IsNullOrWhiteSpace(tvan["ApiBase"])) return null;
        if (!Uri.TryCreate(tvan["ApiBase"], UriKind.Absolute, out var at) || at.Scheme is not ("http" or "https"))
            throw new InvalidOperationException("EReceipts:Tvan:ApiBase is not an http(s) address.");
        string Need(string key) => string.IsNullOrWhiteSpace(tvan[key])
            ? throw new InvalidOperationException($"EReceipts:Tvan:{key} is needed when EReceipts:Tvan:ApiBase is set.")
            : tvan[key]!.Trim();
        return new TvanOptions { ApiBase = at, Token = Need("Token"), CallbackSecret = Need("CallbackSecret") };
    }
}

public static class TvanClients
{
    /// <summary>
    /// The Refit client with the bearer token and the 30-second timeout; no automatic HTTP retry, the outbox retries
    /// on its own schedule (§10).
    /// </summary>
    public static IServiceCollection AddTvan(this IServiceCollection services, TvanOptions options)
    {
        services.AddSingleton(options);
        services.AddRefitGeneratedClient<ITvanClient>()
            .ConfigureHttpClient(c =>
            {
                c.BaseAddress = options.ApiBase;
                c.Timeout = options.Timeout;
                c.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
            });
        return services;
    }

    /// <summary>A client outside dependency injection (the command line, tests).</summary>
    public static ITvanClient Create(TvanOptions options, HttpMessageHandler? handler = null)
    {
        var http = new HttpClient(handler ?? new SocketsHttpHandler(), disposeHandler: handler is null)
        {
            BaseAddress = options.ApiBase,
            Timeout = options.Timeout,
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        return RestService.For<ITvanClient>(http);
    }
}
