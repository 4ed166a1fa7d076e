using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;

namespace TdmEdu.Fees.Api.Sandbox;

public sealed record SandboxCredentials(string SchoolCode, string Bank, string AccountNo, BidvSandbox? Bidv, VcbSandbox? Vcb, MsbSandbox? Msb,
    AggregatorSandbox? Aggregator = null);

/// <summary>An account collected through an aggregator: which one, and the key it signs (or authorises) its calls with.</summary>
public sealed record AggregatorSandbox(string Via, string Key);

public sealed record BidvSandbox(string ServiceId, string Username, string Password, string Secret, string? VaPrefix);

public sealed record VcbSandbox(string PrivateKeyPem);

public sealed record MsbSandbox(string Secret, string VaPrefix);

/// <summary>
/// Local sandbox credentials for every school account that has none: generated here on first use, stored
/// sealed in the local database under .data/, never committed, never production ones. Rotate them by
/// clearing the columns (or removing .data/) and asking again.
/// </summary>
public sealed class BankSandbox(FeesDb db, SecretBox box)
{
    public const string SandboxServiceId = "HOCPHI_TDM";

    public async Task<List<SandboxCredentials>> EnsureAsync(CancellationToken ct = default)
    {
        var accounts = await (from a in db.BankAccounts
                              join s in db.Schools on a.SchoolId equals s.Id
                              orderby s.Code, a.Position
                              select new { a, s.Code }).ToListAsync(ct);
        var keys = await db.SandboxKeys.ToDictionaryAsync(k => k.AccountId, ct);
        var result = new List<SandboxCredentials>();
        var n = 0;
        foreach (var (a, school) in accounts.Select(x => (x.a, x.Code)))
        {
            n++;
            if (a.Channel is { } channel)
            {
                // Through an aggregator only the aggregator's key counts; a configured one is never replaced.
                a.AggregatorKeySealed ??= box.Seal(Random(24));
                result.Add(new SandboxCredentials(school, a.Bank, a.AccountNo, null, null, null, new AggregatorSandbox(channel, box.Open(a.AggregatorKeySealed))));
                continue;
            }
            switch (a.Bank)
            {
                case "BIDV":
                    a.BidvServiceId ??= SandboxServiceId;
                    a.BidvUsername ??= $"bidv_{school.ToLowerInvariant()}";
                    a.BidvPasswordSealed ??= box.Seal(Random(18));
                    a.BidvSecretSealed ??= box.Seal(Random(24));
                    a.VaPrefix ??= $"V{n % 1000:D3}";
                    result.Add(new SandboxCredentials(school, a.Bank, a.AccountNo,
                        new BidvSandbox(a.BidvServiceId, a.BidvUsername, box.Open(a.BidvPasswordSealed), box.Open(a.BidvSecretSealed), a.VaPrefix), null, null));
                    break;
                case "VCB":
                    // Only an account without Vietcombank's key gets a sandbox pair; a configured key is never replaced.
                    if (a.VcbPublicKeyPem is null)
                    {
                        using var rsa = RSA.Create(2048);
                        a.VcbPublicKeyPem = rsa.ExportSubjectPublicKeyInfoPem();
                        var fresh = new SandboxKey { AccountId = a.Id, VcbPrivateKeySealed = box.Seal(rsa.ExportPkcs8PrivateKeyPem()) };
                        if (keys.TryGetValue(a.Id, out var old)) db.SandboxKeys.Remove(old);
                        db.SandboxKeys.Add(fresh);
                        keys[a.Id] = fresh;
                    }
                    result.Add(new SandboxCredentials(school, a.Bank, a.AccountNo, null,
                        keys.TryGetValue(a.Id, out var key) ? new VcbSandbox(box.Open(key.VcbPrivateKeySealed)) : null, null));
                    break;
                case "MSB":
                    a.MsbSecretSealed ??= box.Seal(Random(32));
                    a.VaPrefix ??= $"{880000 + n % 10000:D6}";
                    result.Add(new SandboxCredentials(school, a.Bank, a.AccountNo, null, null, new MsbSandbox(box.Open(a.MsbSecretSealed), a.VaPrefix)));
                    break;
            }
        }
        await db.SaveChangesAsync(ct);
        return result;
    }

    private static string Random(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));
}
