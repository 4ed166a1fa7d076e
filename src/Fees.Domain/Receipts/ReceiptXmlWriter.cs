using System.Globalization;
using System.Xml.Linq;
using TdmEdu.Fees.Domain.Money;

namespace TdmEdu.Fees.Domain.Receipts;

/// <summary>
/// The XML of an e-receipt (contracts/ereceipts.md §5). No public layout of an organisation's fee receipt exists, so
/// every element name is here and nowhere else: the tax office's own names where its formats have them ([P]) and ours
/// ([M]) for the rest. When the provider or Cục Thuế hands over the real table, only this class changes; a golden file
/// pins what it writes. Rules of Decision 1271: UTF-8, dates YYYY-MM-DD, whole đồng, optional empty tags left out, no
/// whitespace between tags; sizes checked, never cut.
/// </summary>
public static class ReceiptXmlWriter
{
    // [P] the tax office's names.
    public const string Version = "2.1.0";
    public const string ReceiptWithoutFaceValue = "3";
    private const string PBan = "PBan", KHMSCTu = "KHMSCTu", KHCTu = "KHCTu", SCTu = "SCTu", NLap = "NLap", LCTDT = "LCTDT", DVTTe = "DVTTe", HTTToan = "HTTToan",
        MTCuu = "MTCuu", DDTCuu = "DDTCuu", Ten = "Ten", MST = "MST", DChi = "DChi", TTChung = "TTChung", TTKhac = "TTKhac", TTin = "TTin", TTruong = "TTruong",
        KDLieu = "KDLieu", DLieu = "DLieu", DSCKS = "DSCKS";

    // [M] ours.
    public const string Root = "CTu", Data = "DLCTu", DataId = "data", Signer = "TCThu";
    private const string TCTu = "TCTu", NDCTu = "NDCTu", TCThu = "TCThu", NNop = "NNop", MKHang = "MKHang", SDThoai = "SDThoai", STKNHang = "STKNHang",
        TNHang = "TNHang", DSKThu = "DSKThu", KThu = "KThu", STT = "STT", TKThu = "TKThu", STien = "STien", TToan = "TToan", TgTien = "TgTien",
        TgTienBChu = "TgTienBChu", TTCTLQuan = "TTCTLQuan", TCCTu = "TCCTu", KHMSCTLQuan = "KHMSCTLQuan", KHCTLQuan = "KHCTLQuan", SCTLQuan = "SCTLQuan",
        NLCTLQuan = "NLCTLQuan", GChu = "GChu";

    public const string Title = "BIÊN LAI THU PHÍ, LỆ PHÍ ĐIỆN TỬ";

    /// <summary>The receipt as an unsigned document: <c>DSCKS/TCThu</c> is there, empty, for the signature.</summary>
    public static XDocument Write(ReceiptDocument d)
    {
        if (d.Items.Count == 0) throw new ReceiptContentException("a receipt lists at least one fee.");
        if (d.Number is < 1 or > 9_999_999) throw new ReceiptContentException($"the number {d.Number} is not between 1 and 9,999,999.");
        if (d.Items.Any(i => i.AmountVnd <= 0)) throw new ReceiptContentException("every fee on a receipt is more than 0 đồng.");
        var total = d.TotalVnd;
        if (total >= 1_000_000_000_000) throw new ReceiptContentException("the total is 1,000,000,000,000 đồng or more.");

        var common = new XElement(TTChung,
            El(PBan, Version), El(TCTu, Title), El(KHMSCTu, d.Template, 11), El(KHCTu, d.Series, 8), El(SCTu, Number(d.Number)),
            El(NLap, d.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), El(LCTDT, ReceiptWithoutFaceValue), El(DVTTe, "VND"),
            El(HTTToan, d.Cash ? "TM" : "CK"), El(MTCuu, d.LookupCode, 50), El(DDTCuu, d.LookupAddress, 150),
            d.Replaces is { } r
                ? new XElement(TTCTLQuan, El(TCCTu, "2"), El(KHMSCTLQuan, r.Template, 11), El(KHCTLQuan, r.Series, 8), El(SCTLQuan, Number(r.Number)),
                    El(NLCTLQuan, r.IssuedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), Optional(GChu, r.Note, 500))
                : null);
        var c = d.Collector;
        var p = d.Payer;
        var content = new XElement(NDCTu,
            new XElement(TCThu, El(Ten, c.Name, 400), El(MST, c.TaxCode, 14), El(DChi, c.Address, 400), Optional(SDThoai, c.Phone, 20),
                Optional(STKNHang, c.BankAccount, 30), Optional(TNHang, c.BankName, 400)),
            new XElement(NNop, El(Ten, p.Name, 400), Optional(MST, p.TaxCode, 14), Optional(DChi, p.Address, 400), Optional(MKHang, p.PaymentCode, 50)),
            new XElement(DSKThu, d.Items.Select((item, i) =>
                new XElement(KThu, El(STT, Number(i + 1)), El(TKThu, item.Name, 500), El(STien, Number(item.AmountVnd))))),
            new XElement(TToan, El(TgTien, Number(total)), El(TgTienBChu, AmountInWords.Dong(total))),
            d.Notes.Count == 0 ? null : new XElement(TTKhac, d.Notes.Select(n => new XElement(TTin, El(TTruong, n.Field, 100), El(KDLieu, "string"), El(DLieu, n.Value, 500)))));
        var data = new XElement(Data, new XAttribute("Id", DataId), common, content);
        return new XDocument(new XDeclaration("1.0", "UTF-8", null), new XElement(Root, data, new XElement(DSCKS, new XElement(Signer))));
    }

    /// <summary>What a stored document states of the facts the record also holds (to compare the two), read by the names above.</summary>
    public static ReceiptFacts Facts(XDocument document)
    {
        string? First(string name) => document.Descendants(name).FirstOrDefault()?.Value;
        var collector = document.Descendants(TCThu).FirstOrDefault(e => e.Parent?.Name.LocalName == NDCTu);
        return new ReceiptFacts(First(KHMSCTu), First(KHCTu), First(SCTu), First(MTCuu), collector?.Element(MST)?.Value, First(TgTien));
    }

    /// <summary>The document as the bytes that are signed and kept: UTF-8 without a byte-order mark, no whitespace between tags.</summary>
    public static byte[] Bytes(XDocument document)
    {
        using var buffer = new MemoryStream();
        using (var writer = System.Xml.XmlWriter.Create(buffer, new System.Xml.XmlWriterSettings
               {
                   Encoding = new System.Text.UTF8Encoding(false), Indent = false, OmitXmlDeclaration = false,
               }))
            document.Save(writer);
        return buffer.ToArray();
    }

    internal static string Number(long n) => n.ToString(CultureInfo.InvariantCulture);

    internal static XElement El(string name, string value, int max = int.MaxValue)
    {
        var v = value.Trim();
        if (v.Length == 0) throw new ReceiptContentException($"{name} is required and empty.");
        if (v.Length > max) throw new ReceiptContentException($"{name} is {v.Length} characters; at most {max}.");
        return new XElement(name, v);
    }

    internal static XElement? Optional(string name, string? value, int max) => string.IsNullOrWhiteSpace(value) ? null : El(name, value, max);
}

/// <summary>The facts a signed receipt states that its record also holds, as text (null where the document has none).</summary>
public sealed record ReceiptFacts(string? Template, string? Series, string? Number, string? LookupCode, string? TaxCode, string? TotalVnd);

/// <summary>A receipt whose content cannot be written as the law's document (a field empty or too long): the receipt waits and the administrator is told.</summary>

public sealed class ReceiptContentException(string message) : Exception(message);
