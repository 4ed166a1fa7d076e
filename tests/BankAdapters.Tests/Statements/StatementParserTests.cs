using System.Text;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.BankAdapters.Tests.Statements;

public sealed class StatementParserTests
{
    // Written from the ISO 20022 camt.053 message definitions: one credit with two transactions' remittance
    // texts, one reversed credit, one debit; .001.02 names the debtor under RltdPties/Dbtr/Nm.
    private const string Camt02 = """
        <?xml version="1.0" encoding="UTF-8"?>
        <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
          <BkToCstmrStmt>
            <GrpHdr><MsgId>VCB-20250910</MsgId><CreDtTm>2025-09-10T23:00:00+07:00</CreDtTm></GrpHdr>
            <Stmt>
              <Id>STMT-0910</Id>
              <Acct><Id><Othr><Id>0281000111222</Id></Othr></Id><Ccy>VND</Ccy></Acct>
              <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="VND">10000000</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-09-10</Dt></Dt></Bal>
              <Ntry>
                <Amt Ccy="VND">1371800</Amt>
                <CdtDbtInd>CRDT</CdtDbtInd>
                <RvslInd>false</RvslInd>
                <Sts>BOOK</Sts>
                <BookgDt><Dt>2025-09-10</Dt></BookgDt>
                <ValDt><Dt>2025-09-10</Dt></ValDt>
                <AcctSvcrRef>FT25253001</AcctSvcrRef>
                <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>DMCT</SubFmlyCd></Fmly></Domn></BkTxCd>
                <NtryDtls><TxDtls>
                  <Refs><EndToEndId>E2E-1</EndToEndId></Refs>
                  <RltdPties><Dbtr><Nm>NGUYỄN VĂN BÌNH</Nm></Dbtr><DbtrAcct><Id><Othr><Id>0123456789</Id></Othr></Id></DbtrAcct></RltdPties>
                  <RmtInf><Ustrd>MBVCB.123.456.HS10000004</Ustrd><Ustrd>hoc phi thang 9</Ustrd></RmtInf>
                </TxDtls></NtryDtls>
              </Ntry>
              <Ntry>
                <Amt Ccy="VND">500000.00</Amt>
                <CdtDbtInd>DBIT</CdtDbtInd>
                <RvslInd>true</RvslInd>
                <BookgDt><Dt>2025-09-11</Dt></BookgDt>
                <NtryDtls><TxDtls><Refs><AcctSvcrRef>FT25254002</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs></TxDtls></NtryDtls>
              </Ntry>
              <Ntry>
                <Amt Ccy="VND">11000.5</Amt>
                <CdtDbtInd>DBIT</CdtDbtInd>
                <BookgDt><DtTm>2025-09-12T08:00:00+07:00</DtTm></BookgDt>
                <AcctSvcrRef>FEE-0912</AcctSvcrRef>
                <BkTxCd><Prtry><Cd>PHI</Cd></Prtry></BkTxCd>
              </Ntry>
            </Stmt>
          </BkToCstmrStmt>
        </Document>
        """;

