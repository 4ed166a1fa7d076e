namespace TdmEdu.Fees.Api.Web;

/// <summary>The words of the billing run's preview and of closing a month.</summary>
public sealed partial class Lang
{
    internal static readonly Dictionary<string, (string Vi, string En)> MonthWords = new()
    {
        ["billing-due"] = ("Hạn nộp", "Due date"),
        ["billing-due-help"] = ("Để trống: theo ngày hạn nộp của biểu phí. Không chọn ngày đã qua.", "Empty: the schedule's due day. Not a day in the past."),
        ["billing-due-schedule"] = ("Theo biểu phí", "The schedule's"),
        ["billing-reduced"] = ("Học sinh được miễn, giảm", "Pupils with a reduction"),
        ["billing-no-contact"] = ("Không có số điện thoại hay thư điện tử", "No phone or e-mail"),
        ["billing-expiring"] = ("Giấy tờ miễn giảm sắp hết hạn", "Reduction evidence expiring"),
        ["billing-warn-contact"] = ("{0} học sinh không có số điện thoại hay thư điện tử của phụ huynh: gia đình sẽ không nhận được tin nhắn; hãy bổ sung danh sách học sinh.",
            "{0} pupils have no guardian phone or e-mail: their families will not be told; complete the roster."),
        ["billing-warn-expiring"] = ("{0} học sinh có giấy tờ miễn, giảm hết hạn trước kỳ thu sau: hãy nhắc phụ huynh nộp giấy tờ mới.",
            "{0} pupils have reduction evidence that runs out before next month: ask for new evidence."),
        ["billing-school-days"] = ("{0}: tính {1} ngày học trong tháng.", "{0}: {1} school days counted this month."),
        ["billing-by-item"] = ("Theo khoản thu", "By item"),
        ["billing-by-class"] = ("Theo lớp", "By class"),
        ["billing-item"] = ("Khoản thu", "Item"),
        ["billing-refund"] = ("Hoàn ngày nghỉ", "Days refunded"),
        ["close-title"] = ("Khoá sổ tháng", "Close the month"),
        ["close-state"] = ("Tình trạng", "State"),
        ["close-open"] = ("Đang mở", "Open"),
        ["close-closed"] = ("Đã khoá sổ", "Closed"),
        ["close-unpaid"] = ("Thông báo chưa nộp đủ", "Notices still owing"),
        ["close-closed-by"] = ("Khoá sổ bởi {0} lúc {1}.", "Closed by {0} on {1}."),
        ["close-help"] = ("Sau khi khoá sổ, tháng này không lập thêm thông báo; các khoản nộp vẫn được ghi nhận vào thông báo của tháng.",
            "Once closed, the month takes no more billing; payments still apply to its notices."),
        ["close-confirm"] = ("Tôi xác nhận khoá sổ tháng {0}", "I confirm closing {0}"),
        ["close-button"] = ("Khoá sổ", "Close the month"),
        ["close-said"] = ("Đã khoá sổ tháng.", "The month is closed."),
        ["close-back"] = ("Về trang tháng", "Back to the month"),
        ["sheet-notices"] = ("Thông báo", "Notices"),
        ["sheet-notice-no"] = ("Số thông báo", "Notice number"),
        ["sheet-student-code"] = ("Mã học sinh", "Student code"),
        ["sheet-month"] = ("Tháng", "Month"),
        ["sheet-due"] = ("Phải nộp (đồng)", "Billed (đồng)"),
        ["sheet-paid"] = ("Đã nộp (đồng)", "Paid (đồng)"),
        ["sheet-balance"] = ("Còn phải nộp (đồng)", "Left to pay (đồng)"),
        ["sheet-due-date"] = ("Hạn nộp", "Due date"),
        ["sheet-account"] = ("Tài khoản nhận", "Account paid into"),
        ["sheet-vietqr"] = ("Mã VietQR", "VietQR code"),
    };
}
