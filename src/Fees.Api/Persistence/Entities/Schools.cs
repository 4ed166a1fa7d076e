using System.ComponentModel.DataAnnotations;

namespace TdmEdu.Fees.Api.Persistence;

public sealed class Authority
{
    public Guid Id { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string PaymentCodePrefix { get; set; } = "HS";
    public int NextPaymentSequence { get; set; }
    /// <summary>A reversal, a replaced receipt or a refund above this many đồng waits for the school's principal.</summary>
    public long CorrectionApprovalLimitVnd { get; set; } = DefaultCorrectionApprovalLimitVnd;
    [Timestamp] public uint Version { get; set; }

    public const long DefaultCorrectionApprovalLimitVnd = 5_000_000;
}

public sealed class Ward
{
    public Guid Id { get; set; }
    public Guid AuthorityId { get; set; }
    public string Name { get; set; } = "";
}

public sealed class School
{
    public Guid Id { get; set; }
    public Guid AuthorityId { get; set; }
    public Guid? WardId { get; set; }
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Level { get; set; } = "";
    /// <summary>The most one cash payment at the counter may be; null is the default below.</summary>
    public long? CashLimitVnd { get; set; }
    /// <summary>The school's tax code (mã số thuế) and address, as its e-receipts state them (contracts/ereceipts.md §4); null until given.</summary>
    public string? TaxCode { get; set; }
    public string? Address { get; set; }
    [Timestamp] public uint Version { get; set; }

    public const long DefaultCashLimitVnd = 50_000_000;
}

public sealed class SchoolBankAccount
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public string Bank { get; set; } = "";
    public string Bin { get; set; } = "";
    public string AccountNo { get; set; } = "";
    public string AccountName { get; set; } = "";
    /// <summary>Order in which the school listed its accounts; the first is printed on notices.</summary>
    public int Position { get; set; }

    /// <summary>BIDV bill payment: the service id the bank calls with (several schools may share one).</summary>
    public string? BidvServiceId { get; set; }
    public string? BidvUsername { get; set; }
    /// <summary>Secrets are stored sealed (AES-GCM under FEES_MASTER_KEY), never in clear.</summary>
    public string? BidvPasswordSealed { get; set; }
    public string? BidvSecretSealed { get; set; }
    /// <summary>Virtual-account prefix: 4 characters at BIDV, 6 digits at MSB.</summary>
    public string? VaPrefix { get; set; }
    /// <summary>Vietcombank's public key (PEM) that verifies its notifications; public, so not sealed.</summary>
    public string? VcbPublicKeyPem { get; set; }
    public string? MsbSecretSealed { get; set; }
    /// <summary>Vietcombank statement API: OAuth2 client credentials (the secret sealed).</summary>
    public string? VcbClientId { get; set; }
    public string? VcbClientSecretSealed { get; set; }
    /// <summary>
    /// The aggregator the account's credits come through (<see cref="TdmEdu.Fees.BankAdapters.Banks.BankDirectory.Aggregators"/>),
    /// for an account at a bank the service has no channel of its own with; null when the bank itself calls.
    /// </summary>
    public string? Channel { get; set; }
    /// <summary>The aggregator's key: SePay's API key, Casso's or payOS's checksum key. Sealed like every secret.</summary>
    public string? AggregatorKeySealed { get; set; }
    /// <summary>The last day whose statement was pulled complete from the bank's API; the next pull starts there.</summary>
    public DateOnly? StatementsPulledThrough { get; set; }
    /// <summary>
    /// When the administrator stopped using the account: no notice, QR or parent page offers it any more, while money
    /// that still reaches it is imported and reconciled as before. An account is retired, never deleted.
    /// </summary>
    public DateTimeOffset? RetiredAt { get; set; }
}

/// <summary>Keys the sandbox banks sign with (VCB's private key). Local only; never production credentials.</summary>
public sealed class SandboxKey
{
    public Guid AccountId { get; set; }
    public string VcbPrivateKeySealed { get; set; } = "";
}

public sealed class ReceiptSeriesRow
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public string Template { get; set; } = "";
    public string Series { get; set; } = "";
    public long NextNumber { get; set; } = 1;
    public bool IsDefault { get; set; }
}

public sealed class SchoolClass
{
    public Guid Id { get; set; }
    public Guid SchoolId { get; set; }
    public string Name { get; set; } = "";
    public int Grade { get; set; }
}
