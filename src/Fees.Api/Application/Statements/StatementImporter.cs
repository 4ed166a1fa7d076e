using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Statements;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>What an import stored. Keys are the lines' keys in the file's order (the page's preview finds its lines by them).</summary>
public sealed record StatementImportResult(int Lines, int Inserted, int Skipped, IReadOnlyList<string> Warnings)
{
    public Guid ImportId { get; init; }
    public Guid AccountId { get; init; }
    public IReadOnlyList<string> Keys { get; init; } = [];
    /// <summary>The warnings in Vietnamese, in the same order.</summary>
    public IReadOnlyList<string> WarningsVi { get; init; } = [];
    /// <summary>The format the file was read as ("columns": by the account's column map).</summary>
    public string Format { get; init; } = "";
    /// <summary>The column map the file was read by, when it was.</summary>
    public ColumnMap? Columns { get; init; }
}

/// <summary>
/// Stores a statement of a school account, all or nothing. A line already imported (same account and bank
/// reference; for a line without one, same booking date, amount, content and occurrence in its file) is
/// skipped and counted; the database's unique key decides, so overlapping files and reruns change nothing.
/// </summary>
public sealed partial class StatementImporter(FeesDb db, BusinessClock clock, Actor actor)
{
    /// <summary>Files of at least this many lines say how far they are (the CLI: standard error).</summary>
    public const int ProgressFromLines = 50_000;

    public IProgress<string>? Progress { get; init; }

    /// <summary>How much of a file is read: the command line's statement, or the smaller one a page takes.</summary>
    public FileLimits Limits { get; init; } = FileLimits.Statement;

    /// <summary>
    /// Imports a file of the account. A sheet is read by <paramref name="columns"/> when given, else by the column map saved
    /// for the account when the format is "auto" (and its header is in the file) or "columns".
    /// </summary>
    public async Task<StatementImportResult> ImportAsync(string path, string bank, string accountNo, string format = "auto", CancellationToken ct = default,
        ColumnMap? columns = null)
    {
        var name = Path.GetFileName(path);
        // Any bank of the directory: an account at another bank is collected through an aggregator, and its statements come as files.
        bank = BankDirectory.ByBinOrCode(bank)?.Code
               ?? throw new BadInputException("--bank", null, null, $"\"{bank}\" is not a bank of NAPAS's VietQR list (for example {BankDirectory.CollectionBanksInWords}).",
                   $"\"{bank}\" không phải ngân hàng trong danh sách VietQR của NAPAS.");
        var account = await db.BankAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Bank == bank && a.AccountNo == accountNo, ct)
            ?? throw new BadInputException("--account", null, null, $"no school has the {bank} account {accountNo}; a statement of an account the service does not know is not imported.",
                $"không trường nào có tài khoản {bank} {accountNo}; không nhập sao kê của tài khoản hệ thống không biết.");
        var balances = new List<StatementBalance>();
        var notes = new List<ParseNote>();
        if (columns is null && format is StatementFormats.Auto or StatementFormats.Columns)
            columns = await SavedColumnsAsync(db, account.Id, ct);
        var readAs = format;
        var lines = StatementFiles.Parse(path, format, balances, ct, Limits, notes, columns, f => readAs = f);
        // A balance in another currency is no balance of a school account (found by review: it was set against VND lines).
        var foreign = balances.SelectMany(b => new[] { (b.Line, b.OpeningCurrency), (b.Line, b.ClosingCurrency) })
            .Where(x => x.Item2 is { Length: > 0 } c && c is not ("VND" or "704"))
            .Select(x => new InputProblem(name, x.Line, null, $"the balance is stated in {x.Item2}; a school account holds VND only.",
                $"số dư ghi bằng {x.Item2}; tài khoản của trường chỉ nhận VND.")).Distinct().ToList();
        (List<StatementLineRow> Rows, StatementLineKeys Keys) read;
        try
        {
            read = FromFile(account, name, lines);
        }
        catch (BadInputException e) when (foreign.Count > 0)
        {
            throw new BadInputException(foreign.Concat(e.Problems).OrderBy(p => p.Line).ToList());
        }
        if (foreign.Count > 0) throw new BadInputException(foreign);
        // What the reader skipped or read by a rule is said with the import, by line.
        foreach (var n in notes)
        {
            read.Keys.Warnings.Add($"{name}, line {n.Line}: {n.En}");
            read.Keys.WarningsVi.Add($"{name}, dòng {n.Line}: {n.Vi}");
        }
        string sha;
        await using (var file = File.OpenRead(path)) sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
        var stored = await StoreAsync(account, name, readAs, sha, read, balances, DayBalances.FromFile(balances, lines), null, ct);
        return stored with { Format = readAs, Columns = readAs == StatementFormats.Columns ? columns : null };
    }

    /// <summary>
    /// Lines a bank's statement API gave for an account and dates, stored the same way as a file; the account's
    /// pull mark moves to <paramref name="pulledThrough"/> in the same transaction, so a failed pull repeats.
    /// </summary>
    public async Task<StatementImportResult> ImportPulledAsync(SchoolBankAccount account, IReadOnlyList<StatementLine> pulled, DateOnly from, DateOnly to,
        DateOnly pulledThrough, CancellationToken ct = default)
    {
        var name = $"{account.Bank} API {from:yyyy-MM-dd}..{to:yyyy-MM-dd}";
        var sha = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n",
            pulled.Select(l => $"{l.BankRef}|{l.BookingDate}|{l.AmountVnd.ToString(CultureInfo.InvariantCulture)}|{Direction(l)}")))));
        // A day not over yet (today) states no balance: a later line would make it another (found by attack: a pull
        // during a month's last day left two balances for it, and the month could never reconcile).
        return await StoreAsync(account, name, "api", sha, FromApi(account, name, pulled), [],
            DayBalances.FromRunning(pulled).Where(d => d.Day <= pulledThrough).ToList(), pulledThrough, ct, coveredFrom: from);
    }

    /// <summary>A file's lines as rows, or every line a school account cannot hold, refused together.</summary>
    private static (List<StatementLineRow>, StatementLineKeys) FromFile(SchoolBankAccount account, string name, IReadOnlyList<ParsedLine> lines)
    {
        var problems = new List<InputProblem>();
        var rows = new List<StatementLineRow>(lines.Count);
        var keys = new StatementLineKeys(name);
        foreach (var l in lines)
        {
            void Bad(string reason, string vietnamese) => problems.Add(new InputProblem(name, l.Line, null, reason, vietnamese));
            // The account itself, or with the bank's code before a slash (BIDVVNVX/652…): a longer number that only ends in
            // the school's is another account (found by attack: 9999 + the school's number was imported as the school's).
            if (l.Account is { } fileAccount && fileAccount != account.AccountNo && !fileAccount.EndsWith("/" + account.AccountNo, StringComparison.Ordinal))
            {
                Bad($"the statement is of account {fileAccount}, not {account.AccountNo}.",
                    $"sao kê là của tài khoản {fileAccount}, không phải tài khoản {account.Bank} {account.AccountNo}.");
                continue;
            }
            if (l.Currency is { } ccy && ccy is not ("VND" or "704"))
            {
                Bad($"the currency is {ccy}; a school account holds VND only.", $"loại tiền là {ccy}; tài khoản của trường chỉ nhận VND.");
                continue;
            }
            if (l.Amount.Contains('.')) { Bad($"the amount {l.Amount} has a fraction of a đồng.", $"số tiền {l.Amount} có phần lẻ dưới một đồng."); continue; }
            if (!long.TryParse(l.Amount, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
            {
                Bad($"the amount {l.Amount} is not a whole number of đồng above 0.", $"số tiền {l.Amount} không phải số đồng nguyên lớn hơn 0.");
                continue;
            }
            // The ceiling every other way money enters has (cash, refunds, bank calls): no school fee line comes near it.
            if (amount > Files.Values.MaxAmountVnd)
            {
                Bad($"the amount {l.Amount} is more than 999,999,999,999 đồng.", $"số tiền {l.Amount} lớn hơn 999.999.999.999 đồng.");
                continue;
            }
            if (l.BookingDate is not { } booking) { Bad("the line has no booking date.", "dòng không có ngày hạch toán."); continue; }
            var content = l.Content ?? "";
            if (keys.Next(l.Line, l.BankRef, booking, amount, l.Direction, l.Reversal, content) is not { } key) continue;
            rows.Add(new StatementLineRow
            {
                Id = Guid.CreateVersion7(), AccountId = account.Id, Bank = account.Bank, DedupeKey = key,
                BankRef = l.BankRef, CustomerRef = l.CustomerRef, StatementId = l.StatementId, BookingDate = booking, ValueDate = l.ValueDate, Direction = l.Direction,
                Reversal = l.Reversal, AmountVnd = amount, Type = l.Type, Content = content.Normalize(NormalizationForm.FormC),
                CounterpartyName = l.CounterpartyName?.Normalize(NormalizationForm.FormC), CounterpartyAccount = l.CounterpartyAccount, FileLine = l.Line,
                VirtualAccount = l.VirtualAccount,
            });
        }
        problems.AddRange(keys.Problems);
        if (problems.Count > 0) throw new BadInputException(problems.OrderBy(p => p.Line).ToList());
        return (rows, keys);
    }

    /// <summary>
    /// An API's lines as rows: the bank's client already read whole đồng of VND for this account, so only the rule
    /// every stored line keeps (an amount above 0) is checked again; the line number is the line's place in the answer.
    /// </summary>
    private static (List<StatementLineRow>, StatementLineKeys) FromApi(SchoolBankAccount account, string name, IReadOnlyList<StatementLine> pulled)
    {
        var problems = new List<InputProblem>();
        var rows = new List<StatementLineRow>(pulled.Count);
        var keys = new StatementLineKeys(name);
        foreach (var (l, line) in pulled.Select((l, i) => (l, i + 1)))
        {
            if (l.AmountVnd is <= 0 or > Files.Values.MaxAmountVnd)
            {
                problems.Add(new InputProblem(name, line, null, $"the amount {l.AmountVnd.ToString(CultureInfo.InvariantCulture)} is not a whole number of đồng above 0 and at most 999,999,999,999.",
                    $"số tiền {l.AmountVnd.ToString(CultureInfo.InvariantCulture)} không phải số đồng nguyên từ 1 đến 999.999.999.999."));
                continue;
            }
            if (keys.Next(line, l.BankRef, l.BookingDate, l.AmountVnd, Direction(l), false, l.Content) is not { } key) continue;
            rows.Add(new StatementLineRow
            {
                Id = Guid.CreateVersion7(), AccountId = account.Id, Bank = account.Bank, DedupeKey = key,
                BankRef = l.BankRef, BookingDate = l.BookingDate, ValueDate = l.ValueDate, Direction = Direction(l), AmountVnd = l.AmountVnd,
                Content = l.Content.Normalize(NormalizationForm.FormC), CounterpartyName = l.PayerName?.Normalize(NormalizationForm.FormC),
                CounterpartyAccount = l.PayerAccount, FileLine = line, VirtualAccount = l.VirtualAccount,
            });
        }
        problems.AddRange(keys.Problems);
        if (problems.Count > 0) throw new BadInputException(problems.OrderBy(p => p.Line).ToList());
        return (rows, keys);
    }

    private static string Direction(StatementLine l) => l.Credit ? "credit" : "debit";
}
