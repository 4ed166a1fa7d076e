namespace TdmEdu.Fees.Api.Web;

/// <summary>The words of the administrator's pages.</summary>
public sealed partial class Lang
{
    internal static readonly Dictionary<string, (string Vi, string En)> AdminWords = new()
    {
        ["users-find"] = ("Tìm theo thư điện tử, tên hoặc mã trường", "Find by e-mail, name or school code"),
        ["users-change-role"] = ("Đổi vai trò, trường", "Change role, school"),
        ["users-reset"] = ("Đặt lại mật khẩu", "Reset the password"),
        ["users-reset-confirm"] = ("Đặt mật khẩu mới cho", "Set a new password for"),
        ["users-new-password"] = ("Mật khẩu mới (chỉ hiện lần này; người dùng đổi lại sau khi đăng nhập):",
            "The new password (shown this once; the user changes it after signing in):"),
        ["schedule-next-year"] = ("Năm học sau", "Next school year"),
        ["schedule-next-year-help"] = ("Tạo biểu phí năm học sau từ biểu phí này: cùng các khoản, số tiền, miễn giảm, tháng thu và số ngày học; rồi sửa ở trang này.",
            "Make next school year's schedule from this one: the same items, amounts, reductions, months and school days; then edit it on this page."),
        ["schedule-next-year-make"] = ("Tạo biểu phí năm học", "Make the schedule for"),
        ["password-must-change"] = ("Quản trị viên đã đặt lại mật khẩu của bạn. Hãy đặt mật khẩu của riêng bạn trước khi làm việc khác: nhập mật khẩu được trao làm mật khẩu hiện tại.",
            "The administrator reset your password. Pick your own before anything else: type the one you were given as the current password."),
    };
}
