using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Banks;

/// <summary>One school account's bank settings, with secrets opened for the call at hand. Never logged.</summary>
public sealed record AccountSettings(SchoolBankAccount Account, string SchoolCode, string? BidvPassword, string? BidvSecret, string? MsbSecret);

/// <summary>Reads and checks the bank settings of school accounts; the adapters get only what they need.</summary>
public sealed class BankSettings(FeesDb db, SecretBox box)
{
    public async Task<AccountSettings?> ByAccountAsync(string bank, string accountNumber, CancellationToken ct)
    {
        var a = await (from acc in db.BankAccounts.AsNoTracking()
                       join s in db.Schools.AsNoTracking() on acc.SchoolId equals s.Id
                       where acc.Bank == bank && acc.AccountNo == accountNumber
                       select new { acc, s.Code }).FirstOrDefaultAsync(ct);
        return a is null ? null : Open(a.acc, a.Code);
    }

    /// <summary>BIDV accounts that answer to a username (several schools may share an authority-level service).</summary>
    public async Task<List<AccountSettings>> BidvByUsernameAsync(string username, CancellationToken ct)
    {
        var rows = await (from acc in db.BankAccounts.AsNoTracking()
                          join s in db.Schools.AsNoTracking() on acc.SchoolId equals s.Id
                          where acc.Bank == "BIDV" && acc.BidvUsername == username
                          select new { acc, s.Code }).ToListAsync(ct);
        return rows.Select(r => Open(r.acc, r.Code)).ToList();
    }

    private AccountSettings Open(SchoolBankAccount a, string school) => new(a, school,
        a.BidvPasswordSealed is null ? null : box.Open(a.BidvPasswordSealed),
        a.BidvSecretSealed is null ? null : box.Open(a.BidvSecretSealed),
        a.MsbSecretSealed is null ? null : box.Open(a.MsbSecretSealed));

    /// <summary>Every missing or unusable value, one sentence each, naming school and bank; empty when all is well.</summary>
    public static IReadOnlyList<string> Check(SchoolBankAccount a, string schoolCode, SecretBox box)
    {
        var problems = new List<string>();
        var at = $"school {schoolCode}, {a.Bank} account";
        bool Opens(string? sealedText)
        {
            if (sealedText is null) return false;
            try { box.Open(sealedText); return true; }
            catch (CryptographicException) { return false; }
        }
        switch (a.Bank)
        {
            case "BIDV":
                if (string.IsNullOrWhiteSpace(a.BidvServiceId)) problems.Add($"{at}: the BIDV service id is missing.");
                if (string.IsNullOrWhiteSpace(a.BidvUsername)) problems.Add($"{at}: the BIDV username is missing.");
                if (!Opens(a.BidvPasswordSealed)) problems.Add($"{at}: the BIDV password is missing or cannot be opened with this master key.");
                if (!Opens(a.BidvSecretSealed)) problems.Add($"{at}: the BIDV checksum secret is missing or cannot be opened with this master key.");
                if (a.VaPrefix is { } bp && (bp.Length != 4 || !bp.All(char.IsAsciiLetterOrDigit)))
                    problems.Add($"{at}: the virtual-account prefix \"{bp}\" is not 4 letters or digits.");
                break;
            case "VCB":
                if (string.IsNullOrWhiteSpace(a.VcbPublicKeyPem)) problems.Add($"{at}: Vietcombank's public key (PEM) is missing.");
                else
                {
                    try
                    {
                        using var rsa = RSA.Create();
                        rsa.ImportFromPem(a.VcbPublicKeyPem);
                        if (rsa.KeySize < 2048) problems.Add($"{at}: Vietcombank's public key has {rsa.KeySize} bits; at least 2048 are needed.");
                    }
                    catch (ArgumentException)
                    {
                        problems.Add($"{at}: Vietcombank's public key is not a readable PEM key.");
                    }
                }
                // The statement API is optional; half of its credentials is a mistake.
                if (a.VcbClientId is not null != (a.VcbClientSecretSealed is not null))
                    problems.Add($"{at}: the statement API needs both the client id and the client secret.");
                else if (a.VcbClientSecretSealed is not null && !Opens(a.VcbClientSecretSealed))
                    problems.Add($"{at}: the statement API client secret cannot be opened with this master key.");
                break;
            case "MSB":
                if (!Opens(a.MsbSecretSealed)) problems.Add($"{at}: the MSB shared secret is missing or cannot be opened with this master key.");
                if (a.VaPrefix is not { Length: 6 } mp || !mp.All(char.IsAsciiDigit))
                    problems.Add($"{at}: the MSB virtual-account prefix must be 6 digits.");
                break;
        }
        return problems;
    }
}
