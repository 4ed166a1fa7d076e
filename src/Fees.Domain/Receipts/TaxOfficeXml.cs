using System.Globalization;
using System.Xml.Linq;

namespace TdmEdu.Fees.Domain.Receipts;

/// <summary>A receipt an error notice names: its symbols, number, date, and what is wrong with it.</summary>
public sealed record NoticedReceipt(string Template, string Series, long Number, DateOnly IssuedOn, bool Cancelled, string Reason);

/// <summary>
/// The voucher error notice 04/SS-CTĐT "Thông báo chứng từ điện tử đã lập sai" (contracts/ereceipts.md §9). Loai 1
/// is the school's own notice; the tax office codes go in when configured.
/// </summary>
public sealed record ErrorNotice(DateOnly On, string SchoolName, string TaxCode, string Place, string? TaxOfficeCode, string? TaxOfficeName,
    IReadOnlyList<NoticedReceipt> Receipts);

/// <summary>One line of the usage report: one template and series, the numbers used in the period, how many cancelled or replaced, and the fees they stand for.</summary>
public sealed record UsageLine(string Template, string Series, long FirstNumber, long LastNumber, int Used, int Voided, IReadOnlyList<long> VoidedNumbers, long TotalVnd);

/// <summary>The usage report BC26/BLĐT (contracts/ereceipts.md §11) of one school for one period.</summary>
public sealed record UsageReport(string SchoolName, string TaxCode, DateOnly From, DateOnly To, DateOnly MadeOn, IReadOnlyList<UsageLine> Lines);

/// <summary>
/// The two documents the school files with the tax office besides its receipts: the error notice 04/SS-CTĐT and the
/// usage report BC26/BLĐT. The tax office's element names ([P], [S]) are kept as the vendors write them; the
/// envelope (root, data element, signature place) is ours [M], shaped as the receipt's, so one signer signs all three.
/// Every name is here and nowhere else.
/// </summary>
public static class TaxOfficeXml
{
    public const string DataId = ReceiptXmlWriter.DataId, Signer = "NNT";
    public const string NoticeRoot = "TBao", NoticeData = "DLTBao", NoticeForm = "04/SS-CTĐT";
    public const string NoticeTitle = "Thông báo chứng từ điện tử đã lập sai";
    public const string ReportRoot = "BCTHSDBLai", ReportData = "DLBCTHSDBLai", ReportForm = "BC26/BLĐT";
    public const string ReportTitle = "Báo cáo tình hình sử dụng biên lai điện tử";

    // [P] names of 04/SS-CTĐT and its items.
    private const string TTChung = "TTChung", PBan = "PBan", MSo = "MSo", Ten = "Ten", Loai = "Loai", NTBao = "NTBao", MCQT = "MCQT", TCQT = "TCQT",
        TNNT = "TNNT", MST = "MST", DDanh = "DDanh", DSCTu = "DSCTu", CTu = "CTu", STT = "STT", KHMSCTu = "KHMSCTu", KHCTu = "KHCTu", SCTu = "SCTu",
        NLap = "NLap", LCTDT = "LCTDT", LDo = "LDo", DSCKS = "DSCKS";

    // [M] ours: what kind of error (1 cancelled, 3 replaced, as the invoice notice's TCTBao).
    private const string TCTBao = "TCTBao";

    // [S] the report's content; [M] the names of its columns.
    private const string NDBCTHSDBLai = "NDBCTHSDBLai", DLieu = "DLieu", TNgay = "TNgay", DNgay = "DNgay", TSo = "TSo", DSo = "DSo", SLSDung = "SLSDung",
        SLHuy = "SLHuy", DSSHuy = "DSSHuy", TgTien = "TgTien";

