using TdmEdu.Fees.Api.Application.Receipts;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Hosting;

/// <summary>The e-receipts' services (contracts/ereceipts.md): the schools' certificates, the signer, the public verification and its limit.</summary>
public static class EReceiptServices
{
    public static void Add(IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<ReceiptCertificateSource>();
        services.AddScoped(sp => new ReceiptSigner(sp.GetRequiredService<FeesDb>(), sp.GetRequiredService<BusinessClock>(),
            sp.GetRequiredService<ReceiptCertificateSource>(), ReceiptSigner.LookupAddressFrom(config), sp.GetRequiredService<ILogger<ReceiptSigner>>()));
        services.AddSingleton<ReceiptLookupLimit>();
        services.AddScoped<ReceiptVerification>();
    }
}
