using System.Globalization;
using System.Text;

namespace TdmEdu.Fees.BankAdapters.Bidv;

/// <summary>One transaction of BIDV's daily reconciliation file (Fileout), or of Fileout-Refund when <see cref="Refund"/>.</summary>
public sealed record BidvFileoutRow(
    int Line,
    string ServiceId,
    string? ServiceDetail,
    string BillId,
    string CustomerId,
    long AmountVnd,
    string Currency,
    string? Trace,
    DateTime Originated,
    DateTime? Paid,
    string? DebitAccount,
    string? CreditAccount,
    string? ReconResult,
    string? TransactionType,
    string? Info,
    string BidvTransId,
    bool Refund)
{
    /// <summary>The key its posting was stored under: (service id, transaction id).</summary>
    public string PostingKey => $"{ServiceId}:{BidvTransId}";
}

public sealed class BidvFileoutException(string message, int? line = null, string? column = null, string? reason = null, string? reasonVi = null)
    : FormatException(message)
{
    /// <summary>Where and why, apart from the whole message, for a page's list of problems; null where the message is all there is.</summary>
    public int? Line { get; } = line;
    public string? Column { get; } = column;
    public string? Reason { get; } = reason;
    public string? ReasonVi { get; } = reasonVi;
}

/// <summary>
/// Reads a Fileout from its header row and data rows (CSV or XLSX cells). Columns are found by their
/// Vietnamese header text, with or without marks; one bad row refuses the whole file, naming line and column.
/// </summary>
public static class BidvFileout
{
    private static readonly (string Key, string Header, bool Required)[] Columns =
    [
        ("service", "Mã dịch vụ", true),
        ("detail", "Mã dịch vụ chi tiết", false),
        ("bill", "Mã hóa đơn", true),
        ("customer", "Mã khách hàng tại đối tác", true),
        ("amount", "Số tiền giao dịch", true),
        ("currency", "Mã tiền tệ", false),
        ("trace", "Số Trace hệ thống", false),
        ("otime", "Giờ khởi tạo", true),
        ("odate", "Ngày khởi tạo", true),
        ("ptime", "Giờ thanh toán", false),
        ("pdate", "Ngày thanh toán", false),
        ("debit", "Tài khoản ghi nợ", false),
        ("credit", "Tài khoản ghi có", false),
        ("result", "Kết quả đối soát", false),
        ("type", "Loại giao dịch", false),
        ("info", "Thông tin bổ sung", false),
        ("id", "ID giao dịch BIDV", true),
    ];

    public static IReadOnlyList<BidvFileoutRow> Parse(string fileName, IReadOnlyList<string> header, IEnumerable<(int Line, IReadOnlyList<string> Cells)> rows, bool refund)
    {
        var folded = header.Select(Fold).ToList();
        var index = new Dictionary<string, int>();
        foreach (var (key, name, required) in Columns)
        {
            var i = folded.IndexOf(Fold(name));
            if (i < 0 && required)
                throw new BidvFileoutException($"{fileName}, header: the column \"{name}\" is missing; is this a BIDV Fileout?", null, null,
                    $"the header has no column \"{name}\"; is this a BIDV Fileout?", $"dòng tiêu đề thiếu cột \"{name}\"; đây có phải tệp BIDV Fileout không?");
            if (i >= 0) index[key] = i;
        }
        var result = new List<BidvFileoutRow>();
        foreach (var (line, cells) in rows)
        {
            if (cells.All(string.IsNullOrWhiteSpace)) continue;
            string Cell(string key) => index.TryGetValue(key, out var i) && i < cells.Count ? cells[i].Trim() : "";
            string Need(string key)
            {
                var v = Cell(key);
                return v.Length > 0 ? v : throw Bad(key, "is empty", "bị trống");
            }
            BidvFileoutException Bad(string key, string why, string whyVi)
            {
                var header = $"\"{Columns.First(c => c.Key == key).Header}\"";
                return new($"{fileName}, line {line}, column {header}: {why}.", line, header, why + ".", whyVi + ".");
            }

            var amountText = Need("amount").Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
            if (!long.TryParse(amountText, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
                throw Bad("amount", $"\"{Cell("amount")}\" is not a whole number of đồng above 0", $"\"{Cell("amount")}\" không phải số đồng nguyên lớn hơn 0");
            var currency = Cell("currency") is { Length: > 0 } c ? c : "VND";
            if (currency is not ("VND" or "704")) throw Bad("currency", $"{currency} is not VND", $"{currency} không phải VND");
            var originated = When(Need("odate"), Need("otime"))
                ?? throw Bad("odate", $"\"{Cell("odate")} {Cell("otime")}\" is not yyyyMMdd HHmmss", $"\"{Cell("odate")} {Cell("otime")}\" không theo dạng yyyyMMdd HHmmss");
            var paid = Cell("pdate").Length > 0 ? When(Cell("pdate"), Cell("ptime").Length > 0 ? Cell("ptime") : "000000")
                ?? throw Bad("pdate", $"\"{Cell("pdate")} {Cell("ptime")}\" is not yyyyMMdd HHmmss", $"\"{Cell("pdate")} {Cell("ptime")}\" không theo dạng yyyyMMdd HHmmss") : (DateTime?)null;
            result.Add(new BidvFileoutRow(line, Need("service"), Opt(Cell("detail")), Need("bill"), Need("customer"), amount, "VND",
                Opt(Cell("trace")), originated, paid, Opt(Cell("debit")), Opt(Cell("credit")), Opt(Cell("result")), Opt(Cell("type")),
                Opt(Cell("info")), Need("id"), refund));
        }
        var dup = result.GroupBy(r => r.PostingKey).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
            throw new BidvFileoutException($"{fileName}, line {dup.ElementAt(1).Line}: transaction {dup.First().BidvTransId} is already on line {dup.First().Line}.",
                dup.ElementAt(1).Line, null, $"transaction {dup.First().BidvTransId} is already on line {dup.First().Line}.",
                $"giao dịch {dup.First().BidvTransId} đã có ở dòng {dup.First().Line}.");
        return result;
    }

    private static string? Opt(string s) => s.Length == 0 ? null : s;

    private static DateTime? When(string date, string time) =>
        DateTime.TryParseExact(date + time.PadLeft(6, '0'), "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static string Fold(string text)
    {
        var d = text.Trim().ToLowerInvariant().Replace('đ', 'd').Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder();
        foreach (var ch in d)
            if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark && (char.IsLetterOrDigit(ch) || ch == ' ')) sb.Append(ch);
        return string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}
