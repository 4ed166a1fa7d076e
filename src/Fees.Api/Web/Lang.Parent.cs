using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Web;

/// <summary>The words of the parents' pages (the look-up, the pupil's page, the site's front door).</summary>
public sealed partial class Lang
{
    /// <summary>A month as parents read it: 9/2025 (the period a notice's message names as "tháng 9/2025").</summary>
    public static string MonthNumber(BillingMonth m) => $"{m.Month}/{m.Year}";

    /// <summary>A word of the table with its blanks filled.</summary>
    public string Format(string key, params object[] values) => string.Format(System.Globalization.CultureInfo.InvariantCulture, this[key], values);

    internal static readonly Dictionary<string, (string Vi, string En)> ParentWords = new()
    {
        ["door-parent"] = ("Phụ huynh", "Parents"),
        ["door-parent-text"] = ("Xem con cần nộp bao nhiêu và nộp bằng mã QR của ngân hàng. Không cần tài khoản.", "See what your child owes and pay with your bank's QR code. No account needed."),
        ["door-staff"] = ("Cán bộ nhà trường, phòng giáo dục", "School and education office staff"),
        ["door-staff-text"] = ("Đăng nhập để làm việc.", "Sign in to work."),
        ["code-hint"] = ("In trên thông báo thu, ví dụ HS10000004.", "Printed on the fee notice, for example HS10000004."),
        ["dob-hint"] = ("ngày/tháng/năm, ví dụ 01/03/2021", "day/month/year, for example 01/03/2021"),
        ["bad-link"] = ("Đường dẫn đã hết hạn hoặc không đúng. Hãy nhập mã thanh toán và ngày sinh của con.", "The link has expired or is wrong. Type your child's payment code and date of birth."),
        ["bad-date"] = ("Chưa đọc được ngày sinh. Hãy nhập theo ngày/tháng/năm, ví dụ 01/03/2021.", "The date of birth could not be read. Type it as day/month/year, for example 01/03/2021."),
        ["fees-of-child"] = ("Các khoản thu của con", "Your child's fees"),
        ["fees-of-children"] = ("Các khoản thu của các con", "Your children's fees"),
        ["family-intro"] = ("Các con học cùng trường, có cùng số điện thoại phụ huynh, được hiện cùng nhau.", "Children at the same school with the same guardian phone are shown together."),
        ["family-total"] = ("Cả gia đình cần nộp", "The whole family owes"),
        ["family-total-help"] = ("Mỗi con có mã thanh toán riêng: hãy chuyển khoản riêng cho từng con, bằng mã QR của con.", "Each child has their own payment code: pay for each child separately, with that child's QR code."),
        ["owed"] = ("Cần nộp", "To pay"),
        ["owed-to"] = ("Cần nộp cho {0}", "To pay to {0}"),
        ["covers"] = ("Gồm các tháng", "For the months"),
        ["nothing-owed"] = ("Không còn khoản nào phải nộp.", "Nothing is left to pay."),
        ["two-schools"] = ("Con đã chuyển trường: mỗi trường nhận tiền vào tài khoản của trường đó. Hãy nộp từng khoản bằng mã QR riêng của từng trường.",
            "Your child changed school: each school is paid to its own account. Pay each sum with that school's own QR code."),
        ["scan-or-copy"] = ("Quét mã QR bằng ứng dụng ngân hàng, hoặc chuyển khoản với các thông tin dưới đây.", "Scan the QR code with your banking app, or make a transfer with the details below."),
        ["account-no"] = ("Số tài khoản", "Account number"),
        ["account-holder"] = ("Chủ tài khoản", "Account holder"),
        ["transfer-text"] = ("Nội dung chuyển khoản", "Transfer description"),
        ["copy"] = ("Chép", "Copy"),
        ["copied"] = ("Đã chép", "Copied"),
        ["selected"] = ("Đã chọn: bấm giữ để chép", "Selected: press and hold to copy"),
        ["total-how"] = ("Nội dung chỉ ghi mã thanh toán: tiền được trả vào các tháng cũ nhất trước, nên chuyển đúng số này là trả hết các tháng trên.",
            "The description is the payment code alone: money pays the oldest months first, so this exact amount pays every month above."),
        ["month-how"] = ("Nội dung ghi tháng này: tiền được trả vào tháng này trước.", "The description names this month: the money pays this month first."),
        ["months"] = ("Từng tháng", "Month by month"),
        ["qr-alt"] = ("Mã VietQR nộp {0} vào tài khoản {1}", "VietQR code paying {0} to account {1}"),
        ["other-ways"] = ("Cách nộp khác", "Other ways to pay"),
        ["no-payments"] = ("Chưa có khoản nộp nào.", "No payments yet."),
        ["paid-for"] = ("Đã trả", "Paid"),
        ["for-other-pupils"] = ("Cho học sinh khác có mã trong nội dung", "For another pupil named in the description"),
        ["held"] = ("Tiền thừa giữ lại cho các tháng sau", "Kept as credit for later months"),
        ["applied-named"] = ("Áp vào tháng {0} như nội dung chuyển khoản ghi", "Applied to {0} as the transfer description says"),
        ["applied-named-paid"] = ("Tháng {0} ghi trong nội dung đã nộp đủ: trả các tháng cũ nhất trước", "{0}, named in the description, was already paid: the oldest months were paid first"),
        ["applied-oldest"] = ("Nội dung chuyển khoản không ghi tháng: trả các tháng cũ nhất trước", "The transfer description names no month: the oldest months are paid first"),
        ["applied-counter"] = ("Nộp tại trường cho tháng {0}", "Paid at the school for {0}"),
        ["look-up-another"] = ("Tra cứu con khác", "Look up another child"),
        ["choices-title"] = ("Nhận tin nhắn của nhà trường", "Messages from the school"),
        ["choices-intro"] = ("Nhà trường gửi thông báo thu, biên lai khi đã nhận tiền, và nhắc trước hạn, sau hạn. Chọn những tin bạn muốn nhận.",
            "The school sends fee notices, receipts when money is received, and reminders before and after the due date. Choose what you want to receive."),
        ["way-phone"] = ("Qua điện thoại (Zalo, SMS)", "By phone (Zalo, SMS)"),
        ["way-email"] = ("Qua thư điện tử", "By e-mail"),
        ["choice-all"] = ("Mọi tin, cả nhắc hạn", "Every message, reminders too"),
        ["choice-no-reminders"] = ("Chỉ thông báo thu và biên lai, không nhắc hạn", "Only notices and receipts, no reminders"),
        ["choice-none"] = ("Không nhận tin qua đây", "No messages this way"),
        ["choices-save"] = ("Lưu lựa chọn", "Save the choice"),
        ["choices-saved"] = ("Đã lưu.", "Saved."),
        ["opt-out-title"] = ("Ngừng nhận nhắc hạn", "Stop reminders"),
        ["opt-out-ask"] = ("Bạn sẽ không nhận thư nhắc hạn nộp tiền qua địa chỉ này nữa.", "You will no longer get payment reminders at this address."),
        ["opt-out-button"] = ("Ngừng nhận nhắc hạn", "Stop reminders"),
        ["opt-out-done-email"] = ("Đã ngừng gửi thư nhắc hạn đến địa chỉ này.", "Reminders to this address have stopped."),
        ["opt-out-done-sms"] = ("Đã ngừng gửi tin nhắc hạn qua SMS.", "SMS reminders have stopped."),
        ["opt-out-done-zalo_zns"] = ("Đã ngừng gửi tin nhắc hạn qua Zalo.", "Zalo reminders have stopped."),
        ["opt-out-still"] = ("Thông báo thu và biên lai vẫn được gửi. Bạn có thể đổi lựa chọn trên trang các khoản thu của con.",
            "Fee notices and receipts still come. You can change this on your child's fees page."),
        ["opt-out-bad-link"] = ("Đường dẫn đã hết hạn hoặc không đúng. Bạn có thể chọn tin muốn nhận trên trang các khoản thu của con.",
            "The link has expired or is wrong. You can choose your messages on your child's fees page."),
    };
}
