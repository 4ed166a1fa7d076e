namespace TdmEdu.Fees.Api.Web;

/// <summary>The words of the attendance page: the class grid of days and the file upload.</summary>
public sealed partial class Lang
{
    internal static readonly Dictionary<string, (string Vi, string En)> AttendanceWords = new()
    {
        ["att-title"] = ("Điểm danh ăn bán trú", "Meal attendance"),
        ["att-help"] = ("Đánh dấu ngày học sinh nghỉ: P là nghỉ có phép, K là nghỉ không phép, để trống là có đi học. Thông báo tháng sau trừ tiền ăn những ngày nghỉ theo quy định của từng khoản.",
            "Mark the days a pupil was absent: P with notice, K without, empty when present. The next month's notice gives back the meals not eaten, by each item's rule."),
        ["att-class"] = ("Lớp", "Class"),
        ["att-show"] = ("Xem lớp", "Show class"),
        ["att-pupil"] = ("Học sinh", "Pupil"),
        ["att-save"] = ("Lưu điểm danh của lớp", "Save the class's attendance"),
        ["att-saved"] = ("Đã lưu điểm danh", "Attendance saved"),
        ["att-billed-again"] = ("Học sinh đã nghỉ học được lập lại thông báo tháng cuối để hoàn các ngày nghỉ", "Pupils who had left, their last month billed again to give the absences back"),
        ["att-counts"] = ("Tháng này đã nhập theo số ngày: {0} ngày có phép, {1} ngày không phép. Đánh dấu từng ngày rồi lưu sẽ thay số liệu đó.",
            "This month was recorded as counts: {0} days with notice, {1} without. Marking the days and saving replaces them."),
        ["att-future"] = ("Tháng này chưa tới; chưa điểm danh được.", "This month has not come yet; there is nothing to record."),
        ["att-no-class"] = ("Trường chưa có lớp nào.", "The school has no class yet."),
        ["att-file"] = ("Hoặc tải lên tệp điểm danh (CSV hoặc XLSX: theo tháng hoặc theo ngày nghỉ)", "Or upload an attendance file (CSV or XLSX: per month or per day absent)"),
        ["att-import"] = ("Tải tệp điểm danh lên", "Upload the attendance file"),
        ["att-with"] = ("có phép", "with notice"),
        ["att-without"] = ("không phép", "without notice"),
        ["att-stale"] = ("Chưa lưu: điểm danh của lớp đã thay đổi (có tệp vừa tải lên hoặc người khác vừa lưu) từ lúc mở trang. Bảng dưới đây là số liệu mới nhất; hãy đánh dấu lại rồi lưu.",
            "Not saved: the class's attendance changed (a file was uploaded or someone saved) since the page was opened. The grid below is what is recorded now; mark again and save."),
        ["att-present"] = ("có mặt", "present"),
        ["att-nothing-saved"] = ("Chưa lưu gì; hãy sửa các chỗ dưới đây.", "Nothing was saved; correct what is below."),
        ["leave-title"] = ("Học sinh nghỉ học", "A pupil leaves"),
        ["leave-help"] = ("Ghi ngày học cuối cùng. Các tháng sau không thu nữa; thông báo đã lập cho các tháng sau được huỷ. Thông báo tháng cuối được lập lại theo số ngày học của từng khoản, trừ mọi ngày nghỉ còn chờ hoàn (kể cả tháng cuối). Tiền đã nộp thừa được giữ cho học sinh; hoàn trả ở trang hoàn tiền.",
            "Give the last school day. No later month is billed; notices already issued for later months are withdrawn. The last month's notice is billed again by each item's days, less every absence still waiting (the last month's too). What was paid beyond is held for the pupil; pay it back on the refund page."),
        ["leave-day"] = ("Ngày học cuối cùng", "Last school day"),
        ["leave-button"] = ("Ghi nghỉ học", "Record the leaving"),
        ["leave-already"] = ("Đã ghi nghỉ học sau ngày {0}.", "Recorded as leaving after {0}."),
        ["leave-return-help"] = ("Ghi nhầm: huỷ ghi nghỉ học. Các tháng từ tháng nghỉ được thu như học sinh chưa từng nghỉ: thông báo tháng cuối được lập lại đủ tháng, các tháng đã huỷ được lập lại; tiền học sinh đang giữ được trừ vào các khoản còn nợ.",
            "Recorded by mistake: undo the leave. The months from the leaving month are billed as if the pupil never left: the last month's notice billed again in full, the withdrawn months billed again; what the pupil holds pays what is owed."),
        ["leave-return-button"] = ("Huỷ ghi nghỉ học", "Undo the leave"),
        ["leave-bad-day"] = ("Ngày học cuối cùng phải là một ngày, ví dụ 10/10/2025.", "The last school day must be a date, like 10/10/2025."),
    };
}