    private static IReadOnlyList<ParsedLine> Camt(string xml) => Camt053Parser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "camt.xml");

    [Fact]
    public void Camt053v02_ReadsEveryEntryWithItsReferencesAndTexts()
    {
        var lines = Camt(Camt02);

        Assert.Equal(3, lines.Count);
        var c = lines[0];
        Assert.Equal(("0281000111222", "STMT-0910", "FT25253001", "E2E-1"), (c.Account, c.StatementId, c.BankRef, c.CustomerRef));
        Assert.Equal(("credit", false, "1371800", "VND", "PMNT/RCDT/DMCT"), (c.Direction, c.Reversal, c.Amount, c.Currency, c.Type));
        Assert.Equal("MBVCB.123.456.HS10000004 hoc phi thang 9", c.Content);
        Assert.Equal(("NGUYỄN VĂN BÌNH", "0123456789"), (c.CounterpartyName, c.CounterpartyAccount));
        Assert.Equal(new DateOnly(2025, 9, 10), c.BookingDate);
        // No entry-level reference: the first transaction's AcctSvcrRef. A reversal is kept as such.
        Assert.Equal(("FT25254002", (string?)null, "debit", true, "500000"), (lines[1].BankRef, lines[1].CustomerRef, lines[1].Direction, lines[1].Reversal, lines[1].Amount));
        // Parse prints fractions as the file says them; only import refuses them.
        Assert.Equal(("11000.5", "PHI", new DateOnly(2025, 9, 12)), (lines[2].Amount, lines[2].Type, lines[2].BookingDate!.Value));
    }

    [Fact]
    public async Task Camt053_ABalanceWithTwoCodes_IsReadWithTheFirst_AndTheReaderMovesOn()
    {
        // Found by fuzzing: a second Cd inside Bal kept the reader on it for ever.
        var xml = Camt02.Replace("<Cd>OPBD</Cd>", "<Cd>OPBD</Cd><Cd>XXXX</Cd>", StringComparison.Ordinal);
        var balances = new List<StatementBalance>();

        await Task.Run(() => Camt053Parser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)), "camt.xml", balances)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("10000000", Assert.Single(balances).Opening);
    }

    [Fact]
    public void Camt053_OpeningBalance_IsRead()
    {
        var balances = new List<StatementBalance>();

        Camt053Parser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Camt02)), "camt.xml", balances);

        Assert.Equal(new StatementBalance("STMT-0910", 8, "10000000", null, new DateOnly(2025, 9, 10), OpeningCurrency: "VND"), Assert.Single(balances));
    }

    [Fact]
    public void Camt053_ABalanceKeepsItsDate()
    {
        var balances = new List<StatementBalance>();
        Camt053Parser.Parse(new MemoryStream(Encoding.UTF8.GetBytes(Camt02.Replace("<Dt><Dt>2025-09-10</Dt></Dt></Bal>",
            "<Dt><DtTm>2025-09-10T00:00:00+07:00</DtTm></Dt></Bal><Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"VND\">11371800</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2025-09-10</Dt></Dt></Bal>",
            StringComparison.Ordinal))), "camt.xml", balances);

        var b = Assert.Single(balances);
        Assert.Equal(("10000000", new DateOnly(2025, 9, 10), "11371800", new DateOnly(2025, 9, 10)), (b.Opening, b.OpeningDate, b.Closing, b.ClosingDate));
    }

    [Fact]
    public void Mt940_BalancesKeepTheirDates_AsTheBankWroteThem()
    {
        var balances = new List<StatementBalance>();
        Mt940Parser.Parse(Mt940, "stmt.sta", balances);

        // The second statement's opening is dated the day the first closed: the bank's way, which the books must not misread.
        Assert.Equal([(new DateOnly(2025, 9, 9), new DateOnly(2025, 9, 12)), (new DateOnly(2025, 9, 12), new DateOnly(2025, 9, 13))],
            balances.Select(b => (b.OpeningDate!.Value, b.ClosingDate!.Value)));
    }

    [Fact]
    public void Camt053v08_WithThePartyUnderPty_IsReadTheSameWay()
    {
        var v8 = Camt02.Replace("camt.053.001.02", "camt.053.001.08")
            .Replace("<Dbtr><Nm>NGUYỄN VĂN BÌNH</Nm></Dbtr>", "<Dbtr><Pty><Nm>NGUYỄN VĂN BÌNH</Nm></Pty></Dbtr>")
            .Replace("<Acct><Id><Othr><Id>0281000111222</Id></Othr></Id>", "<Acct><Id><IBAN>VN0281000111222</IBAN></Id>");

        var lines = Camt(v8);

        Assert.Equal(3, lines.Count);
        Assert.Equal(("VN0281000111222", "NGUYỄN VĂN BÌNH"), (lines[0].Account, lines[0].CounterpartyName));
    }

    [Fact]
    public void Camt053_CutOff_NamesTheLine()
    {
        var e = Assert.Throws<StatementFormatException>(() => Camt(Camt02[..(Camt02.Length / 2)]));

        Assert.StartsWith("camt.xml, line ", e.Message);
        Assert.Contains("the XML is broken or cut off", e.Message);
    }

    [Fact]
    public void Camt053_OtherMessage_IsRefused() =>
        Assert.Contains("not a camt.053 statement, nor a camt.052 report or camt.054 notification",
            Assert.Throws<StatementFormatException>(() => Camt(Camt02.Replace("camt.053.001.02", "pain.001.001.03"))).Message);

    [Fact]
    public void Camt053_WithNoStatement_IsRefused_NotReadAsAnEmptyOne()
    {
        const string empty = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
              <BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-09-10T08:00:00</CreDtTm></GrpHdr></BkToCstmrStmt>
            </Document>
            """;

        var e = Assert.Throws<StatementFormatException>(() => Camt(empty));

        Assert.Contains("the camt file holds no statement, report or notification (no Stmt, Rpt or Ntfctn element); there is nothing to import.", e.Message);
    }

    [Fact]
    public void Camt053_EntryWithoutDirection_IsRefusedNamingTheLine() =>
        Assert.Contains("CdtDbtInd is \"XXXX\"",
            Assert.Throws<StatementFormatException>(() => Camt(Camt02.Replace("<CdtDbtInd>DBIT</CdtDbtInd>\n        <RvslInd>true", "<CdtDbtInd>XXXX</CdtDbtInd>\n        <RvslInd>true"))).Message);

    private const string Mt940 = """
        {1:F01BIDVVNVXAXXX0000000000}{2:I940BIDVVNVXXXXXN}{4:
        :20:STMT250910
        :25:65210000000001
        :28C:253/1
        :60F:C250909VND10000000,00
        :61:2509100910C1371800,00NTRFNONREF//FT25253001
        :86:BIDV;HS1000
        0004 hoc phi thang 9
        :61:2509110911RC500000,NTRFREF123//FT25254002
        :86:HOAN TRA GIAO DICH
        :61:250912D11000,50NCHGFEE0912
        :62F:C250912VND10860799,50
        -}
        :20:STMT250913
        :25:65210000000001
        :60F:C250912VND10860799,50
        :61:2512311231RD200000,NTRFABC//FT25365001
        :61:2601010102C100,NMSCX
        :62F:C250913VND11060899,50
        """;

    private static IReadOnlyList<ParsedLine> Mt(string text) => Mt940Parser.Parse(text, "stmt.sta");

    [Fact]
    public void Mt940_ABanksPreambleAndTextBetweenStatements_AreSkippedAndNoted()
    {
        // Issue 16: files that open with the bank's own heading were refused whole.
        var text = "SAO KE TAI KHOAN / ACCOUNT STATEMENT\nNgay in: 13/09/2025\n" + Mt940.Replace("-}\n", "-}\nTrang 2 / Page 2\n", StringComparison.Ordinal);
        var notes = new List<ParseNote>();

        var lines = Mt940Parser.Parse(text, "stmt.sta", notes: notes);

        Assert.Equal(5, lines.Count);
        Assert.Equal("BIDV;HS10000004 hoc phi thang 9", lines[0].Content);
        Assert.Equal([(1, "\"SAO KE TAI KHOAN / ACCOUNT STATEMENT\" is outside any statement (a bank's own heading); skipped."),
            (16, "\"Trang 2 / Page 2\" is outside any statement (a bank's own heading); skipped.")], notes.Select(n => (n.Line, n.En)));
    }

    [Fact]
    public void Mt940_AFieldThisReaderDoesNotUse_IsSkippedWithItsContinuationLines_AndNoted()
    {
        // Unknown fields were fatal; a bank's own field (here with two continuation lines) is now kept aside, said.
        var text = Mt940.Replace(":28C:253/1\n", ":28C:253/1\n:99:BANK OWN FIELD\nSECOND LINE\nTHIRD LINE\n", StringComparison.Ordinal);
        var notes = new List<ParseNote>();

        var lines = Mt940Parser.Parse(text, "stmt.sta", notes: notes);

        Assert.Equal(5, lines.Count);
        Assert.Equal(("1371800", "credit"), (lines[0].Amount, lines[0].Direction));
        Assert.Equal((5, "field :99: is not one this reader uses; skipped with its 3 line(s)."), (notes.Single().Line, notes.Single().En));
    }

    [Fact]
    public void Mt940_ThirtyFebruary_IsReadAsTheMonthsLastDay_AndNoted()
    {
        var text = Mt940.Replace(":61:2509100910C1371800,00NTRFNONREF//FT25253001", ":61:2502300230C1371800,00NTRFNONREF//FT25253001", StringComparison.Ordinal);
        var notes = new List<ParseNote>();

        var lines = Mt940Parser.Parse(text, "stmt.sta", notes: notes);

        Assert.Equal((new DateOnly(2025, 2, 28), new DateOnly(2025, 2, 28)), (lines[0].ValueDate!.Value, lines[0].BookingDate!.Value));
        Assert.Equal("1371800", lines[0].Amount);
        Assert.Equal(["value date \"250230\" is day 30 of a month of 28 days; read as 28/02/2025, the month's last day.",
            "entry date \"0230\" is day 30 of a month of 28 days; read as 28/02/2025, the month's last day."], notes.Select(n => n.En));
    }

    [Fact]
    public void Mt940_TwoStatements_WrappedTextsReversalsAndReferences()
    {
        var lines = Mt(Mt940);

        Assert.Equal(5, lines.Count);
        var a = lines[0];
        Assert.Equal(("65210000000001", "STMT250910/253/1", "FT25253001", (string?)null), (a.Account, a.StatementId, a.BankRef, a.CustomerRef));
        Assert.Equal(("credit", false, "1371800", "VND", "NTRF"), (a.Direction, a.Reversal, a.Amount, a.Currency, a.Type));
        Assert.Equal("BIDV;HS10000004 hoc phi thang 9", a.Content);
        Assert.Equal((new DateOnly(2025, 9, 10), new DateOnly(2025, 9, 10)), (a.ValueDate!.Value, a.BookingDate!.Value));
        // RC: a reversal of a credit, so money going out.
        Assert.Equal(("debit", true, "500000", "REF123", "FT25254002"), (lines[1].Direction, lines[1].Reversal, lines[1].Amount, lines[1].CustomerRef, lines[1].BankRef));
        // Without //, the customer reference is the one we have.
        Assert.Equal(("debit", "11000.5", "FEE0912", "FEE0912"), (lines[2].Direction, lines[2].Amount, lines[2].BankRef, lines[2].CustomerRef));
        // RD: a reversal of a debit, so money coming in; the second statement has its own id.
        Assert.Equal(("credit", true, "STMT250913"), (lines[3].Direction, lines[3].Reversal, lines[3].StatementId));
        // Booked on 2 January for a value date of 1 January.
        Assert.Equal(new DateOnly(2026, 1, 2), lines[4].BookingDate);
    }

    [Theory]
    [InlineData(":61:2509100910X1371800,00NTRFNONREF", "line 6: the :61: line")]
    [InlineData(":61:2513400910C1371800,00NTRFNONREF", "value date \"251340\" is not yyMMdd")]
    [InlineData("61:2509100910C1371800,00NTRF", "line 6: \"61:2509100910C1371800,00NTRF\" has no field tag")]
    [InlineData(":6:2509100910C1371800,00NTRF", "line 6: \":6:2509100910C1371800,00NTRF\" is not a field tag like :61:")]
    [InlineData(":61:2502320232C1371800,00NTRFNONREF", "value date \"250232\" is not yyMMdd")]
    public void Mt940_BrokenLine_IsRefusedWithItsLine(string broken, string message)
    {
        var text = Mt940.Replace(":61:2509100910C1371800,00NTRFNONREF//FT25253001", broken);

        var e = Assert.Throws<StatementFormatException>(() => Mt(text));

        Assert.Contains(message, e.Message);
        Assert.StartsWith("stmt.sta", e.Message);
    }

    [Fact]
    public void Mt940_StatementLineBeforeTheAccount_IsRefused() =>
        Assert.Contains("comes before the account",
            Assert.Throws<StatementFormatException>(() => Mt(":20:X\n:61:2509100910C1,NTRFX\n")).Message);
}
