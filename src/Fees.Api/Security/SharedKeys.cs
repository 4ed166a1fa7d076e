using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Security;

/// <summary>
/// The keys that protect sign-in cookies, antiforgery tokens and the parent session live in PostgreSQL, so
/// every instance behind a proxy reads the same ones (a cookie made by one instance is read by another), and
/// each key is sealed with the installation's master key, as bank secrets are: a copy of the table alone
/// opens nothing.
/// </summary>
public static class SharedKeys
{
    public const string ApplicationName = "TdmEdu.Fees";

    public static void Add(IServiceCollection services, SecretBox box)
    {
        services.AddDataProtection()
            .SetApplicationName(ApplicationName)
            .PersistKeysToDbContext<FeesDb>()
            .AddKeyManagementOptions(o => o.XmlEncryptor = new Sealer(box));
    }

    private sealed class Sealer(SecretBox box) : IXmlEncryptor
    {
        public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
            new(new XElement("sealed", box.Seal(plaintextElement.ToString(SaveOptions.DisableFormatting))), typeof(Opener));
    }

    /// <summary>Made by the data-protection system from the type name stored with each key.</summary>
    public sealed class Opener(IServiceProvider services) : IXmlDecryptor
    {
        public XElement Decrypt(XElement encryptedElement) =>
            XElement.Parse(services.GetRequiredService<SecretBox>().Open(encryptedElement.Value));
    }
}
