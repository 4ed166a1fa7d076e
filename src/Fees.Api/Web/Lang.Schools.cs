namespace TdmEdu.Fees.Api.Web;

/// <summary>The words of the administrator's school pages: the schools, one school's details, bank accounts and receipt series.</summary>
public sealed partial class Lang
{
    internal static readonly Dictionary<string, (string Vi, string En)> SchoolsWords = new()
    {
        ["sch-title"] = ("Trường học", "Schools"),
        ["menu-about-schools"] = ("Thêm, sửa trường; tài khoản ngân hàng và dãy số biên lai của từng trường.",
            "Add and edit schools; each school's bank accounts and receipt series."),
        ["sch-code"] = ("Mã trường", "School code"),
        ["sch-name"] = ("Tên trường", "School name"),
        ["sch-level"] = ("Cấp học", "Level"),
        ["sch-ward"] = ("Phường/Xã", "Ward"),
        ["sch-tax-code"] = ("Mã số thuế (ghi trên biên lai điện tử)", "Tax code (stated on its e-receipts)"),
        ["sch-tax-code-hint"] = ("10 chữ số, hoặc 10 chữ số, dấu '-' và 3 chữ số; để trống nếu chưa có (biên lai sẽ chờ ký)",
            "10 digits, or 10 digits, '-' and 3 digits; leave empty if not known yet (receipts then wait for their signature)"),
        ["sch-address"] = ("Địa chỉ (ghi trên biên lai điện tử)", "Address (stated on its e-receipts)"),
        ["sch-ward-keep"] = ("Phường/Xã (để trống: giữ như cũ)", "Ward (blank keeps the current one)"),
        ["sch-accounts-in-use"] = ("Tài khoản đang dùng", "Accounts in use"),
        ["sch-series-in-use"] = ("Ký hiệu biên lai đang dùng", "Receipt series in use"),
        ["sch-open"] = ("Xem, sửa", "Open"),
        ["sch-add"] = ("Thêm trường", "Add a school"),
        ["sch-add-help"] = ("Trường mới cần một tài khoản ngân hàng để phụ huynh chuyển tiền; thêm tài khoản khác sau ở trang của trường.",
            "A new school needs a bank account for parents to pay into; add more accounts later on the school's page."),
        ["sch-edit"] = ("Thông tin trường", "The school"),
        ["sch-back"] = ("Tất cả các trường", "All schools"),
        ["sch-none"] = ("Không có trường này.", "There is no such school."),
        ["sch-accounts"] = ("Tài khoản ngân hàng", "Bank accounts"),
        ["sch-account-no"] = ("Số tài khoản", "Account number"),
        ["sch-account-name"] = ("Tên tài khoản", "Account name"),
        ["sch-account-state"] = ("Tình trạng", "State"),
        ["sch-account-in-use"] = ("Đang dùng", "In use"),
        ["sch-account-retired"] = ("Ngừng dùng từ {0}", "Retired on {0}"),
        ["sch-account-received"] = ("đã nhận tiền", "has received money"),
        ["sch-account-edit"] = ("Sửa tài khoản", "Edit the account"),
        ["sch-account-edit-help"] = ("Tài khoản đã nhận tiền không bị ghi đè: khi đổi số, tài khoản cũ được giữ lại (ngừng dùng) cùng lịch sử.",
            "An account that has received money is never overwritten: a new number retires the old account, kept with its history."),
        ["sch-account-retire"] = ("Ngừng dùng", "Retire"),
        ["sch-account-retire-confirm"] = ("Ngừng dùng tài khoản", "Retire the account"),
        ["sch-account-retire-help"] = ("Tài khoản ngừng dùng không còn in trên thông báo và mã QR; tiền vẫn về tài khoản này vẫn được ghi nhận.",
            "A retired account is no longer printed on notices or QR codes; money that still reaches it is still counted."),
        ["sch-account-add"] = ("Thêm tài khoản", "Add an account"),
        ["sch-series"] = ("Dãy số biên lai", "Receipt series"),
        ["sch-template"] = ("Ký hiệu mẫu", "Template"),
        ["sch-symbol"] = ("Ký hiệu", "Series"),
        ["sch-year"] = ("Năm", "Year"),
        ["sch-last-number"] = ("Số cuối đã dùng", "Last number used"),
        ["sch-series-in-use-now"] = ("Đang dùng", "In use"),
        ["sch-series-old"] = ("Đã dùng", "Used before"),
        ["sch-series-start"] = ("Bắt đầu dãy biên lai năm {0}", "Start the {0} receipt series"),
        ["sch-series-start-help"] = ("Ký hiệu mang số năm (EBL01, {0}T); số biên lai bắt đầu lại từ 1.",
            "The series names its year (EBL01, {0}T); receipt numbers start again from 1."),
        ["sch-series-not-yet"] = ("Dãy biên lai năm {0} bắt đầu được từ ngày 01/01/{0}.", "The {0} receipt series can start on 01/01/{0}."),
        ["sch-series-behind"] = ("Dãy biên lai đang dùng mang năm {0}; hãy bắt đầu dãy năm {1}.", "The series in use names {0}; start the {1} series."),
        ["field-school_code"] = ("Mã trường", "School code"),
        ["field-name"] = ("Tên trường", "School name"),
        ["field-level"] = ("Cấp học", "Level"),
        ["field-ward"] = ("Phường/Xã", "Ward"),
        ["field-bank"] = ("Ngân hàng", "Bank"),
        ["field-account_no"] = ("Số tài khoản", "Account number"),
        ["field-account_name"] = ("Tên tài khoản", "Account name"),
        ["field-receipt_template"] = ("Ký hiệu mẫu", "Template"),
        ["field-receipt_series"] = ("Ký hiệu", "Series"),
    };

    /// <summary>A refusal of a form whose fields follow the schools file: each reason naming its field, in the page's language.</summary>
    public string FieldReasons(Exception e) => e is Common.BadInputException bad && English
        ? string.Join(" ", bad.Problems.Select(p => p.Column is { Length: > 0 } c ? $"{this["field-" + c]}: {p.Reason}" : p.Reason))
        : Reasons(e);
}
