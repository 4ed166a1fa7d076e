using System.Globalization;
using System.Xml;

namespace TdmEdu.Fees.BankAdapters.Statements.Files;

/// <summary>
/// ISO 20022 camt.053 (versions .001.02 and .001.08 alike: the elements used here did not change), read as a
/// stream so a month of the city fits in memory. One line per Ntry; the entry's Ustrd texts are joined by a space.
/// A bank's camt.052 account report (Rpt) and camt.054 notification (Ntfctn) hold their entries the same way and are
/// read alike; an entry that is not booked (Sts PDNG or INFO, as intraday reports carry) is skipped and noted, as no
/// money has moved yet.
/// </summary>
public static class Camt053Parser
{
    public static bool LooksLike(string head) => Messages.Any(m => head.Contains(m, StringComparison.Ordinal))
                                               || head.Contains("BkToCstmrStmt", StringComparison.Ordinal) || head.Contains("BkToCstmrAcctRpt", StringComparison.Ordinal)
                                               || head.Contains("BkToCstmrDbtCdtNtfctn", StringComparison.Ordinal);

    private static readonly string[] Messages = ["camt.052", "camt.053", "camt.054"];

    /// <summary>What holds the entries of one account: a statement, a report or a notification.</summary>
    private static bool Holder(string element) => element is "Stmt" or "Rpt" or "Ntfctn";

