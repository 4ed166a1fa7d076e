using System.Globalization;
using TdmEdu.Fees.Api.Common;

namespace TdmEdu.Fees.Api.Web;

/// <summary>
/// The page language: Vietnamese unless the user chose English (a cookie). Money as 1.500.000 ₫, dates as
/// dd/MM/yyyy in both; words from one table, so a missing translation shows up as its key in a test. An area keeps
/// its words in a partial file of its own (Lang.Parent.cs, Lang.Messages.cs): an internal static table found by type.
/// </summary>
public sealed partial class Lang(IHttpContextAccessor http)
{
    public const string Cookie = "fees.lang";

    public bool English => http.HttpContext?.Request.Cookies[Cookie] == "en";

    public string Code => English ? "en" : "vi";

    public string this[string key] => AllWords.TryGetValue(key, out var w) ? English ? w.En : w.Vi : key;

    /// <summary>Every text of the tables in both languages (a test builds its list of English words from them).</summary>
    public static IEnumerable<(string Vi, string En)> Texts => AllWords.Values;

    /// <summary>Whether the tables know a word (tests look for keys shown as themselves).</summary>
    public static bool Knows(string key) => AllWords.ContainsKey(key);

    private static Dictionary<string, (string Vi, string En)>? allWords;

    /// <summary>
    /// Every word table of this class, whichever partial file declares it (Lang.Parent.cs, Lang.Messages.cs, ...), in one
    /// dictionary; a key in two tables stops the start with the key's name. Built on first use: the order in which
    /// partial files' static fields are set is not defined.
    /// </summary>
    private static Dictionary<string, (string Vi, string En)> AllWords => allWords ??= typeof(Lang)
        .GetFields(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(Dictionary<string, (string Vi, string En)>) && f.Name != nameof(allWords))
        .SelectMany(f => (Dictionary<string, (string Vi, string En)>)f.GetValue(null)!)
        .ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>A refusal from the ledger or a parser, in the page's language (Vietnamese where the rule wrote it).</summary>
    public string Say(Exception e) => e switch
    {
        _ when English => e.Message,
        BusinessRuleException b => b.Vietnamese,
        BadInputException b => string.Join(Environment.NewLine, b.Problems.Select(p => p.Render(vietnamese: true))),
        _ => e.Message,
    };

    /// <summary>A form's refusal without the CLI's option names: just the reasons, in the page's language.</summary>
    public string Reasons(Exception e) => e is BadInputException bad
        ? string.Join(" ", bad.Problems.Select(p => English ? p.Reason : p.ReasonVi ?? p.Reason))
        : Say(e);

    public string Say(Common.Said said) => English ? said.En : said.Vi;

    /// <summary>A role as this page's language calls it, capitalised (Kế toán, Accountant).</summary>
    public string Role(string role)
    {
        var word = English ? Roles.English(role.Trim().ToLowerInvariant()) : Roles.Vietnamese(role.Trim().ToLowerInvariant());
        return word.Length == 0 ? word : char.ToUpper(word[0], System.Globalization.CultureInfo.InvariantCulture) + word[1..];
    }

    public static string Money(long vnd) => Number(vnd) + " ₫";

    /// <summary>1.500.000: an amount as a form field shows it (the forms read it back with or without the dots).</summary>
    public static string Number(long vnd) => Domain.Money.Money.Digits(vnd);

