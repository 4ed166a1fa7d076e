using Microsoft.Extensions.Http.Resilience;
using Refit;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Hosting;

/// <summary>Where the banks' statement APIs are and how patiently to call them.</summary>
public sealed record BankClientOptions(Uri? VcbBase, Uri? MsbBase)
{
    public const string VcbVariable = "FEES_VCB_API";
    public const string MsbVariable = "FEES_MSB_API";

    /// <summary>The base addresses given, else those in FEES_VCB_API and FEES_MSB_API; a bank without one is not called.</summary>
    public static BankClientOptions From(string? vcb, string? msb) =>
        new(Address(vcb ?? Environment.GetEnvironmentVariable(VcbVariable), "Vietcombank"), Address(msb ?? Environment.GetEnvironmentVariable(MsbVariable), "MSB"));

    private static Uri? Address(string? text, string bank) =>
        string.IsNullOrWhiteSpace(text) ? null
        : Uri.TryCreate(text, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" ? u
        : throw new BadInputException(bank + " API", null, null, $"\"{text}\" is not an http(s) address.");

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(45);
    public int Retries { get; init; } = 2;
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);
    public int BreakerMinimumCalls { get; init; } = 10;
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Registers the Refit clients (source-generated) with resilience: a timeout per attempt and overall, retries
/// for reads only (the OAuth token is a POST and is not retried; the MSB statement query is a signed read and
/// is), and a circuit breaker that stops hammering a bank that keeps failing.
/// </summary>
public static class BankClients
{
    public static IServiceCollection AddBankStatementClients(this IServiceCollection services, BankClientOptions options)
    {
        if (options.VcbBase is { } vcb)
            services.AddRefitGeneratedClient<IVcbStatementApi>()
                .ConfigureHttpClient(c => c.BaseAddress = vcb)
                .AddStandardResilienceHandler(o => Configure(o, options, retryPosts: false));
        if (options.MsbBase is { } msb)
            services.AddRefitGeneratedClient<IMsbStatementApi>()
                .ConfigureHttpClient(c => c.BaseAddress = msb)
                .AddStandardResilienceHandler(o => Configure(o, options, retryPosts: true));
        return services;
    }

    private static void Configure(HttpStandardResilienceOptions o, BankClientOptions options, bool retryPosts)
    {
        o.AttemptTimeout.Timeout = options.AttemptTimeout;
        o.TotalRequestTimeout.Timeout = options.TotalTimeout;
        o.Retry.MaxRetryAttempts = options.Retries;
        o.Retry.Delay = options.RetryDelay;
        o.Retry.UseJitter = false;
        if (!retryPosts) o.Retry.DisableForUnsafeHttpMethods();
        o.CircuitBreaker.MinimumThroughput = options.BreakerMinimumCalls;
        o.CircuitBreaker.FailureRatio = 0.5;
        o.CircuitBreaker.SamplingDuration = options.AttemptTimeout * 3 > TimeSpan.FromSeconds(30) ? options.AttemptTimeout * 3 : TimeSpan.FromSeconds(30);
        o.CircuitBreaker.BreakDuration = options.BreakDuration;
    }
}
