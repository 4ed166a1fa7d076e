using TdmEdu.Fees.Api.Application.Receipts;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.TvanAdapters;

namespace TdmEdu.Fees.Api.Hosting;

/// <summary>
/// The e-receipts' services (contracts/ereceipts.md): the schools' certificates, the signer, the public verification
/// and its limit, and the outbox to the T-VAN provider when one is configured (EReceipts:Tvan:ApiBase); without one the
/// outbox still queues, so nothing is lost before a provider is set.
/// </summary>
public static class EReceiptServices
{
    public static void Add(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<ReceiptCertificateSource>();
        services.AddSingleton<CertificateTrust>();
        services.AddScoped(sp => new ReceiptSigner(sp.GetRequiredService<FeesDb>(), sp.GetRequiredService<BusinessClock>(),
            sp.GetRequiredService<ReceiptCertificateSource>(), ReceiptSigner.LookupAddressFrom(config), sp.GetRequiredService<ILogger<ReceiptSigner>>()));
        services.AddSingleton<ReceiptLookupLimit>();
        services.AddScoped<ReceiptVerification>();
        services.AddScoped<TaxOfficeBacklog>();
        var tvan = TvanOptions.From(config.GetSection("EReceipts:Tvan"));
        if (tvan is not null) services.AddTvan(tvan);
        services.AddScoped(sp => new TvanOutbox(sp.GetRequiredService<FeesDb>(), sp.GetRequiredService<BusinessClock>(),
            sp.GetRequiredService<ReceiptCertificateSource>(), sp.GetService<ITvanClient>(), sp.GetRequiredService<ILogger<TvanOutbox>>()));
    }
}
