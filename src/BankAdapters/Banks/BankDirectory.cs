namespace TdmEdu.Fees.BankAdapters.Banks;

/// <summary>A bank as VietQR and our school accounts know it: keyed by its NAPAS BIN.</summary>
public sealed record BankInfo(string Bin, string Code, string Name);

/// <summary>The banks the service knows, keyed by BIN (short codes differ between providers).</summary>
public static class BankDirectory
{
    // The codes of the banks a school collects through, as school accounts store them (school_bank_accounts.bank).
    public const string Bidv = "BIDV";
    public const string Vcb = "VCB";
    public const string Msb = "MSB";

    public static readonly IReadOnlyList<BankInfo> All =
    [
        new("970418", Bidv, "BIDV"),
        new("970436", Vcb, "Vietcombank"),
        new("970426", Msb, "MSB"),
        new("970415", "ICB", "VietinBank"),
        new("970405", "VBA", "Agribank"),
        new("970407", "TCB", "Techcombank"),
        new("970422", "MB", "MB"),
        new("970416", "ACB", "ACB"),
        new("970432", "VPB", "VPBank"),
        new("970423", "TPB", "TPBank"),
        new("970403", "STB", "Sacombank"),
        // The rest of NAPAS's VietQR list, for schools that bank elsewhere and collect through an aggregator (issue 16).
        new("970437", "HDB", "HDBank"),
        new("970443", "SHB", "SHB"),
        new("970441", "VIB", "VIB"),
        new("970448", "OCB", "OCB"),
        new("970449", "LPB", "LPBank"),
        new("970428", "NAB", "NamABank"),
        new("970419", "NCB", "NCB"),
        new("970412", "PVCB", "PVcomBank"),
        new("970429", "SCB", "SCB"),
        new("970431", "EIB", "Eximbank"),
        new("970430", "PGB", "PGBank"),
        new("970425", "ABB", "ABBANK"),
        new("970409", "BAB", "BacABank"),
        new("970438", "BVB", "BaoVietBank"),
        new("970406", "DOB", "DongABank"),
        new("970452", "KLB", "KienLongBank"),
        new("970414", "OCEANBANK", "Oceanbank"),
        new("970440", "SEAB", "SeABank"),
        new("970400", "SGICB", "SaigonBank"),
        new("970427", "VAB", "VietABank"),
        new("970454", "VCCB", "VietCapitalBank"),
        new("970433", "VIETBANK", "VietBank"),
        new("970408", "GPB", "GPBank"),
        new("970444", "CBB", "CBBank"),
        new("546034", "CAKE", "CAKE"),
        new("546035", "UBANK", "Ubank"),
        new("963388", "TIMO", "Timo"),
        new("970424", "SHBVN", "ShinhanBank"),
        new("458761", "HSBC", "HSBC"),
        new("970410", "SCVN", "StandardChartered"),
        new("970457", "WVN", "Woori"),
        new("422589", "CIMB", "CIMB"),
        new("970442", "HLBVN", "HongLeong"),
        new("970439", "PBVN", "PublicBank"),
        new("970434", "IVB", "IndovinaBank"),
        new("533948", "CITIBANK", "Citibank"),
        new("796500", "DBS", "DBSBank"),
        new("970458", "UOB", "UnitedOverseas"),
        new("970455", "IBKHN", "IBKHN"),
        new("970456", "IBKHCM", "IBKHCM"),
        new("970466", "KEBHANAHCM", "KEBHanaHCM"),
        new("970467", "KEBHANAHN", "KEBHANAHN"),
        new("970462", "KBHN", "KookminHN"),
        new("970463", "KBHCM", "KookminHCM"),
        new("801011", "NHBHN", "Nonghyup"),
        new("668888", "KBANK", "KBank"),
        new("970421", "VRB", "VRB"),
        new("970446", "COOPBANK", "COOPBANK"),
    ];

    /// <summary>
    /// The aggregators a school may collect through for an account at any bank of <see cref="All"/>: each pushes the
    /// account's credits as a webhook of its own (docs/contracts/aggregators.md). Stored as the account's channel.
    /// </summary>
    public const string Sepay = "SEPAY", Casso = "CASSO", Payos = "PAYOS";

    public static readonly IReadOnlyList<string> Aggregators = [Sepay, Casso, Payos];

    /// <summary>The banks a school can collect through (contracts/banks.md).</summary>
    public static readonly IReadOnlyList<string> CollectionBanks = [Bidv, Vcb, Msb];

    /// <summary>The collection banks as a sentence names them: "BIDV, VCB or MSB".</summary>
    public static string CollectionBanksInWords => string.Join(", ", CollectionBanks.Take(CollectionBanks.Count - 1)) + " or " + CollectionBanks[^1];

    public static BankInfo? ByCode(string code) =>
        All.FirstOrDefault(b => string.Equals(b.Code, code.Trim(), StringComparison.OrdinalIgnoreCase)
                                || string.Equals(b.Name, code.Trim(), StringComparison.OrdinalIgnoreCase));

    public static BankInfo? ByBin(string bin) => All.FirstOrDefault(b => b.Bin == bin.Trim());

    public static BankInfo? ByBinOrCode(string text) => ByBin(text) ?? ByCode(text);
}
