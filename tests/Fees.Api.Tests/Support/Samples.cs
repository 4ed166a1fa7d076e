namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>The worked example of cli.md: one primary school, a three-item schedule, four pupils.</summary>
public static class Samples
{
    public const string Schools = """
        school_code,name,level,ward,bank,account_no,account_name,tax_code,address
        TS01,Trường Tiểu học Thử Nghiệm,TH,Phú Cường,VCB,0281000111222,TRUONG TIEU HOC THU NGHIEM,3700000001,"12 Yersin, phường Phú Cường, TP. Hồ Chí Minh"
        TS02,Trường THCS Thử Nghiệm,THCS,Hiệp Thành,BIDV,65210000000001,TRUONG THCS THU NGHIEM,3700000002,"5 Huỳnh Văn Lũy, phường Hiệp Thành, TP. Hồ Chí Minh"
        TS02,Trường THCS Thử Nghiệm,THCS,Hiệp Thành,MSB,03000000000001,TRUONG THCS THU NGHIEM,3700000002,"5 Huỳnh Văn Lũy, phường Hiệp Thành, TP. Hồ Chí Minh"

        """;

    public const string Schedule = """
        {"school_year": "2025-2026", "months": [9, 10, 11, 12, 1, 2, 3, 4, 5], "due_day": 15,
         "items": [
          {"code": "BAN_TRU", "name": "Dịch vụ bán trú", "kind": "service", "unit": "month", "amount": 200000, "reducible": true},
          {"code": "TIEN_AN", "name": "Tiền ăn", "kind": "service", "unit": "day", "amount": 30000,
           "days": {"9": 18, "10": 22, "11": 20, "12": 22, "1": 15, "2": 18, "3": 21, "4": 20, "5": 16}, "reducible": true},
          {"code": "BHYT", "name": "Bảo hiểm y tế", "kind": "pass_through", "unit": "once", "amount": 631800, "months": [9], "reducible": false},
          {"code": "TIENG_ANH", "name": "Tiếng Anh tăng cường", "kind": "voluntary", "unit": "month", "amount": "150.000", "levels": ["TH"]}],
         "policies": [
          {"code": "HN", "name": "Con hộ nghèo", "percent": 100, "items": ["BAN_TRU"]},
          {"code": "CN", "name": "Con hộ cận nghèo", "percent": 50, "items": ["*"]}]}
        """;

    // Vietnamese headers, mixed date forms, a blank line at the end.
    public const string Students = """
        Mã trường,Mã học sinh,Họ và tên,Ngày sinh,Giới tính,Khối,Lớp,Họ tên phụ huynh,Số điện thoại,Đối tượng chính sách,Khoản tự nguyện,Ngày nhập học
        TS01,7900000001,Nguyễn Văn An,12/05/2018,Nam,1,1A1,Nguyễn Văn Bình,0912000001,,,
        TS01,7900000002,Trần Thị Bích,2017-03-01,Nữ,2,2A1,Trần Văn Cường,0912000002,CN,,
        TS01,7900000003,Lê Hoàng Nam,01/01/2016,Nam,3,3A1,Lê Văn Dũng,0912000003,HN;CN,,
        TS01,7900000004,Phạm Ngọc Mai,15/09/2016,Nữ,3,3A2,Phạm Văn Hải,0912000004,,,06/10/2025

        """;

    public const string StudentHeader =
        "school_code,student_code,full_name,date_of_birth,gender,grade,class_name,guardian_name,guardian_phone,policy_groups,optional_items,enrolled_on\n";
}
