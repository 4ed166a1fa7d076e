namespace TdmEdu.Fees.Api.Web;

/// <summary>The words of bank money on the screens: the statement upload, the transactions list, the review queue's suggestions.</summary>
public sealed partial class Lang
{
    /// <summary>An outcome of a bank transaction in the page's language (the codes are those of `reconcile export` and the bank calls').</summary>
    public string Outcome(string code) => this["outcome-" + code];

    /// <summary>A channel in the page's language.</summary>
    public string Channel(string code) => this["txch-" + code];

    /// <summary>A stored reason in the page's language: its Vietnamese where it was written, else the English one (ADR 13).</summary>
    public string Reason(string? en, string? vi) => English ? en ?? "" : vi ?? en ?? "";

    internal static readonly Dictionary<string, (string Vi, string En)> BankWords = new()
    {
        ["statement-title"] = ("Tải sao kê ngân hàng", "Upload a bank statement"),
        ["statement-help"] = ("Chọn tệp sao kê (camt.053, MT940, BIDV Fileout, hoặc tệp Excel của VCB, BIDV, MSB). Bước 1 xem trước, chưa ghi gì; bước 2 nhập đúng tệp đó và đối soát.",
            "Choose a statement file (camt.053, MT940, BIDV Fileout, or the VCB, BIDV, MSB Excel exports). Step 1 previews it and writes nothing; step 2 imports exactly that file and reconciles."),
        ["statement-file"] = ("Tệp sao kê", "Statement file"),
        ["statement-account"] = ("Tài khoản", "Account"),
        ["statement-format"] = ("Định dạng", "Format"),
        ["format-auto"] = ("Tự nhận biết", "Detect"),
        ["statement-preview"] = ("Xem trước", "Preview"),
        ["statement-preview-title"] = ("Xem trước: đối soát sẽ làm gì (chưa ghi gì)", "Preview: what reconciliation would do (nothing written)"),
        ["statement-summary"] = ("{0}: {1} dòng, {2} dòng mới, {3} dòng đã nhập trước đây.", "{0}: {1} line(s), {2} new, {3} imported before."),
        ["statement-sha"] = ("Mã SHA-256 của tệp", "The file's SHA-256"),
        ["statement-import"] = ("Nhập sao kê và đối soát", "Import and reconcile"),
        ["statement-imported"] = ("Đã nhập {0}: {1} dòng, {2} dòng mới, {3} dòng đã có (bỏ qua).", "Imported {0}: {1} line(s), {2} new, {3} already imported (skipped)."),
        ["statement-reconciled"] = ("Kết quả đối soát", "Reconciliation"),
        ["statement-nothing-new"] = ("Không có dòng mới nào cần đối soát.", "No new line to reconcile."),
        ["statement-refused"] = ("Không nhập gì: hãy sửa các lỗi dưới đây rồi tải lên lại.", "Nothing was imported: fix what is below and upload again."),
        ["statement-choose"] = ("Hãy chọn tệp sao kê tối đa {0}.", "Choose a statement file of at most {0}."),
        ["imported-before"] = ("Đã nhập trước đây", "Imported before"),
        ["see-transactions"] = ("Xem các giao dịch", "See the transactions"),
        ["see-queue"] = ("Xem giao dịch chờ đối soát", "See the review queue"),
        ["tx-title"] = ("Giao dịch ngân hàng", "Bank transactions"),
        ["tx-from"] = ("Từ ngày", "From"),
        ["tx-to"] = ("Đến ngày", "To"),
        ["tx-outcome"] = ("Kết quả", "Outcome"),
        ["tx-channel"] = ("Kênh", "Channel"),
        ["tx-count"] = ("{0} giao dịch", "{0} transaction(s)"),
        ["tx-none"] = ("Không có giao dịch nào.", "No transaction."),
        ["tx-page"] = ("Trang {0}/{1}", "Page {0} of {1}"),
        ["tx-newer"] = ("Trang trước", "Previous page"),
        ["tx-older"] = ("Trang sau", "Next page"),
        ["tx-paid"] = ("Đã ghi cho", "Paid for"),
        ["tx-ref"] = ("Số tham chiếu", "Bank reference"),
        ["tx-decided"] = ("Đã xử lý", "Decided"),
        ["tx-bad-days"] = ("Khoảng ngày không hợp lệ; đang xem tất cả các ngày.", "The days are not valid; showing every day."),
        ["direction-credit"] = ("Tiền vào", "Money in"),
        ["direction-debit"] = ("Tiền ra", "Money out"),
        ["txch-statement"] = ("Sao kê", "Statement"),
        ["txch-bidv-bill"] = ("Thanh toán hoá đơn BIDV", "BIDV bill payment"),
        ["txch-vcb-notify"] = ("Thông báo Vietcombank", "Vietcombank notification"),
        ["txch-msb-notify"] = ("Thông báo MSB", "MSB notification"),
        ["outcome-matched"] = ("Đã khớp, đủ số tiền", "Matched, amount equals balance"),
        ["outcome-partial"] = ("Đã khớp, nộp một phần", "Matched, part paid"),
        ["outcome-overpaid"] = ("Đã khớp, nộp thừa", "Matched, overpaid"),
        ["outcome-multi"] = ("Đã khớp nhiều học sinh", "Matched several pupils"),
        ["outcome-duplicate"] = ("Trùng, không ghi lần nữa", "Duplicate, not applied again"),
        ["outcome-suggested"] = ("Có gợi ý, chờ xác nhận", "Suggested, waiting for review"),
        ["outcome-unmatched"] = ("Chưa khớp, chờ xử lý", "Unmatched, waiting for review"),
        ["outcome-reversed"] = ("Đã đảo", "Reversed"),
        ["outcome-ignored"] = ("Không phải khoản thu", "Not a fee payment"),
        ["outcome-applied"] = ("Đã ghi nhận", "Applied"),
        ["outcome-parked"] = ("Chưa rõ học sinh, chờ xử lý", "Unidentified, waiting for review"),
        ["outcome-held"] = ("Đảo chưa áp dụng, chờ xử lý", "Reversal held for review"),
        ["outcome-failed"] = ("Lỗi, chờ xử lý", "Failed, waiting for review"),
        ["outcome-pending"] = ("Chưa đối soát", "Not reconciled yet"),
        ["suggestions"] = ("Gợi ý", "Suggestions"),
        ["best-suggestion"] = ("gợi ý hàng đầu", "first choice"),
        ["no-clear-first"] = ("Các gợi ý ngang nhau: hãy kiểm tra trước khi chọn.", "The suggestions are equally likely: check before choosing."),
        ["confirm-for"] = ("Ghi cho {0}", "Pay for {0}"),
        ["confirm-typed"] = ("Ghi cho mã đã nhập", "Pay for the code typed"),
        ["review-reason-help"] = ("Một lý do cho mọi nút của giao dịch này.", "One reason for every button of this line."),
        ["review-or-type"] = ("Hoặc nhập mã học sinh", "Or type a pupil code"),
        ["split-parts"] = ("Các phần (MÃ=SỐ TIỀN, mỗi dòng một phần)", "Parts (CODE=AMOUNT, one per line)"),
        ["link-statement"] = ("Tải sao kê", "Upload a statement"),
        ["link-transactions"] = ("Giao dịch ngân hàng", "Bank transactions"),
    };
}
