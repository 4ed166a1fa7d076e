using System.Globalization;
using System.Text;

namespace TdmEdu.Fees.BankAdapters.VietQr;

public enum QrInitiation { Static, Dynamic }

/// <summary>What a VietQR transfer code says (NAPAS "Quy định về định dạng mã VietQR" v1.0).</summary>
public sealed record VietQrPayload(
    QrInitiation Initiation,
    string BankBin,
    string Account,
    string Service,
    long? AmountVnd,
    string? Purpose,
    string? BillNumber)
{
    public const string NapasGuid = "A000000727";
    public const string ToAccount = "QRIBFTTA";
    public const string ToCard = "QRIBFTTC";
    public const long MaxAmountVnd = 499_999_999;
    public const int MaxPurposeLength = 25;

    /// <summary>A dynamic code for one payment: amount and purpose set; the purpose is folded to ASCII.</summary>
    public static VietQrPayload ForPayment(string bin, string account, long amountVnd, string purpose) =>
        new(QrInitiation.Dynamic, bin, account, ToAccount, amountVnd, FoldPurpose(purpose), null);

    /// <summary>Diacritics dropped (đ → d), anything but letters, digits and spaces turned to spaces.</summary>
    public static string FoldPurpose(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD).Replace('đ', 'd').Replace('Đ', 'D');
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(char.IsAsciiLetterOrDigit(c) ? c : ' ');
        }
        return string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>The payload string: fields in ascending id order, CRC last.</summary>
    public string Encode()
    {
        var problems = Validate();
        if (problems.Count > 0) throw new ArgumentException(string.Join(" ", problems));
        var sb = new StringBuilder(160);
        Field(sb, "00", "01");
        Field(sb, "01", Initiation == QrInitiation.Static ? "11" : "12");
        var beneficiary = Tlv("00", BankBin) + Tlv("01", Account);
        Field(sb, "38", Tlv("00", NapasGuid) + Tlv("01", beneficiary) + Tlv("02", Service));
        Field(sb, "53", "704");
        if (AmountVnd is { } a) Field(sb, "54", a.ToString(CultureInfo.InvariantCulture));
        Field(sb, "58", "VN");
        var extra = (BillNumber is null ? "" : Tlv("01", BillNumber)) + (string.IsNullOrEmpty(Purpose) ? "" : Tlv("08", Purpose));
        if (extra.Length > 0) Field(sb, "62", extra);
        sb.Append("6304");
        sb.Append(Crc16.Hex(sb.ToString()));
        return sb.ToString();
    }

    public IReadOnlyList<string> Validate()
    {
        var p = new List<string>();
        if (BankBin.Length != 6 || !BankBin.All(char.IsAsciiDigit)) p.Add($"The bank BIN \"{BankBin}\" is not 6 digits.");
        if (Account.Length is < 1 or > 19 || !Account.All(char.IsAsciiLetterOrDigit)) p.Add("The account is 1 to 19 letters or digits.");
        if (Service is not (ToAccount or ToCard)) p.Add($"The service \"{Service}\" is not QRIBFTTA or QRIBFTTC.");
        if (AmountVnd is { } a && (a <= 0 || a > MaxAmountVnd)) p.Add($"The amount {a} is not between 1 and {MaxAmountVnd} đồng.");
        if (Purpose is { } pu && (pu.Length > MaxPurposeLength || !pu.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ')))
            p.Add($"The purpose is at most {MaxPurposeLength} letters, digits and spaces.");
        if (BillNumber is { Length: > 25 }) p.Add("The bill number is at most 25 characters.");
        return p;
    }

    private static void Field(StringBuilder sb, string id, string value) => sb.Append(Tlv(id, value));

    private static string Tlv(string id, string value)
    {
        if (value.Length is < 1 or > 99) throw new ArgumentException($"Field {id} would be {value.Length} characters; a field holds 1 to 99.");
        return id + value.Length.ToString("D2", CultureInfo.InvariantCulture) + value;
    }
}