    public static IReadOnlyList<ParsedLine> Parse(Stream stream, string fileName, List<StatementBalance>? balances = null, List<ParseNote>? notes = null)
    {
        var lines = new List<ParsedLine>();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true };
        using var reader = XmlReader.Create(stream, settings);
        var info = (IXmlLineInfo)reader;
        string? account = null, statementId = null, documentNs = null;
        var statements = 0;
        var path = new List<string>();
        try
        {
            // ReadElementContentAsString leaves the reader on the next node already; then the loop must not read again.
            var stay = false;
            while (stay || reader.Read())
            {
                stay = false;
                if (reader.NodeType == XmlNodeType.EndElement)
                {
                    if (path.Count > 0) path.RemoveAt(path.Count - 1);
                    continue;
                }
                if (reader.NodeType != XmlNodeType.Element) continue;
                var el = reader.LocalName;
                var parent = path.Count > 0 ? path[^1] : "";
                if (el == "Document")
                {
                    documentNs = reader.NamespaceURI;
                    if (!Messages.Any(m => documentNs.Contains(m, StringComparison.Ordinal)))
                        throw new StatementFormatException(fileName, info.LineNumber, null, $"this is not a camt.053 statement, nor a camt.052 report or camt.054 notification (namespace \"{documentNs}\").",
                            $"đây không phải sao kê camt.053, báo cáo camt.052 hay thông báo camt.054 (không gian tên \"{documentNs}\").");
                }
                if (Holder(el)) (account, statementId, statements) = (null, null, statements + 1);
                if (el == "Bal" && Holder(parent))
                {
                    var line = info.LineNumber;
                    using (var sub = reader.ReadSubtree()) ReadBalance(sub, statementId, line, balances);
                    continue;
                }
                if (el == "Ntry")
                {
                    var line = info.LineNumber;
                    using (var sub = reader.ReadSubtree())
                    {
                        var (entry, status) = ReadEntry(sub, fileName, line, account, statementId);
                        if (status is null or "BOOK") lines.Add(entry);
                        else
                            notes?.Add(new ParseNote(line, $"the entry's status is {status}, not BOOK (booked); no money has moved yet, so it is skipped.",
                                $"bút toán có trạng thái {status}, chưa phải BOOK (đã hạch toán); tiền chưa chuyển nên bỏ qua."));
                    }
                    continue;
                }
                if (el == "Id" && Holder(parent))
                {
                    statementId = reader.ReadElementContentAsString().Trim();
                    stay = true;
                    continue;
                }
                if (path.Count >= 2 && path[^2] == "Acct" && parent == "Id" && el == "IBAN"
                    || path.Count >= 3 && path[^3] == "Acct" && parent == "Othr" && el == "Id")
                {
                    var value = reader.ReadElementContentAsString().Trim();
                    if (path.Any(Holder) && account is null) account = value;
                    stay = true;
                    continue;
                }
                if (!reader.IsEmptyElement) path.Add(el);
            }
        }
        catch (XmlException e)
        {
            throw new StatementFormatException(fileName, e.LineNumber, null, $"the XML is broken or cut off ({e.Message.Split(". Line")[0]}).",
                $"tệp XML bị hỏng hoặc bị cắt cụt ({e.Message.Split(". Line")[0]}).");
        }
        if (documentNs is null) throw new StatementFormatException(fileName, null, null, "no camt.053 Document element was found.", "không tìm thấy phần tử Document của camt.053.");
        // A message with no statement is no empty statement: nothing says which account or days it covers (issue 16).
        if (statements == 0)
            throw new StatementFormatException(fileName, null, null,
                "the camt file holds no statement, report or notification (no Stmt, Rpt or Ntfctn element); there is nothing to import.",
                "tệp camt không có sao kê, báo cáo hay thông báo nào (không có phần tử Stmt, Rpt hay Ntfctn); không có gì để nhập.");
        return lines;
    }

    /// <summary>OPBD opens a statement, CLBD closes it; other balance types (available, interim) are not chained.</summary>
    private static void ReadBalance(XmlReader r, string? statementId, int line, List<StatementBalance>? balances)
    {
        string? code = null, amount = null, cdi = null, element = null, currency = null;
        DateOnly? date = null;
        var stay = false;
        while (stay || r.Read())
        {
            stay = false;
            // The balance's day: Dt/Dt (a date) or Dt/DtTm (a time, whose date part is the day).
            if (r.NodeType == XmlNodeType.Text && element is "Dt" or "DtTm" && date is null && r.Value.Trim() is { Length: >= 10 } day
                && DateOnly.TryParseExact(day[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                date = d;
            if (r.NodeType != XmlNodeType.Element || r.IsEmptyElement) continue;
            element = r.LocalName;
            switch (r.LocalName)
            {
                // Read whether or not it is kept: a second Cd must still move the reader on (found by fuzzing: it looped).
                case "Cd":
                {
                    var v = r.ReadElementContentAsString().Trim();
                    code ??= v;
                    stay = true;
                    break;
                }
                case "Amt": currency = r.GetAttribute("Ccy"); amount = r.ReadElementContentAsString().Trim(); stay = true; break;
                case "CdtDbtInd": cdi = r.ReadElementContentAsString().Trim(); stay = true; break;
            }
        }
        if (balances is null || amount is null || code is not ("OPBD" or "CLBD")) return;
        var value = StatementAmounts.Normalise(amount, '.');
        if (value is not null && cdi == "DBIT" && value != "0") value = "-" + value;
        if (code == "OPBD") balances.Add(new StatementBalance(statementId, line, value, null, date, OpeningCurrency: currency));
        else if (balances is { Count: > 0 } && balances[^1].StatementId == statementId && balances[^1].Closing is null)
            balances[^1] = balances[^1] with { Closing = value, ClosingDate = date, ClosingCurrency = currency };
        else balances.Add(new StatementBalance(statementId, line, null, value, null, date, ClosingCurrency: currency));
    }

    private static (ParsedLine Line, string? Status) ReadEntry(XmlReader r, string file, int line, string? account, string? statementId)
    {
        string? status = null;
        string? amount = null, currency = null, cdi = null, bookDate = null, valDate = null, bankRef = null, txRef = null, e2e = null, instr = null;
        string? domain = null, family = null, sub = null, prop = null, name = null, cpAccount = null;
        var reversal = false;
        var ustrd = new List<string>();
        var path = new Stack<string>();
        var stay = false;
        while (stay || r.Read())
        {
            stay = false;
            if (r.NodeType == XmlNodeType.EndElement) { if (path.Count > 0) path.Pop(); continue; }
            if (r.NodeType != XmlNodeType.Element) continue;
            var el = r.LocalName;
            var parent = path.Count > 0 ? path.Peek() : "";
            var inside = string.Join('/', path.Reverse());
            if (r.IsEmptyElement) continue;
            string Text()
            {
                stay = true;
                return r.ReadElementContentAsString().Trim();
            }
            switch (el)
            {
                case "Amt" when parent == "Ntry":
                    currency = r.GetAttribute("Ccy");
                    amount = Text();
                    continue;
                case "CdtDbtInd" when parent == "Ntry": cdi = Text(); continue;
                // Sts is a code itself up to .001.06, and holds one in Cd from .001.07 on.
                case "Sts" when parent == "Ntry":
                    status = string.Concat(System.Text.RegularExpressions.Regex.Replace(r.ReadInnerXml(), "<[^>]*>", "").Where(c => !char.IsWhiteSpace(c)));
                    stay = true;
                    continue;
                case "RvslInd" when parent == "Ntry": reversal = Text().Equals("true", StringComparison.OrdinalIgnoreCase); continue;
                case "Dt" or "DtTm" when parent == "BookgDt" && inside == "Ntry/BookgDt": bookDate = Text(); continue;
                case "Dt" or "DtTm" when parent == "ValDt" && inside == "Ntry/ValDt": valDate = Text(); continue;
                case "AcctSvcrRef" when parent == "Ntry": bankRef = Text(); continue;
                case "AcctSvcrRef" when parent == "Refs": txRef ??= Text(); continue;
                case "EndToEndId" when parent == "Refs": e2e ??= NotApplicable(Text()); continue;
                case "InstrId" when parent == "Refs": instr ??= NotApplicable(Text()); continue;
                case "Cd" when parent == "Domn": domain ??= Text(); continue;
                case "Cd" when parent == "Fmly": family ??= Text(); continue;
                case "SubFmlyCd": sub ??= Text(); continue;
                case "Cd" when parent == "Prtry" && inside.Contains("BkTxCd", StringComparison.Ordinal): prop ??= Text(); continue;
                case "Ustrd": ustrd.Add(Text()); continue;
                case "Nm" when inside.Contains("RltdPties", StringComparison.Ordinal):
                {
                    var party = inside.Contains("Dbtr", StringComparison.Ordinal) ? "Dbtr" : inside.Contains("Cdtr", StringComparison.Ordinal) ? "Cdtr" : "";
                    var v = Text();
                    if ((party == "Dbtr" && cdi == "CRDT") || (party == "Cdtr" && cdi == "DBIT") || party == "") name ??= v;
                    continue;
                }
                case "IBAN" or "Id" when inside.Contains("DbtrAcct", StringComparison.Ordinal) || inside.Contains("CdtrAcct", StringComparison.Ordinal):
                {
                    var isDebtor = inside.Contains("DbtrAcct", StringComparison.Ordinal);
                    if (el == "Id" && inside.EndsWith("Acct", StringComparison.Ordinal)) break; // the Id wrapper, not the value
                    var v = Text();
                    if ((isDebtor && cdi == "CRDT") || (!isDebtor && cdi == "DBIT")) cpAccount ??= v;
                    continue;
                }
            }
            path.Push(el);
        }

        if (amount is null) throw new StatementFormatException(file, line, null, "an entry (Ntry) has no Amt.", "một bút toán (Ntry) không có số tiền (Amt).");
        var normalised = StatementAmounts.Normalise(amount, '.')
            ?? throw new StatementFormatException(file, line, null, $"Amt \"{amount}\" is not a non-negative amount.", $"số tiền (Amt) \"{amount}\" không phải số không âm.");
        var direction = cdi switch
        {
            "CRDT" => "credit",
            "DBIT" => "debit",
            _ => throw new StatementFormatException(file, line, null, $"CdtDbtInd is \"{cdi}\", not CRDT or DBIT.", $"CdtDbtInd là \"{cdi}\", không phải CRDT hay DBIT."),
        };
        var type = domain is not null ? string.Join('/', new[] { domain, family, sub }.Where(x => x is not null)) : prop;
        return (new ParsedLine(line, account, statementId, bankRef ?? txRef, e2e ?? instr, Date(bookDate, file, line, "BookgDt"), Date(valDate, file, line, "ValDt"),
            direction, reversal, normalised, currency, type, ustrd.Count == 0 ? null : string.Join(' ', ustrd), name, cpAccount), status);
    }

    private static string? NotApplicable(string v) => v is "NOTPROVIDED" or "" ? null : v;

    private static DateOnly? Date(string? text, string file, int line, string what)
    {
        if (text is null) return null;
        var t = text.Length >= 10 ? text[..10] : text;
        return DateOnly.TryParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d : throw new StatementFormatException(file, line, null, $"{what} \"{text}\" is not a date.", $"{what} \"{text}\" không phải là ngày.");
    }
}
