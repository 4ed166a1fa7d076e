using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.BankAdapters.Banks;

namespace TdmEdu.Fees.Api.Application.Banks;

/// <summary>One school account's bank settings, with secrets opened for the call at hand. Never logged.</summary>
public sealed record AccountSettings(SchoolBankAccount Account, string SchoolCode, string? BidvPassword, string? BidvSecret, string? MsbSecret,
    string? AggregatorKey = null);

/// <summary>Reads and checks the bank settings of school accounts; the adapters get only what they need.</summary>
public sealed class BankSettings(FeesDb db, SecretBox box)
{
    /// <summary>
    /// The account a bank's call names. <paramref name="bank"/> is the caller: a bank with a channel of its own (the
    /// account's bank, called directly) or an aggregator (the account's channel, whatever its bank).
    /// </summary>
    public async Task<AccountSettings?> ByAccountAsync(string bank, string accountNumber, CancellationToken ct)
    {
        var aggregator = BankDirectory.Aggregators.Contains(bank);
        var a = await (from acc in db.BankAccounts.AsNoTracking()
                       join s in db.Schools.AsNoTracking() on acc.SchoolId equals s.Id
                       where (aggregator ? acc.Channel == bank : acc.Bank == bank && acc.Channel == null) && acc.AccountNo == accountNumber
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
        a.MsbSecretSealed is null ? null : box.Open(a.MsbSecretSealed),
        a.AggregatorKeySealed is null ? null : box.Open(a.AggregatorKeySealed));

    /// <summary>Every missing or unusable value, one sentence each, naming school and bank; empty when all is well.</summary>
    public static IReadOnlyList<Said> Check(SchoolBankAccount a, string schoolCode, SecretBox box)
    {
        var problems = new List<Said>();
        var at = $"school {schoolCode}, {a.Bank} account";
        var vi = $"trường {schoolCode}, tài khoản {a.Bank}";
        void Add(string en, string viText) => problems.Add(new Said($"{at}: {en}", $"{vi}: {viText}"));
        bool Opens(string? sealedText)
        {
            if (sealedText is null) return false;
            try { box.Open(sealedText); return true; }
            catch (CryptographicException) { return false; }
        }
        const string Unopenable = "không có hoặc không mở được bằng khoá chủ của hệ thống này.";
        if (a.Channel is { } channel)
        {
            // Through an aggregator, the bank's own settings are not used: only the aggregator's key.
            if (!Opens(a.AggregatorKeySealed))
                Add($"the {channel} key (--secret-env) is missing or cannot be opened with this master key.", $"khoá {channel} " + Unopenable);
            return problems;
        }
        switch (a.Bank)
        {
            case "BIDV":
                if (string.IsNullOrWhiteSpace(a.BidvServiceId)) Add("the BIDV service id is missing.", "thiếu mã dịch vụ BIDV.");
                if (string.IsNullOrWhiteSpace(a.BidvUsername)) Add("the BIDV username is missing.", "thiếu tên đăng nhập BIDV.");
                if (!Opens(a.BidvPasswordSealed)) Add("the BIDV password is missing or cannot be opened with this master key.", "mật khẩu BIDV " + Unopenable);
                if (!Opens(a.BidvSecretSealed)) Add("the BIDV checksum secret is missing or cannot be opened with this master key.", "khoá kiểm tra (checksum) BIDV " + Unopenable);
                if (a.VaPrefix is { } bp && !VirtualAccounts.PrefixFits(a.Bank, bp))
                    Add($"the virtual-account prefix \"{bp}\" is not 4 letters or digits.", $"tiền tố tài khoản định danh \"{bp}\" phải gồm 4 chữ hoặc số.");
                break;
            case "VCB":
                if (string.IsNullOrWhiteSpace(a.VcbPublicKeyPem)) Add("Vietcombank's public key (PEM) is missing.", "thiếu khoá công khai (PEM) của Vietcombank.");
                else
                {
                    try
                    {
                        using var rsa = RSA.Create();
                        rsa.ImportFromPem(a.VcbPublicKeyPem);
                        if (rsa.KeySize < 2048) Add($"Vietcombank's public key has {rsa.KeySize} bits; at least 2048 are needed.", $"khoá công khai Vietcombank chỉ có {rsa.KeySize} bit; cần ít nhất 2048.");
                    }
                    catch (ArgumentException)
                    {
                        Add("Vietcombank's public key is not a readable PEM key.", "khoá công khai Vietcombank không phải là khoá PEM đọc được.");
                    }
                }
                // The statement API is optional; half of its credentials is a mistake.
                if (a.VcbClientId is not null != (a.VcbClientSecretSealed is not null))
                    Add("the statement API needs both the client id and the client secret.", "API sao kê cần cả mã client và khoá bí mật client.");
                else if (a.VcbClientSecretSealed is not null && !Opens(a.VcbClientSecretSealed))
                    Add("the statement API client secret cannot be opened with this master key.", "khoá bí mật client của API sao kê " + Unopenable);
                break;
            case "MSB":
                if (!Opens(a.MsbSecretSealed)) Add("the MSB shared secret is missing or cannot be opened with this master key.", "khoá bí mật chung MSB " + Unopenable);
                if (a.VaPrefix is not { } mp || !VirtualAccounts.PrefixFits(a.Bank, mp))
                    Add("the MSB virtual-account prefix must be 6 digits.", "tiền tố tài khoản định danh MSB phải gồm 6 chữ số.");
                break;
        }
        return problems;
    }

    /// <summary>
    /// New values for an account's bank settings; null keeps what is stored. Secrets arrive in clear and are sealed here.
    /// <c>Via</c> is the aggregator the account's credits come through ("SEPAY", "CASSO", "PAYOS"), "" for the bank itself.
    /// </summary>
    public sealed record Change(string? ServiceId = null, string? Username = null, string? Password = null, string? Secret = null, string? VaPrefix = null,
        string? ClientId = null, string? ClientSecret = null, string? PublicKeyPem = null, string? Via = null);

    /// <summary>
    /// Saves a school account's bank settings (`fees banks configure` and the administrator's page): applied only if
    /// the result is complete and usable, audited without the values.
    /// </summary>
    public static async Task ConfigureAsync(FeesDb db, SecretBox box, BusinessClock clock, Actor actor, string school, string bank, Change change, CancellationToken ct)
    {
        if ((change.ClientId is not null || change.ClientSecret is not null) && bank != "VCB")
            throw new BadInputException("--client-id", null, null, "statement API client credentials are for Vietcombank; MSB signs its statement queries with the --secret-env secret.",
                "mã và khoá client của API sao kê chỉ dùng cho Vietcombank.");
        var account = await (from a in db.BankAccounts join sc in db.Schools on a.SchoolId equals sc.Id
                             where sc.Code == school && a.Bank == bank && a.RetiredAt == null select a).SingleOrDefaultAsync(ct)
            ?? throw new BadInputException("--school", null, null, $"school {school} has no {bank} account; import it with `fees schools import` first.",
                $"trường {school} không có tài khoản {bank}.");
        if (change.Via is not null)
        {
            var via = change.Via.Trim();
            var channel = via.Length == 0 || via.Equals("none", StringComparison.OrdinalIgnoreCase) ? null
                : BankDirectory.Aggregators.FirstOrDefault(a => a.Equals(via, StringComparison.OrdinalIgnoreCase))
                  ?? throw new BadInputException("--via", null, null, $"\"{via}\" is not SePay, Casso, payOS or none.", $"\"{via}\" không phải SePay, Casso, payOS hay không qua trung gian.");
            if (channel is null && !BankDirectory.CollectionBanks.Contains(account.Bank))
                throw new BadInputException("--via", null, null, $"an account at {account.Bank} is collected through an aggregator (SePay, Casso or payOS); the service has no channel of its own with {account.Bank}.",
                    $"tài khoản tại {account.Bank} phải thu qua kênh trung gian (SePay, Casso hoặc payOS); hệ thống không kết nối trực tiếp với {account.Bank}.");
            if (channel is not null && await db.BankAccounts.AnyAsync(a => a.Id != account.Id && a.Channel == channel && a.AccountNo == account.AccountNo, ct))
                throw new BadInputException("--via", null, null, $"another account numbered {account.AccountNo} is already collected through {channel}, which names an account by its number alone.",
                    $"một tài khoản khác cùng số {account.AccountNo} đã thu qua {channel}; {channel} chỉ nhận diện tài khoản theo số.");
            if (channel != account.Channel)
            {
                // Another channel's key is no key for this one.
                account.Channel = channel;
                account.AggregatorKeySealed = null;
            }
        }
        if (change.ServiceId is not null) account.BidvServiceId = change.ServiceId;
        if (change.Username is not null) account.BidvUsername = change.Username;
        if (change.Password is not null) account.BidvPasswordSealed = box.Seal(change.Password);
        if (change.Secret is not null)
        {
            if (account.Channel is not null) account.AggregatorKeySealed = box.Seal(change.Secret);
            else if (bank == "MSB") account.MsbSecretSealed = box.Seal(change.Secret);
            else account.BidvSecretSealed = box.Seal(change.Secret);
        }
        if (change.VaPrefix is not null) account.VaPrefix = change.VaPrefix;
        if (change.ClientId is not null) account.VcbClientId = change.ClientId;
        if (change.ClientSecret is not null) account.VcbClientSecretSealed = box.Seal(change.ClientSecret);
        if (change.PublicKeyPem is not null) account.VcbPublicKeyPem = change.PublicKeyPem;
        var problems = Check(account, school, box);
        if (problems.Count > 0)
            throw new BadInputException(problems.Select(p => new InputProblem("bank settings", null, null, p.En, p.Vi)).ToList());
        AuditLog.Record(db, clock, actor, "banks.configure", "school_bank_account", account.Id.ToString(), new { school, bank, via = account.Channel });
        await db.SaveChangesAsync(ct);
    }
}