    /// <summary>
    /// An amount as typed in a form: digits, optionally grouped by three with dots (1.500.000) or commas (1,500,000).
    /// "1.5" or "1.500.00" are refused rather than read as 15 or 150.000 đồng.
    /// </summary>
    public static bool TryParseAmount(string? text, out long vnd)
    {
        vnd = 0;
        var t = (text ?? "").Trim();
        if (!System.Text.RegularExpressions.Regex.IsMatch(t, @"^(\d+|\d{1,3}(\.\d{3})+|\d{1,3}(,\d{3})+)$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
            return false;
        return long.TryParse(t.Replace(".", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out vnd);
    }

    /// <summary>A day a page may ask its books for: the ends of the calendar have no day around them.</summary>
    public static bool IsSensibleDay(DateOnly d) => d.Year is >= 2000 and <= 2200;

    public static string Date(DateOnly d) => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    internal static readonly Dictionary<string, (string Vi, string En)> Words = new()
    {
        ["app"] = ("Thu tiền trường không dùng tiền mặt", "Cashless school fees"),
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
        ["no-notices"] = ("Chưa có thông báo thu cho tháng này.", "No fee notices for this month yet."),
        ["parent"] = ("Tra cứu khoản phải nộp", "Look up school fees"),
        ["parent-intro"] = ("Nhập mã thanh toán in trên thông báo và ngày sinh của con.", "Enter the payment code printed on the notice and your child's date of birth."),
        ["payment-code"] = ("Mã thanh toán", "Payment code"),
        ["date-of-birth"] = ("Ngày sinh của con", "Child's date of birth"),
        ["look-up"] = ("Tra cứu", "Look up"),
        ["no-match"] = ("Không tìm thấy học sinh có mã thanh toán và ngày sinh này. Hãy kiểm tra lại mã trên thông báo và ngày sinh của con.", "No pupil has this payment code and date of birth. Check the code on the notice and your child's date of birth."),
        ["too-many"] = ("Tra cứu sai quá nhiều lần từ mạng này. Vui lòng thử lại sau.", "Too many failed look-ups from this network. Please try again later."),
        ["notice"] = ("Thông báo", "Notice"),
        ["status"] = ("Trạng thái", "Status"),
        ["status-issued"] = ("Chưa nộp", "Unpaid"),
        ["status-partially_paid"] = ("Nộp một phần", "Partly paid"),
        ["status-paid"] = ("Đã nộp đủ", "Paid"),
        ["status-refunded"] = ("Đã huỷ, tiền đã nộp thành tiền thừa", "Cancelled; the money paid became credit"),
        ["due"] = ("hạn nộp", "due"),
        ["item"] = ("Khoản thu", "Item"),
        ["quantity"] = ("Số lượng", "Quantity"),
        ["unit-price"] = ("Đơn giá", "Unit price"),
        ["reduction"] = ("Miễn giảm", "Reduction"),
        ["legal-basis"] = ("Căn cứ", "Legal basis"),
        ["state-support"] = ("Nhà nước hỗ trợ", "Paid by the state"),
        ["refund-days"] = ("Trừ ngày nghỉ tháng trước", "Days absent given back"),
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
        ["bank-settings"] = ("Cài đặt ngân hàng", "Bank settings"),
        ["secrets-help"] = ("Khoá bí mật chỉ ghi, không bao giờ hiển thị; để trống là giữ giá trị đã lưu.", "Secrets are written, never shown; leave a field blank to keep what is stored."),
        ["bidv-service"] = ("Mã dịch vụ BIDV", "BIDV service id"),
        ["bidv-username"] = ("Tên đăng nhập BIDV", "BIDV username"),
        ["checksum-secret"] = ("Khoá kiểm tra (checksum)", "Checksum secret"),
        ["va-prefix"] = ("Tiền tố tài khoản định danh", "Virtual-account prefix"),
        ["vcb-public-key"] = ("Khoá công khai Vietcombank (PEM)", "Vietcombank public key (PEM)"),
        ["vcb-client-id"] = ("Mã client API sao kê", "Statement API client id"),
        ["vcb-client-secret"] = ("Khoá bí mật client API sao kê", "Statement API client secret"),
        ["msb-secret"] = ("Khoá bí mật chung MSB", "MSB shared secret"),
        ["via"] = ("Thu qua", "Collected through"),
        ["via-direct"] = ("Ngân hàng gọi trực tiếp", "The bank itself"),
        ["via-SEPAY"] = ("SePay", "SePay"),
        ["via-CASSO"] = ("Casso", "Casso"),
        ["via-PAYOS"] = ("payOS", "payOS"),
        ["aggregator-key"] = ("Khoá của kênh trung gian (API key SePay, checksum key Casso hoặc payOS)", "The aggregator's key (SePay API key, Casso or payOS checksum key)"),
        ["webhook-address"] = ("Địa chỉ webhook khai báo tại kênh trung gian", "Webhook address to give the aggregator"),
        ["stored"] = ("đã lưu", "stored"),
        ["not-stored"] = ("chưa có", "not stored"),
        ["save"] = ("Lưu", "Save"),
        ["edit"] = ("Sửa", "Edit"),
        ["complete"] = ("Đủ thông tin", "Complete"),
        ["bank-name"] = ("Ngân hàng", "Bank"),
        ["overview"] = ("Tổng quan các trường", "All schools"),
        ["schedule-edit-help"] = ("Sửa tên, số tiền các khoản thu và tỷ lệ miễn giảm; thông báo đã lập giữ nguyên số tiền cũ, lần lập thông báo sau dùng số mới.", "Edit item names, amounts and reduction percents; notices already issued keep their amounts, the next billing uses the new ones."),
        ["upload-schedule"] = ("Tải lên biểu phí", "Upload a schedule"),
        ["policies-title"] = ("Đối tượng miễn giảm", "Reduction groups"),
        ["code"] = ("Mã", "Code"),
        ["kind"] = ("Loại", "Kind"),
        ["unit"] = ("Tính theo", "Per"),
        ["kind-Tuition"] = ("Học phí", "Tuition"),
        ["kind-Service"] = ("Dịch vụ", "Service"),
        ["kind-PassThrough"] = ("Thu hộ", "Collected on behalf"),
        ["kind-Voluntary"] = ("Tự nguyện", "Voluntary"),
        ["unit-Month"] = ("tháng", "month"),
        ["unit-Day"] = ("ngày", "day"),
        ["unit-Once"] = ("một lần", "once"),
        ["users"] = ("Người dùng", "Users"),
        ["name"] = ("Họ tên", "Name"),
        ["role"] = ("Vai trò", "Role"),
        ["login-state"] = ("Trạng thái", "State"),
        ["login-active"] = ("Đang dùng", "Active"),
        ["login-disabled"] = ("Đã khoá", "Disabled"),
        ["disable-login"] = ("Khoá", "Disable"),
        ["enable-login"] = ("Mở khoá", "Unlock"),
        ["login-held"] = ("Tạm chặn do đăng nhập sai", "Held by failed sign-ins"),
        ["remove-login"] = ("Xoá…", "Remove…"),
        ["remove-login-confirm"] = ("Xoá hẳn", "Remove for good:"),
        ["change-password"] = ("Đổi mật khẩu", "Change password"),
        ["current-password"] = ("Mật khẩu hiện tại", "Current password"),
        ["new-password"] = ("Mật khẩu mới (ít nhất 12 ký tự, có chữ hoa, chữ thường và chữ số)", "New password (at least 12 characters, with upper and lower case letters and a digit)"),
        ["repeat-password"] = ("Nhập lại mật khẩu mới", "New password again"),
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
        ["transfers"] = ("Chuyển trường", "Transfers"),
        ["transfer-help"] = ("Học sinh chuyển sang trường khác giữ mã thanh toán và lịch sử nộp tiền. Thông báo đã lập vẫn thuộc trường cũ và được nộp vào tài khoản của trường cũ; thông báo mới do trường mới lập.",
            "A pupil who changes school keeps the payment code and the payment history. Notices already issued stay with the old school and are paid to its accounts; new notices come from the new school."),
        ["find-pupil"] = ("Tìm học sinh", "Find the pupil"),
        ["to-school"] = ("Chuyển đến trường", "To school"),
        ["from-school"] = ("Từ trường", "From school"),
        ["transfer-same-class"] = ("để trống: lớp cùng tên", "blank: the class of the same name"),
        ["transfer"] = ("Chuyển trường", "Transfer"),
        ["recent-transfers"] = ("Các lần chuyển trường gần đây", "Recent transfers"),
        ["by"] = ("Người thực hiện", "By"),
        ["transfer-open"] = ("Còn {0} thông báo chưa nộp đủ ({1}) ở trường {2}: sau khi chuyển, các thông báo này vẫn thuộc trường {2} và được nộp vào tài khoản của trường {2}.",
            "{0} notice(s) with {1} still to pay at {2}: after the transfer they stay with {2} and are paid to {2}'s accounts."),
        ["transfer-nothing-open"] = ("Không còn thông báo nào chưa nộp ở trường {0}.", "Nothing is left to pay at {0}."),
        ["issued-by"] = ("Trường lập thông báo", "Issued by"),
        ["pay-this-notice-to"] = ("Nộp thông báo này vào tài khoản của trường đã lập:", "Pay this notice to the school that issued it:"),
        ["unchanged"] = ("không đổi", "unchanged"),
        ["nothing-imported"] = ("Không nhập dòng nào: hãy sửa các lỗi dưới đây rồi tải lên lại.", "Nothing was imported: fix the rows below and upload again."),
        ["line"] = ("Dòng", "Line"),
        ["column"] = ("Cột", "Column"),
        ["problem"] = ("Lỗi", "Problem"),
        ["billing"] = ("Lập thông báo thu", "Monthly billing"),
        ["preview"] = ("Xem trước", "Preview"),
        ["issue"] = ("Lập thông báo", "Issue the notices"),
        ["preview-title"] = ("Xem trước (chưa ghi gì)", "Preview (nothing written)"),
        ["issued-count"] = ("Đã lập thông báo", "Notices issued"),
        ["already-billed"] = ("đã có từ trước", "already billed"),
        ["gross"] = ("Trước miễn giảm", "Before reductions"),
        ["total"] = ("Tổng", "Total"),
        ["waiting"] = ("mục chờ quyết định", "item(s) waiting"),
        ["pupil-code"] = ("Mã học sinh", "Pupil code"),
        ["reason"] = ("Lý do", "Reason"),
        ["confirm"] = ("Xác nhận cho học sinh", "Confirm for the pupil"),
        ["not-a-fee"] = ("Không phải khoản thu", "Not a fee payment"),
        ["returned"] = ("Đã trả lại / không phải khoản thu", "Returned / not a fee payment"),
        ["settled"] = ("Đã xem và xử lý xong", "Seen and settled"),
        ["kind-parked"] = ("Tiền chưa xác định (từ thông báo ngân hàng)", "Unidentified money (from a bank notification)"),
        ["kind-held"] = ("Đảo giao dịch chưa áp dụng", "Reversal not applied"),
        ["kind-failed"] = ("Giao dịch ngân hàng chưa ghi nhận được", "Bank call that could not be applied"),
        ["kind-flagged"] = ("Giao dịch cần xem lại", "Bank call flagged for a look"),
        ["kind-debit"] = ("Tiền ra khỏi tài khoản", "Money out of the account"),
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
        ["rate-by-month"] = ("Tỷ lệ thu theo tháng của năm học", "Collection rate by month of the school year"),
        ["outstanding-ageing"] = ("Số còn phải thu theo thời gian quá hạn", "Outstanding by days past due"),
        ["unidentified-ageing"] = ("Tiền chưa xác định được học sinh, theo số ngày chờ", "Money not yet tied to a pupil, by days waiting"),
        ["age-not-due"] = ("Chưa đến hạn", "Not yet due"),
        ["age-1-30"] = ("1–30 ngày", "1–30 days"),
        ["age-31-60"] = ("31–60 ngày", "31–60 days"),
        ["age-61-90"] = ("61–90 ngày", "61–90 days"),
        ["age-90+"] = ("Trên 90 ngày", "Over 90 days"),
        ["age-0-7"] = ("0–7 ngày", "0–7 days"),
        ["age-8-30"] = ("8–30 ngày", "8–30 days"),
        ["age-31-90"] = ("31–90 ngày", "31–90 days"),
        ["lines"] = ("Số giao dịch", "Lines"),
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
