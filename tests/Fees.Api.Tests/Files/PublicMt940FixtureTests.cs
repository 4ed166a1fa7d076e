using System.Globalization;
using System.Text.RegularExpressions;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.BankAdapters.Statements.Files;
using YamlDotNet.RepresentationModel;

namespace TdmEdu.Fees.Api.Tests.Files;

/// <summary>
/// The MT940 files other open-source parsers test with (tests/fixtures/public/WoLpH-mt940, with their licences), read
/// the way an accountant's upload is read (<see cref="StatementFiles.Parse"/>) and compared with what the Python
/// parser mt940 wrote for each (its .yml): count, amount, direction, value date, entry date and text. Where we
/// differ, the reason is written below, and the fixtures' README says the same.
/// </summary>
public sealed partial class PublicMt940FixtureTests
{
    private static readonly string Root = Path.Combine(FindRoot(), "tests", "fixtures", "public", "WoLpH-mt940");

    /// <summary>Files we refuse, each with the words of its refusal: a fragment or a broken file, not a statement a school could import.</summary>
    private static readonly Dictionary<string, string> Refused = new()
    {
        // A statement line with no account before it: a unit-test fragment of one field; an import could not know whose money it is.
        ["betterplace/empty_entry_date.sta"] = "line 1: a :61: line comes before the account (:25:)",
        ["cmxl/statement_details.sta"] = "line 1: a :61: line comes before the account (:25:)",
        ["cmxl/statement_line.sta"] = "line 1: a :61: line comes before the account (:25:)",
        // The file's own name says "broken": the text of :86: is written under :25:, the account's field.
        ["betterplace/sepa_snippet_broken.sta"] = "line 7: \"SVWZ+Verw CTSc-01 BC-PPP TF?23Nr 22 004?…\" has no field tag, and :25: does not go on over several lines",
        // A closing balance without its currency: the reader never guesses one.
        ["self-provided/raphaelm.sta"] = "line 27: the closing balance :62M: \"C020315105000,00\" is not C/D, yyMMdd, currency, amount",
        // Cut at a fixed width through the tags themselves (":" on one line, "86:" on the next).
        ["self-provided/sparkassen.sta"] = "line 3: \":\" is not a field tag like :61:",
        // Numbers 1 to 8, one per line: no field at all.
        ["self-provided/invalid_statement.sta"] = "neither a camt.053 nor an MT940",
    };

    /// <summary>Lines whose text we read otherwise, and why (file, index of the line in the file).</summary>
    private static readonly Dictionary<(string File, int Index), string> TextDiffers = new()
    {
        // mt940's error: the :86: after :62F: is the statement's own information to the account holder; mt940 adds it
        // to the text of the statement's last line. We leave the line's text as its own :86: says it.
        [("jejik/ing.sta", 6)] = "0111111111 Hr S MarechalROSMALEN Hr S Marechal ROSMALENBetaling transactiedatum: 22-07-2010",
    };

