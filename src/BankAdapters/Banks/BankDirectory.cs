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
    ];

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
