using System.Globalization;
using System.Text;

namespace TdmEdu.Fees.Api.Application.Books;

/// <summary>
/// The bank book as a file (docs/contracts/bank-book.md): CSV with the contract's columns, or XLSX with Vietnamese headings,
/// one row per book entry and per difference, framed by the stated balances, for every account of the school.
/// </summary>
public static class BankBookFile
{
    public static readonly string[] Columns = ["account", "section", "date", "document", "kind", "student_code", "in", "out", "bank_ref", "content", "why"];

    /// <summary>The reason for a difference in Vietnamese: the file's words, which the page's words take too.</summary>
    public static string WhyVi(string why) => why switch
    {
        BankBook.Why.Waiting => "Chờ kế toán xử lý (chưa khớp học sinh)",
        BankBook.Why.Parked => "Tiền chưa xác định được học sinh, đang giữ chờ xử lý",
        BankBook.Why.Ignored => "Không phải khoản thu hoặc đã trả lại người chuyển",
        BankBook.Why.OtherDebit => "Khoản chi không thuộc khoản thu (phí ngân hàng, chuyển đi)",
        BankBook.Why.OtherMonth => "Ghi sổ ở tháng khác",
        BankBook.Why.NotReconciled => "Chưa đối chiếu",
        BankBook.Why.NoLine => "Chưa có trên sao kê đã nhập",
        BankBook.Why.Refund => "Hoàn tiền bằng chuyển khoản: đối chiếu với khoản chi trên sao kê",
        BankBook.Why.Reversed => "Ngân hàng thu hồi khoản đã báo có",
        _ => why,
    };

    private static IEnumerable<string[]> Rows(BankBook.Account a)
    {
        static string D(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        static string N(long v) => v == 0 ? "" : v.ToString(CultureInfo.InvariantCulture);
        var first = a.Month.FirstDay;
        var last = first.AddMonths(1).AddDays(-1);
        yield return [a.AccountNo, "opening", D(first), "", "", "", a.OpeningVnd?.ToString(CultureInfo.InvariantCulture) ?? "", "", "", "", a.OpeningVnd is null ? "not-stated" : ""];
        foreach (var e in a.Entries)
            yield return [a.AccountNo, "entry", D(e.Date), e.Document, e.Kind, e.StudentCode ?? "", N(e.InVnd), N(e.OutVnd), e.OnStatement?.BankRef ?? "", "", ""];
        foreach (var d in a.NotInBook)
            yield return [a.AccountNo, "not-in-book", D(d.Line.Day), "", "", "", N(d.InVnd), N(d.OutVnd), d.Line.BankRef ?? "", d.Line.Content, d.Why];
        foreach (var l in a.Unconfirmed)
            yield return [a.AccountNo, "unconfirmed", D(l.Day), "", "", "", N(l.InVnd), N(l.OutVnd), l.BankRef ?? "", l.Content, "file-only"];
        foreach (var c in a.BalanceConflicts)
            yield return [a.AccountNo, "conflict", c, "", "", "", "", "", "", "", "balances-differ"];
        foreach (var d in a.NotOnStatement)
            yield return [a.AccountNo, "not-on-statement", D(d.Entry.Date), d.Entry.Document, d.Entry.Kind, d.Entry.StudentCode ?? "", N(d.Entry.InVnd), N(d.Entry.OutVnd), "", "", d.Why];
        yield return [a.AccountNo, "statement-lines", D(last), "", "", "", N(a.StatementInVnd), N(a.StatementOutVnd), "", "", ""];
        yield return [a.AccountNo, "closing", D(last), "", "", "", a.ClosingVnd?.ToString(CultureInfo.InvariantCulture) ?? "", "", "", "",
            a.ClosingVnd is null ? "not-stated" : a.StatementGapVnd is { } gap && gap != 0 ? $"gap {gap.ToString(CultureInfo.InvariantCulture)}" : ""];
    }

    public static async Task<byte[]> BytesAsync(IReadOnlyList<BankBook.Account> book, bool xlsx, CancellationToken ct)
    {
        var rows = book.SelectMany(Rows).ToList();
        if (!xlsx)
            return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(Files.CsvFile.Text(Columns, rows))];
        string[] vi = ["Tài khoản", "Phần", "Ngày", "Số chứng từ", "Loại", "Mã học sinh", "Thu (đồng)", "Chi (đồng)", "Số tham chiếu", "Nội dung", "Ghi chú"];
        var sections = new Dictionary<string, string>
        {
            ["opening"] = "Số dư đầu kỳ theo sao kê", ["entry"] = "Ghi sổ", ["not-in-book"] = "Trên sao kê, chưa ghi sổ tháng này",
            ["not-on-statement"] = "Đã ghi sổ, không có trên sao kê tháng này", ["unconfirmed"] = "Chỉ có trong tệp tải lên, ngân hàng không báo",
            ["conflict"] = "Số dư các sao kê nêu khác nhau", ["statement-lines"] = "Cộng phát sinh trên sao kê", ["closing"] = "Số dư cuối kỳ theo sao kê",
        };
        var kinds = new Dictionary<string, string> { ["payment"] = "Báo có", ["reversal"] = "Đảo khoản thu", ["refund"] = "Hoàn tiền", [""] = "" };
        var sheet = rows.Select(r => new Dictionary<string, object?>
        {
            [vi[0]] = r[0], [vi[1]] = sections[r[1]], [vi[2]] = r[2], [vi[3]] = r[3], [vi[4]] = kinds.GetValueOrDefault(r[4], r[4]), [vi[5]] = r[5],
            [vi[6]] = r[6].Length == 0 ? null : long.Parse(r[6], CultureInfo.InvariantCulture), [vi[7]] = r[7].Length == 0 ? null : long.Parse(r[7], CultureInfo.InvariantCulture),
            [vi[8]] = r[8], [vi[9]] = r[9],
            [vi[10]] = r[10] switch { "" => "", "not-stated" => "Sao kê chưa nêu số dư", "file-only" => "Cần đối chiếu với ngân hàng", "balances-differ" => "Cần đối chiếu với ngân hàng", _ when r[10].StartsWith("gap ", StringComparison.Ordinal) => $"Lệch {r[10][4..]} đồng: thiếu dòng sao kê", _ => WhyVi(r[10]) },
        }).ToList();
        using var ms = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(ms, new Dictionary<string, object> { ["Sổ tiền gửi"] = sheet }, cancellationToken: ct);
        return ms.ToArray();
    }
}