    /// <summary>Files whose text is in a code page other than UTF-8 and Latin-1; we read them as Latin-1 and say so by a note.</summary>
    private static readonly HashSet<string> OtherCodePage = ["self-provided/raiffeisen-cmi.sta"];

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Root, "*.sta", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(Root, f).Replace('\\', '/'));
        return data;
    }

    [Fact]
    public void TheSetsAreHere_WithTheirLicences()
    {
        Assert.True(Files().Count >= 45, $"only {Files().Count} fixtures under {Root}");
        Assert.True(File.Exists(Path.Combine(Root, "LICENSE")));
        foreach (var set in new[] { "jejik", "cmxl", "betterplace" })
            Assert.True(File.Exists(Path.Combine(Root, set, "LICENSE")), $"{set} has no LICENSE");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Fixture_ReadsAsTheParserItCameFrom_OrIsRefusedForItsReason(string file)
    {
        var path = Path.Combine(Root, file);
        var expected = Expected(Path.ChangeExtension(path, ".yml"));
        var notes = new List<ParseNote>();

        if (Refused.TryGetValue(file, out var reason))
        {
            var e = Assert.Throws<BadInputException>(() => StatementFiles.Parse(path, notes: notes));
            Assert.Contains(reason, e.Message, StringComparison.Ordinal);
            return;
        }
        var lines = StatementFiles.Parse(path, notes: notes);

        Assert.Equal(expected.Count, lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var (got, want) = (lines[i], expected[i]);
            var at = $"{file}, line {i} (file line {got.Line})";
            Assert.True(decimal.Parse(got.Amount, CultureInfo.InvariantCulture) == Math.Abs(want.Amount), $"{at}: amount {got.Amount}, mt940 {want.Amount}");
            // mt940's error: it books RC (a reversal of a credit) as a credit. SWIFT defines RC as a debit entry, and the
            // files' own balances agree (sepa_mt9401.sta chains from :60F: to :62F: only with RC as a debit; checked below).
            var wantDirection = want.Status == "RC" ? "debit" : want.Amount < 0 ? "debit" : "credit";
            Assert.True(wantDirection == got.Direction, $"{at}: {got.Direction}, mt940 {want.Amount} ({want.Status})");
            Assert.True(want.Date == got.ValueDate, $"{at}: value date {got.ValueDate}, mt940 {want.Date}");
            if (want.EntryDate is { } entry) Assert.True(entry == got.BookingDate, $"{at}: entry date {got.BookingDate}, mt940 {entry}");
            if (TextDiffers.TryGetValue((file, i), out var ours)) Assert.Equal(ours, got.Content);
            else if (OtherCodePage.Contains(file)) Assert.Contains(notes, n => n.En.Contains("not UTF-8", StringComparison.Ordinal));
            else if (want.Details is { } details) Assert.Equal(details.Length == 0 ? null : details, got.Content);
            else
            {
                // Structured German text (?00 posting text, ?20-?29 purpose, ?32-?33 name): mt940 splits it into parts
                // and keeps no whole text; we keep the whole text. Each of its parts must be in ours.
                var flat = Squeeze(Subfield().Replace(got.Content ?? "", ""));
                foreach (var part in want.Parts)
                    Assert.True(flat.Contains(Squeeze(part), StringComparison.Ordinal), $"{at}: \"{part}\" is not in \"{got.Content}\"");
            }
        }
    }

    /// <summary>
    /// The proof that RC is a debit: this real bank's file (the other sets are written by hand, and their balances do
    /// not add up) chains every statement from :60F: to :62F: only when its two RC lines are debits.
    /// </summary>
    [Fact]
    public void ABanksOwnFile_ChainsFromOpeningToClosing_WithRcAsADebit()
    {
        var balances = new List<StatementBalance>();

        var lines = StatementFiles.Parse(Path.Combine(Root, "betterplace/sepa_mt9401.sta"), balances: balances);

        Assert.Equal(2, lines.Count(l => l is { Reversal: true, Direction: "debit" }));
        Assert.Equal(26, balances.Count(b => b is { Opening: not null, Closing: not null }));
        // Several statements of one file may share an id (the same :20: and :28C:), so each is checked as its own stretch of lines.
        var seen = 0;
        foreach (var b in balances)
        {
            var own = lines.Skip(seen).TakeWhile(l => l.Line > b.Line && l.StatementId == b.StatementId).ToList();
            seen += own.Count;
            var moved = own.Sum(l => decimal.Parse(l.Amount, CultureInfo.InvariantCulture) * (l.Direction == "credit" ? 1 : -1));
            Assert.True(decimal.Parse(b.Opening!, CultureInfo.InvariantCulture) + moved == decimal.Parse(b.Closing!, CultureInfo.InvariantCulture),
                $"statement {b.StatementId} from line {b.Line}: {b.Opening} + {moved} is not {b.Closing}");
        }
    }

    [Fact]
    public void AFileInAnotherCodePage_IsReadAsLatin1_AndSaysSoOnItsFirstSuchLine()
    {
        var notes = new List<ParseNote>();

        var lines = StatementFiles.Parse(Path.Combine(Root, "self-provided/raiffeisen-cmi.sta"), notes: notes);

        Assert.Equal(7, lines.Count);
        var note = Assert.Single(notes, n => n.En.Contains("not UTF-8", StringComparison.Ordinal));
        Assert.True(note.Line > 1);
    }

    private sealed record Line(decimal Amount, string? Status, DateOnly? Date, DateOnly? EntryDate, string? Details, IReadOnlyList<string> Parts);

    /// <summary>The transactions mt940 wrote (a pickled Python object as YAML): read by node, as the file points back at itself.</summary>
    private static List<Line> Expected(string yml)
    {
        using var reader = new StreamReader(yml);
        var stream = new YamlStream();
        stream.Load(reader);
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var result = new List<Line>();
        if (!root.Children.TryGetValue("transactions", out var list)) return result;
        foreach (var t in ((YamlSequenceNode)list).Children.Cast<YamlMappingNode>())
        {
            var d = (YamlMappingNode)t["data"];
            if (!d.Children.ContainsKey("amount")) continue;
            var amount = decimal.Parse(Scalar(((YamlSequenceNode)((YamlMappingNode)d["amount"])["amount"]).Children[0])!, CultureInfo.InvariantCulture);
            string? details = null;
            if (d.Children.TryGetValue("transaction_details", out var td)) details = (Scalar(td) ?? "").Replace("\n", "", StringComparison.Ordinal).Trim();
            var parts = new[] { "posting_text", "purpose", "applicant_name" }
                .Select(k => d.Children.TryGetValue(k, out var v) ? Scalar(v) : null).OfType<string>().ToList();
            result.Add(new Line(amount, Scalar(d["status"]), Date(d, "date"), Date(d, "entry_date"), details, parts));
        }
        return result;
    }

    private static string? Scalar(YamlNode n) => n is YamlScalarNode { Value: var v } s && !(s.Tag.IsEmpty && s.Style == YamlDotNet.Core.ScalarStyle.Plain && v == "null") ? v : null;

    /// <summary>mt940.models.Date pickled as four bytes: year (two), month, day.</summary>
    private static DateOnly? Date(YamlMappingNode d, string key)
    {
        if (!d.Children.TryGetValue(key, out var n) || n is not YamlSequenceNode { Children: [YamlScalarNode bytes, ..] }) return null;
        var b = Convert.FromBase64String(bytes.Value!.Replace("\n", "", StringComparison.Ordinal));
        return new DateOnly(b[0] * 256 + b[1], b[2], b[3]);
    }

    private static string Squeeze(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));

    [GeneratedRegex(@"\?\d\d")]
    private static partial Regex Subfield();

    private static string FindRoot() => Support.Repository.Root;
}
