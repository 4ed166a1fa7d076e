namespace TdmEdu.Fees.Api.Web;

/// <summary>The words of the accounting page: the month's vouchers and the claim for state support.</summary>
public sealed partial class Lang
{
    internal static readonly Dictionary<string, (string Vi, string En)> LedgerBooksWords = new()
    {
        ["acc-title"] = ("Chứng từ kế toán", "Accounting vouchers"),
        ["acc-help"] = ("Các khoản tiền mặt và chuyển khoản của tháng thành chứng từ để nhập vào phần mềm kế toán của trường; tổng khớp với sổ thu.",
            "The month's cash and bank money as vouchers for the school's accounting software; the totals match the ledger."),
        ["acc-vouchers"] = ("Chứng từ trong tháng", "Vouchers of the month"),
        ["acc-count"] = ("Số chứng từ", "Vouchers"),
        ["acc-debit"] = ("TK Nợ", "Debit"),
        ["acc-credit"] = ("TK Có", "Credit"),
        ["acc-lines"] = ("Số dòng", "Lines"),
        ["acc-none"] = ("Tháng này chưa có khoản tiền nào.", "No money this month yet."),
        ["acc-xlsx"] = ("Tải chứng từ (Excel)", "Download the vouchers (Excel)"),
        ["acc-csv"] = ("Tải chứng từ (CSV)", "Download the vouchers (CSV)"),
        ["acc-support"] = ("Nhà nước hỗ trợ: bảng kê đề nghị cấp kinh phí", "State support: the claim to the budget"),
        ["acc-support-none"] = ("Tháng này không có khoản hỗ trợ nào.", "No state support this month."),
        ["acc-support-kind"] = ("Khoản hỗ trợ", "Support"),
        ["acc-pupils"] = ("Số học sinh", "Pupils"),
        ["acc-support-month"] = ("Tải bảng kê tháng (Excel)", "Download the month's claim (Excel)"),
        ["acc-support-year"] = ("Tải bảng kê cả năm học (Excel)", "Download the school year's claim (Excel)"),
    };
}