    public static XDocument Write(ErrorNotice n)
    {
        if (n.Receipts.Count == 0) throw new ReceiptContentException("an error notice names at least one receipt.");
        var common = new XElement(TTChung, ReceiptXmlWriter.El(PBan, ReceiptXmlWriter.Version), ReceiptXmlWriter.El(MSo, NoticeForm), ReceiptXmlWriter.El(Ten, NoticeTitle),
            ReceiptXmlWriter.El(Loai, "1"), ReceiptXmlWriter.El(NTBao, Date(n.On)), ReceiptXmlWriter.Optional(MCQT, n.TaxOfficeCode, 5),
            ReceiptXmlWriter.Optional(TCQT, n.TaxOfficeName, 100), ReceiptXmlWriter.El(TNNT, n.SchoolName, 400), ReceiptXmlWriter.El(MST, n.TaxCode, 14),
            ReceiptXmlWriter.El(DDanh, n.Place, 50));
        var items = new XElement(DSCTu, n.Receipts.Select((r, i) => new XElement(CTu,
            ReceiptXmlWriter.El(STT, ReceiptXmlWriter.Number(i + 1)), ReceiptXmlWriter.El(KHMSCTu, r.Template, 11), ReceiptXmlWriter.El(KHCTu, r.Series, 8),
            ReceiptXmlWriter.El(SCTu, ReceiptXmlWriter.Number(r.Number)), ReceiptXmlWriter.El(NLap, Date(r.IssuedOn)),
            ReceiptXmlWriter.El(LCTDT, ReceiptXmlWriter.ReceiptWithoutFaceValue), ReceiptXmlWriter.El(TCTBao, r.Cancelled ? "1" : "3"),
            ReceiptXmlWriter.El(LDo, r.Reason, 255))));
        return Envelope(NoticeRoot, NoticeData, common, items);
    }

    public static XDocument Write(UsageReport r)
    {
        if (r.To < r.From) throw new ReceiptContentException("the report's period ends before it starts.");
        var common = new XElement(TTChung, ReceiptXmlWriter.El(PBan, ReceiptXmlWriter.Version), ReceiptXmlWriter.El(MSo, ReportForm), ReceiptXmlWriter.El(Ten, ReportTitle),
            ReceiptXmlWriter.El(TNNT, r.SchoolName, 400), ReceiptXmlWriter.El(MST, r.TaxCode, 14), ReceiptXmlWriter.El(TNgay, Date(r.From)),
            ReceiptXmlWriter.El(DNgay, Date(r.To)), ReceiptXmlWriter.El(NLap, Date(r.MadeOn)));
        var content = new XElement(NDBCTHSDBLai, r.Lines.Select((l, i) => new XElement(DLieu,
            ReceiptXmlWriter.El(STT, ReceiptXmlWriter.Number(i + 1)), ReceiptXmlWriter.El(LCTDT, ReceiptXmlWriter.ReceiptWithoutFaceValue),
            ReceiptXmlWriter.El(KHMSCTu, l.Template, 11), ReceiptXmlWriter.El(KHCTu, l.Series, 8),
            ReceiptXmlWriter.El(TSo, ReceiptXmlWriter.Number(l.FirstNumber)), ReceiptXmlWriter.El(DSo, ReceiptXmlWriter.Number(l.LastNumber)),
            ReceiptXmlWriter.El(SLSDung, ReceiptXmlWriter.Number(l.Used)), ReceiptXmlWriter.El(SLHuy, ReceiptXmlWriter.Number(l.Voided)),
            ReceiptXmlWriter.Optional(DSSHuy, string.Join(';', l.VoidedNumbers.Select(ReceiptXmlWriter.Number)), 100_000),
            ReceiptXmlWriter.El(TgTien, ReceiptXmlWriter.Number(l.TotalVnd)))));
        return Envelope(ReportRoot, ReportData, common, content);
    }

    /// <summary>The report as CSV (one header line, one line per template and series), for the accountant's own files.</summary>
    public static string Csv(UsageReport r)
    {
        var lines = new List<string> { "mst,tu_ngay,den_ngay,mau_so,ky_hieu,tu_so,den_so,so_luong_su_dung,so_luong_huy,so_huy,tong_tien_vnd" };
        lines.AddRange(r.Lines.Select(l => string.Join(',', r.TaxCode, Date(r.From), Date(r.To), l.Template, l.Series,
            ReceiptXmlWriter.Number(l.FirstNumber), ReceiptXmlWriter.Number(l.LastNumber), ReceiptXmlWriter.Number(l.Used), ReceiptXmlWriter.Number(l.Voided),
            string.Join(' ', l.VoidedNumbers.Select(ReceiptXmlWriter.Number)), ReceiptXmlWriter.Number(l.TotalVnd))));
        return string.Join("\n", lines) + "\n";
    }

    private static XDocument Envelope(string root, string data, params object[] content) =>
        new(new XDeclaration("1.0", "UTF-8", null),
            new XElement(root, new XElement(data, new XAttribute("Id", DataId), content), new XElement(DSCKS, new XElement(Signer))));

    private static string Date(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
