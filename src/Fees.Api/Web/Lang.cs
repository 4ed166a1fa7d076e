using System.Globalization;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// The page language: Vietnamese unless the user chose English (a cookie). Money as 1.500.000 ₫, dates as
/// dd/MM/yyyy in both; words from one table, so a missing translation shows up as its key in a test.
/// </summary>
public sealed class Lang(IHttpContextAccessor http)
{
    public const string Cookie = "fees.lang";

    public bool English => http.HttpContext?.Request.Cookies[Cookie] == "en";

    public string Code => English ? "en" : "vi";

    public string this[string key] => Words.TryGetValue(key, out var w) ? English ? w.En : w.Vi : key;

    /// <summary>A refusal from the ledger or a parser, in the page's language (Vietnamese where the rule wrote it).</summary>
    public string Say(Exception e) => e switch
    {
        _ when English => e.Message,
        Application.BusinessRuleException b => b.Vietnamese,
        Application.BadInputException b => string.Join(Environment.NewLine, b.Problems.Select(p => p.Render(vietnamese: true))),
        _ => e.Message,
    };

    public string Say(Application.Said said) => English ? said.En : said.Vi;

    public static string Money(long vnd) => vnd.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.') + " ₫";

    public static string Date(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    private static readonly Dictionary<string, (string Vi, string En)> Words = new()
    {
        ["app"] = ("Thu học phí không dùng tiền mặt", "Cashless school fees"),
        ["sign-in"] = ("Đăng nhập", "Sign in"),
        ["sign-out"] = ("Đăng xuất", "Sign out"),
        ["email"] = ("Thư điện tử", "Email"),
        ["password"] = ("Mật khẩu", "Password"),
        ["wrong-login"] = ("Thư điện tử hoặc mật khẩu không đúng.", "The email or the password is wrong."),
        ["locked"] = ("Đăng nhập sai quá nhiều lần: tài khoản bị khoá 15 phút.", "Too many wrong passwords: this login is locked for 15 minutes."),
        ["denied"] = ("Không được phép", "Not allowed"),
        ["denied-text"] = ("Tài khoản này không được xem trang này.", "This login may not see this page."),
        ["month"] = ("Tháng", "Month"),
        ["billed"] = ("Đã lập thông báo", "Billed"),
        ["collected"] = ("Đã thu", "Collected"),
        ["outstanding"] = ("Còn phải thu", "Outstanding"),
        ["notices"] = ("Thông báo", "Notices"),
        ["paid"] = ("Đã nộp đủ", "Paid"),
        ["partial"] = ("Nộp một phần", "Partly paid"),
        ["unpaid"] = ("Chưa nộp", "Unpaid"),
        ["overdue"] = ("Quá hạn", "Overdue"),
        ["cash"] = ("Tiền mặt", "Cash"),
        ["bank"] = ("Chuyển khoản", "Bank"),
        ["queue"] = ("Giao dịch chờ đối soát", "Bank lines to review"),
        ["rate"] = ("Tỷ lệ thu", "Collection rate"),
        ["school"] = ("Trường", "School"),
        ["schools"] = ("Các trường", "Schools"),
        ["no-notices"] = ("Chưa có thông báo học phí cho tháng này.", "No fee notices for this month yet."),
        ["parent"] = ("Tra cứu học phí", "Look up school fees"),
        ["parent-intro"] = ("Nhập mã thanh toán in trên thông báo và ngày sinh của con.", "Enter the payment code printed on the notice and your child's date of birth."),
        ["payment-code"] = ("Mã thanh toán", "Payment code"),
        ["date-of-birth"] = ("Ngày sinh của con (dd/MM/yyyy)", "Child's date of birth (dd/MM/yyyy)"),
        ["look-up"] = ("Tra cứu", "Look up"),
        ["no-such-code"] = ("Không có mã thanh toán này. Hãy kiểm tra lại mã trên thông báo.", "There is no such payment code. Check the code on the notice."),
        ["dob-mismatch"] = ("Ngày sinh không khớp với học sinh có mã này:", "The date of birth does not match the pupil with this code:"),
        ["too-many"] = ("Tra cứu quá nhiều lần. Vui lòng thử lại sau.", "Too many look-ups. Please try again later."),
        ["notice"] = ("Thông báo", "Notice"),
        ["status"] = ("Trạng thái", "Status"),
        ["status-issued"] = ("Chưa nộp", "Unpaid"),
        ["status-partially_paid"] = ("Nộp một phần", "Partly paid"),
        ["status-paid"] = ("Đã nộp đủ", "Paid"),
        ["status-refunded"] = ("Đã hoàn tiền", "Refunded"),
        ["due"] = ("hạn nộp", "due"),
        ["item"] = ("Khoản thu", "Item"),
        ["quantity"] = ("Số lượng", "Quantity"),
        ["unit-price"] = ("Đơn giá", "Unit price"),
        ["reduction"] = ("Miễn giảm", "Reduction"),
        ["amount"] = ("Số tiền", "Amount"),
        ["balance"] = ("Còn phải nộp", "Left to pay"),
        ["paid-so-far"] = ("Đã nộp", "Paid so far"),
        ["all"] = ("Tất cả", "All"),
        ["class"] = ("Lớp", "Class"),
        ["filter"] = ("Lọc", "Filter"),
        ["pupil"] = ("Học sinh", "Pupil"),
        ["issued"] = ("Chưa nộp", "Unpaid"),
        ["schedule"] = ("Biểu phí năm học", "Fee schedule"),
        ["schedule-help"] = ("Tải lên biểu phí của năm học (JSON); các khoản đang dùng được giữ, khoản bỏ đi được đánh dấu ngừng.", "Upload a school year's fee schedule (JSON); items in use are kept, dropped ones are retired."),
        ["items"] = ("khoản thu", "items"),
        ["policies"] = ("đối tượng miễn giảm", "reduction groups"),
        ["users"] = ("Người dùng", "Users"),
        ["name"] = ("Họ tên", "Name"),
        ["role"] = ("Vai trò", "Role"),
        ["locked-until"] = ("Bị khoá đến", "Locked until"),
        ["add-user"] = ("Thêm người dùng", "Add a user"),
        ["export-xlsx"] = ("Xuất Excel (XLSX)", "Export to Excel (XLSX)"),
        ["print-notices"] = ("In thông báo (PDF)", "Print the notices (PDF)"),
        ["two-per-page"] = ("2 thông báo mỗi trang", "two to a page"),
        ["roster"] = ("Danh sách học sinh", "Roster"),
        ["roster-help"] = ("Tải lên tệp CSV hoặc XLSX theo mẫu; mọi dòng được kiểm tra, có lỗi thì không dòng nào được ghi.", "Upload a CSV or XLSX file; every row is checked, and nothing is written if one is wrong."),
        ["import"] = ("Nhập danh sách", "Import"),
        ["imported"] = ("Đã nhập", "Imported"),
        ["added"] = ("mới", "new"),
        ["changed"] = ("thay đổi", "changed"),
        ["transferred"] = ("chuyển trường", "transferred"),
        ["unchanged"] = ("không đổi", "unchanged"),
        ["nothing-imported"] = ("Không nhập dòng nào: hãy sửa các lỗi dưới đây rồi tải lên lại.", "Nothing was imported: fix the rows below and upload again."),
        ["line"] = ("Dòng", "Line"),
        ["column"] = ("Cột", "Column"),
        ["problem"] = ("Lỗi", "Problem"),
        ["billing"] = ("Lập thông báo học phí", "Monthly billing"),
        ["preview"] = ("Xem trước", "Preview"),
        ["issue"] = ("Lập thông báo", "Issue the notices"),
        ["preview-title"] = ("Xem trước (chưa ghi gì)", "Preview (nothing written)"),
        ["issued-count"] = ("Đã lập thông báo", "Notices issued"),
        ["already-billed"] = ("đã có từ trước", "already billed"),
        ["gross"] = ("Trước miễn giảm", "Before reductions"),
        ["total"] = ("Tổng", "Total"),
        ["waiting"] = ("giao dịch chờ quyết định", "bank line(s) waiting"),
        ["pupil-code"] = ("Mã học sinh", "Pupil code"),
        ["reason"] = ("Lý do", "Reason"),
        ["confirm"] = ("Xác nhận cho học sinh", "Confirm for the pupil"),
        ["not-a-fee"] = ("Không phải khoản thu", "Not a fee payment"),
        ["split"] = ("Chia cho nhiều học sinh", "Split over several pupils"),
        ["decided-lines"] = ("Giao dịch đã xử lý", "Decided lines"),
        ["decided-help"] = ("Quyết định mới nhất trước; hoàn tác đưa giao dịch về hàng chờ, tiền đã ghi được đảo bằng bút toán ngược.", "Latest first; undo puts the line back in the queue, and money it moved is reversed by a linked entry."),
        ["content"] = ("Nội dung", "Description"),
        ["decision"] = ("Quyết định", "Decision"),
        ["reassign"] = ("Chuyển sang học sinh khác", "Move to another pupil"),
        ["undo"] = ("Hoàn tác", "Undo"),
        ["move-applied"] = ("Chuyển giao dịch đã khớp tự động", "Move a line applied automatically"),
        ["move-applied-help"] = ("Dùng khi hệ thống đã ghi đúng mã nhưng phụ huynh nộp nhầm cho con khác; mã giao dịch có trong tệp đối soát.", "When the code was right but the parent paid for the wrong child; the line id is in the reconciliation export."),
        ["line-id"] = ("Mã giao dịch", "Line id"),
        ["cash-title"] = ("Thu tiền mặt", "Cash payment"),
        ["receipt-issued"] = ("Đã lập biên lai", "Receipt issued"),
        ["receipt-pdf"] = ("In biên lai (PDF)", "Print the receipt (PDF)"),
        ["next-payment"] = ("Thu khoản tiếp theo", "Take the next payment"),
        ["find-notice"] = ("Tìm thông báo", "Find the notice"),
        ["print"] = ("In", "Print"),
        ["payer"] = ("Người nộp", "Paid by"),
        ["record-cash"] = ("Ghi nhận và lập biên lai", "Record and issue the receipt"),
        ["cashless-share"] = ("Tỷ lệ không dùng tiền mặt", "Cashless share"),
        ["by-school"] = ("Theo trường", "By school"),
        ["receipt-gaps"] = ("Số biên lai bị thiếu hoặc trùng", "Receipt numbers missing or repeated"),
        ["no-receipt-gaps"] = ("Không có: mọi quyển biên lai liền số.", "None: every receipt series is gap-free."),
        ["by-ward"] = ("Theo phường, xã", "By ward"),
        ["by-level"] = ("Theo cấp học", "By level"),
        ["by-item"] = ("Theo khoản thu", "By item"),
        ["far-below"] = ("Thấp hơn nhiều so với các trường khác", "Far below its peers"),
        ["open-data"] = ("dữ liệu mở, không có thông tin cá nhân", "open data, no personal details"),
        ["download-qr"] = ("Tải mã QR", "Download the QR code"),
        ["how-to-pay"] = ("Cách nộp", "How to pay"),
        ["account"] = ("tài khoản", "account"),
        ["virtual-account"] = ("tài khoản định danh", "virtual account"),
        ["bidv-bill"] = ("hoặc Thanh toán hoá đơn → Học phí, mã", "or Bill payment → School fees, code"),
        ["history"] = ("Lịch sử nộp tiền", "Payments"),
        ["date"] = ("Ngày", "Date"),
        ["method"] = ("Hình thức", "Method"),
        ["receipt"] = ("Biên lai", "Receipt"),
    };
}
