using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Roster;

/// <summary>
/// The rules of a school's fields, in one place for the schools file (`fees schools import`) and the administrator's
/// page: each refusal in English (the CLI's words, unchanged) and in Vietnamese naming the field, as the page shows it.
/// </summary>
public static class SchoolFields
{
    /// <summary>A refusal of one field: the file's column, the reason in English, the reason in Vietnamese (which names the field).</summary>
    public delegate void Refuse(string column, string en, string vi);

    public const int MaxNameLength = 200, MaxWardLength = 100, MaxSymbolLength = 20, MaxAddressLength = 400;

    /// <summary>The Vietnamese name of each column, as the file may write it and as the page labels its field.</summary>
    public static readonly IReadOnlyDictionary<string, string> Vietnamese = new Dictionary<string, string>
    {
        ["school_code"] = "Mã trường", ["name"] = "Tên trường", ["level"] = "Cấp học", ["ward"] = "Phường/Xã",
        ["bank"] = "Ngân hàng", ["account_no"] = "Số tài khoản", ["account_name"] = "Tên tài khoản",
        ["receipt_template"] = "Ký hiệu mẫu", ["receipt_series"] = "Ký hiệu", ["via"] = "Thu qua", ["tax_code"] = "Mã số thuế", ["address"] = "Địa chỉ",
    };

    public sealed record SchoolPart(string Code, string Name, string Level, string? Ward);

    /// <summary>An account; <see cref="Channel"/> names the aggregator its credits come through, null when its bank calls itself.</summary>
    public sealed record AccountPart(string Bank, string Bin, string AccountNo, string AccountName, string? Channel = null);

