namespace TdmEdu.Fees.Api.Web;

/// <summary>The words of the staff's menu, the administrator's home, the month picker, the notice page's cancel form and the upload fields' labels.</summary>
public sealed partial class Lang
{
    internal static readonly Dictionary<string, (string Vi, string En)> MenuWords = new()
    {
        ["menu"] = ("Danh mục", "Menu"),
        ["menu-month"] = ("Tổng quan tháng", "The month"),
        ["menu-admin"] = ("Quản trị", "Administration"),
        ["admin-home-help"] = ("Các việc của người quản trị hệ thống.", "The administrator's tasks."),
        ["menu-about-authority"] = ("Tiền thu của mọi trường theo tháng, theo phường, cấp học, khoản thu.", "Every school's collection by month, ward, level and item."),
        ["menu-about-users"] = ("Thêm, khoá, mở khoá và xoá tài khoản người dùng.", "Add, disable, enable and remove logins."),
        ["menu-about-schedule"] = ("Nạp và sửa biểu phí của năm học.", "Load and edit the school year's fee schedule."),
        ["menu-about-banks"] = ("Tài khoản ngân hàng của các trường và cách kết nối.", "The schools' bank accounts and how they connect."),
        ["menu-about-transfers"] = ("Chuyển học sinh sang trường khác.", "Move a pupil to another school."),
        ["month-go"] = ("Xem", "Show"),
        ["roster-file"] = ("Tệp danh sách học sinh (CSV hoặc XLSX)", "Roster file (CSV or XLSX)"),
        ["schedule-file"] = ("Tệp biểu phí (JSON)", "Schedule file (JSON)"),
        ["notice-cancel-title"] = ("Huỷ thông báo", "Cancel the notice"),
        ["notice-cancel-help"] = ("Thông báo bị huỷ không còn phải nộp; phụ huynh không còn thấy thông báo này.",
            "A cancelled notice is no longer owed; the family no longer sees it."),
        ["notice-cancel-money"] = ("Thông báo đã có {0} tiền nộp: khi huỷ, số tiền này thành tiền thừa của học sinh (dùng cho thông báo sau hoặc hoàn trả từ trang học sinh).",
            "{0} has been paid on this notice: cancelling it turns that money into the pupil's credit (used by the next notice, or refunded from the pupil's page)."),
        ["notice-cancel-sure"] = ("Tôi xác nhận {0} thành tiền thừa của học sinh", "I confirm {0} becomes the pupil's credit"),
        ["notice-cancel-reason"] = ("Lý do huỷ", "Why it is cancelled"),
        ["notice-cancel-button"] = ("Huỷ thông báo này", "Cancel this notice"),
        ["notice-cancel-not-sure"] = ("Hãy đánh dấu ô xác nhận: {0} đã nộp sẽ thành tiền thừa của học sinh. Chưa huỷ gì.",
            "Tick the box first: the {0} paid becomes the pupil's credit. Nothing was cancelled."),
        ["notice-cancel-too-long"] = ("Lý do tối đa {0} ký tự.", "The reason is at most {0} characters."),
        ["notice-said-da-huy"] = ("Đã huỷ thông báo.", "The notice is cancelled."),
        ["notice-said-da-hoan"] = ("Đã huỷ thông báo; tiền đã nộp thành tiền thừa của học sinh.", "The notice is cancelled; the money paid on it is the pupil's credit."),
    };
}
