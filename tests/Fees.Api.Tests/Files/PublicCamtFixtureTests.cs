using System.Globalization;
using System.Text.Json;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Tests.Files;

/// <summary>
/// The camt files of the PHP parser genkgo/camt (tests/fixtures/public/genkgo-camt, MIT), read the way an upload is
/// read and compared with the JSON that parser wrote for each: count, amount, direction, booking and value dates,
/// reversal and text. Where we differ, the reason is written below and in the fixtures' README.
/// </summary>
public sealed class PublicCamtFixtureTests
{
    private static readonly string Root = Path.Combine(FindRoot(), "tests", "fixtures", "public", "genkgo-camt");

    /// <summary>Intraday reports whose only entry is pending (Sts PDNG): no money has moved, so we skip it and say so.</summary>
    private static readonly HashSet<string> Pending = ["camt052.v4.xml", "camt052.v6.xml", "camt052.v6.Amt-zero.xml"];

    /// <summary>Entries whose only text is a structured creditor reference (Strd/CdtrRefInf/Ref), no Ustrd.</summary>
    private static readonly HashSet<string> StructuredOnly =
        ["camt053.v2.minimal.xml", "camt053.v2.minimal.ultimate.xml", "camt053.v2.with-party-ids.xml", "camt053.v3.xml", "camt053.v4.xml", "camt053.v8.xml"];

    /// <summary>Read by its own test below: genkgo's JSON of it is wrong.</summary>
    private const string MultiStatement = "camt053.v2.multi.statement.xml";

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Root, "*.xml").Order(StringComparer.Ordinal))
            if (File.Exists(Path.ChangeExtension(f, ".json")) && Path.GetFileName(f) != MultiStatement) data.Add(Path.GetFileName(f));
        return data;
    }

    [Fact]
    public void TheSetIsHere_WithItsLicence()
    {
        Assert.True(Files().Count >= 23, $"only {Files().Count} fixtures under {Root}");
        Assert.True(File.Exists(Path.Combine(Root, "LICENSE")));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Fixture_ReadsAsTheParserItCameFrom(string file)
    {
        var expected = Expected(Path.Combine(Root, Path.ChangeExtension(file, ".json")));
        var notes = new List<ParseNote>();

        var lines = StatementFiles.Parse(Path.Combine(Root, file), notes: notes);

        if (Pending.Contains(file))
        {
            Assert.Empty(lines);
            Assert.Single(expected);
            Assert.Contains(notes, n => n.En.Contains("status is PDNG, not BOOK", StringComparison.Ordinal));
            return;
        }
        Assert.Equal(expected.Count, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var (got, want) = (lines[i], expected[i]);
            var signed = decimal.Parse(got.Amount, CultureInfo.InvariantCulture) * (got.Direction == "credit" ? 1 : -1);
            Assert.True(want.Amount == signed, $"{file}, entry {i}: {got.Direction} {got.Amount}, genkgo {want.Amount}");
            Assert.Equal(want.Booking, got.BookingDate);
            Assert.Equal(want.Value, got.ValueDate);
            Assert.Equal(want.Reversal, got.Reversal);
            // genkgo's text is its first transaction's, or its structured creditor reference when it has no Ustrd; ours is
            // every Ustrd of the entry, in order, as cli.md defines content.
            if (want.Text is { } text && !StructuredOnly.Contains(file)) Assert.StartsWith(text, got.Content ?? "", StringComparison.Ordinal);
            else if (want.Text is not null) Assert.Null(got.Content);
        }
    }

    /// <summary>
    /// genkgo's JSON of this file lists one entry, as its dump keys entries by their place in their own statement and
    /// both are the first of theirs; its own test (EntryIteratorTest) reads two, as we do: 8.85 in, then 7.00 out.
    /// </summary>
    [Fact]
    public void TwoStatementsInOneFile_GiveBothEntries()
    {
        var lines = StatementFiles.Parse(Path.Combine(Root, MultiStatement));

        Assert.Equal([("credit", "8.85", "Transaction Description 1"), ("debit", "7", "Transaction Description 2")],
            lines.Select(l => (l.Direction, l.Amount, l.Content)));
        Assert.Equal(2, lines.Select(l => l.StatementId).Distinct().Count());
    }

    [Fact]
    public void AMessageWithNoStatement_IsRefusedForThatReason()
    {
        var e = Assert.Throws<BadInputException>(() => StatementFiles.Parse(Path.Combine(Root, "camt053.v2.wrong.xml")));

        Assert.Contains("holds no statement, report or notification", e.Message, StringComparison.Ordinal);
    }

    private sealed record Entry(decimal Amount, DateOnly? Booking, DateOnly? Value, bool Reversal, string? Text);

    private static List<Entry> Expected(string json)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var result = new List<Entry>();
        if (!doc.RootElement.TryGetProperty("getEntries", out var entries)) return result;
        foreach (var e in entries.EnumerateArray())
        {
            // Money in minor units; every amount here is in euro or kronor, two decimals.
            var amount = decimal.Parse(e.GetProperty("getAmount").GetProperty("getAmount").GetString()!, CultureInfo.InvariantCulture) / 100;
            string? text = null;
            if (e.TryGetProperty("getTransactionDetail", out var td) && td.ValueKind == JsonValueKind.Object
                && td.TryGetProperty("getRemittanceInformation", out var ri) && ri.ValueKind == JsonValueKind.Object
                && ri.TryGetProperty("getMessage", out var m) && m.ValueKind == JsonValueKind.String)
                text = m.GetString();
            result.Add(new Entry(amount, Day(e, "getBookingDate"), Day(e, "getValueDate"),
                e.TryGetProperty("getReversalIndicator", out var r) && r.ValueKind == JsonValueKind.True, text));
        }
        return result;
    }

    private static DateOnly? Day(JsonElement e, string key) =>
        e.TryGetProperty(key, out var d) && d.ValueKind == JsonValueKind.Object && d.GetProperty("0").GetString() is { Length: >= 10 } s
            ? DateOnly.ParseExact(s[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture)
            : null;

    private static string FindRoot() => Support.Repository.Root;
}