    public static SchoolPart School(string code, string name, string level, string? ward, Refuse bad)
    {
        code = Need("school_code", code, bad).ToUpperInvariant();
        if (code.Length > 0 && (code.Length > 20 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            bad("school_code", $"\"{code}\" is not a school code (letters, digits, '-' and '_', at most 20).",
                $"Mã trường \"{code}\" không hợp lệ: chỉ gồm chữ, số, '-' và '_', tối đa 20 ký tự.");
        name = Need("name", name, bad);
        if (name.Length > MaxNameLength) bad("name", $"is longer than {MaxNameLength} characters.", $"Tên trường dài quá {MaxNameLength} ký tự.");
        level = Need("level", level, bad).ToUpperInvariant();
        if (level.Length > 0 && (!Enum.TryParse<SchoolLevel>(level, out _) || int.TryParse(level, out _)))
            bad("level", $"\"{level}\" is not a school level (MN, MG, TH, THCS, THPT).", $"Cấp học \"{level}\" không hợp lệ: chọn MN, MG, TH, THCS hoặc THPT.");
        ward = ward?.Trim();
        if (ward is { Length: > MaxWardLength }) bad("ward", $"is longer than {MaxWardLength} characters.", $"Phường/Xã dài quá {MaxWardLength} ký tự.");
        return new SchoolPart(code, name, level, string.IsNullOrEmpty(ward) ? null : ward);
    }

    /// <summary>
    /// An account of a school. Without <paramref name="via"/> its bank must be one the service has a channel with (BIDV,
    /// VCB, MSB); through an aggregator (SePay, Casso, payOS) it may be at any bank of NAPAS's VietQR list.
    /// </summary>
    public static AccountPart Account(string bankText, string accountNo, string accountName, Refuse bad, string? via = null)
    {
        bankText = Need("bank", bankText, bad);
        var bank = BankDirectory.ByBinOrCode(bankText);
        via = via?.Trim() ?? "";
        var channel = via.Length == 0 ? null : BankDirectory.Aggregators.FirstOrDefault(a => a.Equals(via, StringComparison.OrdinalIgnoreCase));
        if (via.Length > 0 && channel is null)
            bad("via", $"\"{via}\" is not an aggregator the service takes (SePay, Casso, payOS); leave it empty when the bank itself calls.",
                $"Thu qua \"{via}\" không phải kênh trung gian hệ thống nhận (SePay, Casso, payOS); để trống nếu ngân hàng gọi trực tiếp.");
        if (bankText.Length > 0 && bank is null && channel is not null)
            bad("bank", $"\"{bankText}\" is not a bank of NAPAS's VietQR list (a BIN such as 970415, or a code such as ICB).",
                $"Ngân hàng \"{bankText}\" không có trong danh sách VietQR của NAPAS (mã BIN như 970415, hoặc mã như ICB).");
        else if (bankText.Length > 0 && channel is null && via.Length == 0 && (bank is null || !BankDirectory.CollectionBanks.Contains(bank.Code)))
        {
            var banks = string.Join(", ", BankDirectory.CollectionBanks);
            bad("bank", $"\"{bankText}\" is not a bank the service collects through ({banks}); another bank's account is collected through an aggregator (column via: SePay, Casso or payOS).",
                $"Ngân hàng \"{bankText}\" không phải ngân hàng hệ thống thu qua ({banks}); tài khoản ngân hàng khác thu qua kênh trung gian (cột Thu qua: SePay, Casso hoặc payOS).");
        }
        var account = Need("account_no", accountNo, bad).Replace(" ", "", StringComparison.Ordinal);
        if (account.Length > 0 && (account.Length is < 6 or > 19 || !account.All(char.IsAsciiLetterOrDigit)))
            bad("account_no", "is not an account number (6 to 19 letters or digits).", "Số tài khoản không hợp lệ: từ 6 đến 19 chữ hoặc số.");
        accountName = Need("account_name", accountName, bad);
        if (accountName.Length > MaxNameLength) bad("account_name", $"is longer than {MaxNameLength} characters.", $"Tên tài khoản dài quá {MaxNameLength} ký tự.");
        return new AccountPart(bank?.Code ?? bankText, bank?.Bin ?? "", account, accountName, channel);
    }

    /// <summary>A receipt template and series: both or neither.</summary>
    public static (string? Template, string? Series) Series(string? template, string? series, Refuse bad)
    {
        template = template?.Trim() ?? "";
        series = series?.Trim() ?? "";
        if ((template.Length == 0) != (series.Length == 0))
            bad(template.Length == 0 ? "receipt_template" : "receipt_series", "receipt_template and receipt_series go together: give both or neither.",
                "Ký hiệu mẫu và Ký hiệu đi cùng nhau: nhập cả hai hoặc bỏ trống cả hai.");
        foreach (var (column, value) in new[] { ("receipt_template", template), ("receipt_series", series) })
            if (value.Length > MaxSymbolLength || value.Any(char.IsWhiteSpace))
                bad(column, $"is not a symbol (at most {MaxSymbolLength} characters, no spaces).", $"{Vietnamese[column]} không hợp lệ: tối đa {MaxSymbolLength} ký tự, không có khoảng trắng.");
        return (template.Length == 0 ? null : template, series.Length == 0 ? null : series);
    }

    /// <summary>
    /// The school's tax code and address, as its e-receipts state them: a tax code of 10 digits, or 10 digits, a dash and
    /// 3 (a dependent unit's); an address of at most 400 characters. Empty is none (not yet given).
    /// </summary>
    public static (string? TaxCode, string? Address) Tax(string? taxCode, string? address, Refuse bad)
    {
        taxCode = taxCode?.Trim().Replace(" ", "", StringComparison.Ordinal) ?? "";
        if (taxCode.Length > 0 && !(taxCode.Length == 10 && taxCode.All(char.IsAsciiDigit)
                                    || taxCode.Length == 14 && taxCode[10] == '-' && taxCode.Remove(10, 1).All(char.IsAsciiDigit)))
            bad("tax_code", $"\"{taxCode}\" is not a tax code (10 digits, or 10 digits, '-' and 3 digits).",
                $"Mã số thuế \"{taxCode}\" không hợp lệ: 10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số.");
        address = address?.Trim() ?? "";
        if (address.Length > MaxAddressLength) bad("address", $"is longer than {MaxAddressLength} characters.", $"Địa chỉ dài quá {MaxAddressLength} ký tự.");
        return (taxCode.Length == 0 ? null : taxCode, address.Length == 0 ? null : address);
    }

    private static string Need(string column, string? value, Refuse bad)
    {
        value = value?.Trim() ?? "";
        if (value.Length == 0) bad(column, "is empty.", $"{Vietnamese[column]} còn trống.");
        return value;
    }
}
