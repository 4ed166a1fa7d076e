using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Application.Statements;

/// <summary>What the preview found: the file's lines with what reconciliation would do with each, nothing of it kept.</summary>
public sealed record StatementPreview(Guid UploadId, string Sha256, string FileName, SchoolBankAccount Account, StatementImportResult Import,
    IReadOnlyList<PreviewLine> Lines);

/// <summary>
/// A sheet waiting for its columns to be mapped: its first rows as read, and the account's map where it fits this file
/// (its header line and each field's column), to start the form from.
/// </summary>
public sealed record ColumnsToMap(Guid UploadId, string FileName, SchoolBankAccount Account, IReadOnlyList<(int Line, IReadOnlyList<string> Cells)> Rows,
    (ColumnMap Map, int HeaderLine, IReadOnlyDictionary<string, int> Columns)? Saved)
{
    /// <summary>Rows shown to map from (a header is searched for in the first 80 only, and 30 show it in every export seen).</summary>
    public const int ShownRows = 30;
}

/// <summary>The columns an accountant chose on the page: the header by its line in the file, the fields by column (0-based).</summary>
public sealed record ColumnChoice(int HeaderLine, int Date, int Amount, string Direction, int? DirectionColumn, int? Debit, int Description, int? Reference, bool MonthFirst,
    int? Account = null);

/// <summary>One line of an uploaded file: new (with the outcome the dry run gave it) or imported before (with the outcome it has).</summary>
public sealed record PreviewLine(BankTransaction Line, bool ImportedBefore);

/// <summary>An upload imported: the import's counts and the outcomes of the reconciliation run that followed it.</summary>
public sealed record UploadImported(string FileName, SchoolBankAccount Account, StatementImportResult Import, IReadOnlyDictionary<string, int> Outcomes,
    DateOnly? From, DateOnly? To);

/// <summary>
/// A statement uploaded on the school's page, in two steps. The preview runs the command line's path, import then
/// reconcile, for real in one transaction, reads what it did to the file's lines, and rolls the transaction back:
/// the same code decides (no second matcher), nothing stays, and lines imported before are shown as such. The file
/// is kept in PostgreSQL (ADR 14: instances share nothing else) until the import, which takes exactly those bytes,
/// checked against the SHA-256 the preview showed, and runs the same import and reconcile, committed.
/// </summary>
public sealed class StatementUploads(FeesDb db, BusinessClock clock, Actor actor)
{
    /// <summary>An upload not imported within this time is removed by the next upload.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    public static FileLimits Limits => FileLimits.StatementUpload;

    /// <summary>Uploads a school keeps waiting for their import: an older one goes when a newer one comes.</summary>
    public const int KeptPerSchool = 3;

    /// <summary>The web host's one-at-a-time gate; none for the command line and tests that read one file.</summary>
    public StatementGate? Gate { get; init; }

    /// <summary>
    /// Previews the file at <paramref name="path"/> for a school account; keeps the file for the import. A sheet is read
    /// by <paramref name="columns"/> when given (a map just made on the page), else as <see cref="StatementImporter"/> reads it.
    /// </summary>
    public async Task<StatementPreview> PreviewAsync(string schoolCode, Guid accountId, string path, string format, CancellationToken ct = default,
        ColumnMap? columns = null)
    {
        var account = await AccountAsync(schoolCode, accountId, ct);
        using var turn = Gate is null ? null : await Gate.EnterAsync(ct);
        var bytes = await File.ReadAllBytesAsync(path, ct);
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        StatementImportResult imported;
        List<PreviewLine> lines;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            imported = await Importer().ImportAsync(path, account.Bank, account.AccountNo, format, ct, columns);
            await new Reconciler(db, clock, actor).RunAsync(account.Bank, ct, account.Id);
            lines = (await new BankTransactions(db).ListAsync(new TransactionFilter(AccountId: account.Id, Keys: imported.Keys), ct))
                .Select(l => new PreviewLine(l, ImportedBefore: false)).ToList();
            var before = (await db.StatementLines.AsNoTracking().Where(l => l.ImportId != imported.ImportId && l.AccountId == account.Id && imported.Keys.Contains(l.DedupeKey))
                .Select(l => l.Id).ToListAsync(ct)).ToHashSet();
            lines = lines.Select(l => before.Contains(l.Line.Id) ? l with { ImportedBefore = true } : l).ToList();
            await tx.RollbackAsync(ct);
        }
        db.ChangeTracker.Clear();
        // In the file's order: the keys are the file's lines in order.
        var order = imported.Keys.Select((k, i) => (k, i)).GroupBy(x => x.k).ToDictionary(g => g.Key, g => g.First().i);
        lines = lines.OrderBy(l => order.GetValueOrDefault(l.Line.Key ?? "", int.MaxValue)).ToList();

        // The import reads as the preview read: the format found (not "auto"), and a column map's very map, whatever
        // the account's is by then (found by attack: a VCB export previewed by its layout was imported by a map saved since).
        var upload = await KeepAsync(account, Path.GetFileName(path), imported.Format, bytes, imported.Columns?.ToJson(), ct);
        return new StatementPreview(upload.Id, sha, upload.FileName, account, imported, lines);
    }

    private async Task<StatementUpload> KeepAsync(SchoolBankAccount account, string fileName, string format, byte[] bytes, string? columns, CancellationToken ct)
    {
        var upload = new StatementUpload
        {
            Id = Guid.CreateVersion7(), SchoolId = account.SchoolId, AccountId = account.Id, FileName = fileName, Format = format,
            FileSha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)), Content = bytes, Columns = columns, Actor = actor.Name, At = clock.Now,
        };
        var stale = clock.Now - KeptFor;
        await db.StatementUploads.Where(u => u.At < stale).ExecuteDeleteAsync(ct);
        await db.StatementUploads.Where(u => u.SchoolId == account.SchoolId)
            .OrderByDescending(u => u.At).ThenByDescending(u => u.Id).Skip(KeptPerSchool - 1).ExecuteDeleteAsync(ct);
        db.StatementUploads.Add(upload);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return upload;
    }

    /// <summary>
    /// Keeps a sheet whose columns are not known yet, for the accountant to map: its id, and its first rows to show. The
    /// file is not read for money until it is mapped and previewed (<see cref="MapAsync"/>).
    /// </summary>
    public async Task<ColumnsToMap> HoldAsync(string schoolCode, Guid accountId, string path, CancellationToken ct = default)
    {
        var account = await AccountAsync(schoolCode, accountId, ct);
        var rows = Rows(path, ct);
        var upload = await KeepAsync(account, Path.GetFileName(path), StatementFormats.Columns, await File.ReadAllBytesAsync(path, ct), null, ct);
        return await ToMapAsync(upload, account, rows, ct);
    }

    /// <summary>An upload waiting (to be mapped, or previewed and to be mapped again), with its first rows to show.</summary>
    public async Task<ColumnsToMap> ColumnsAsync(string schoolCode, Guid uploadId, CancellationToken ct = default)
    {
        var upload = await UploadAsync(schoolCode, uploadId, ct);
        var account = await AccountAsync(schoolCode, upload.AccountId, ct);
        return await WithFileAsync(upload, async path => await ToMapAsync(upload, account, Rows(path, ct), ct), ct);
    }

    /// <summary>
    /// Reads a waiting upload by the columns the accountant chose (0-based; the header by its line in the file) and previews
    /// it; the map goes with the preview to the import, which saves it for the account. A choice that cannot be a map is
    /// refused in words, naming the field.
    /// </summary>
    public async Task<StatementPreview> MapAsync(string schoolCode, Guid uploadId, ColumnChoice choice, CancellationToken ct = default)
    {
        var upload = await UploadAsync(schoolCode, uploadId, ct);
        var preview = await WithFileAsync(upload, async path =>
        {
            var rows = Rows(path, ct);
            var header = rows.FirstOrDefault(r => r.Line == choice.HeaderLine);
            if (header.Cells is null || rows.IndexOf(header) >= ColumnMaps.HeaderRows)
                throw new BadInputException(upload.FileName, choice.HeaderLine, null, $"the header row must be one of the file's first {ColumnMaps.HeaderRows} rows.",
                    $"dòng tiêu đề phải là một trong {ColumnMaps.HeaderRows} dòng đầu của tệp.");
            ColumnMap map;
            try
            {
                map = ColumnMaps.Build(upload.FileName, choice.HeaderLine, header.Cells, choice.Date, choice.Amount, choice.Direction, choice.DirectionColumn,
                    choice.Debit, choice.Description, choice.Reference, choice.MonthFirst, choice.Account);
            }
            catch (StatementFormatException e)
            {
                throw new BadInputException(upload.FileName, e.Line, e.Column, e.Reason ?? e.Message, e.ReasonVi);
            }
            return await PreviewAsync(schoolCode, upload.AccountId, path, StatementFormats.Columns, ct, map);
        }, ct);
        await db.StatementUploads.Where(u => u.Id == upload.Id).ExecuteDeleteAsync(ct);
        return preview;
    }

    private async Task<ColumnsToMap> ToMapAsync(StatementUpload upload, SchoolBankAccount account, List<(int Line, IReadOnlyList<string> Cells)> rows, CancellationToken ct)
    {
        var saved = ColumnMap.FromJson(upload.Columns)
                    ?? await StatementImporter.SavedColumnsAsync(db, account.Id, ct);
        return new ColumnsToMap(upload.Id, upload.FileName, account, rows.Take(ColumnsToMap.ShownRows).ToList(), saved is null ? null : ColumnMaps.Locate(rows, saved) is
            { Index: >= 0 } found ? (saved, rows[found.Index].Line, found.Columns) : null);
    }

    private static List<(int Line, IReadOnlyList<string> Cells)> Rows(string path, CancellationToken ct) =>
        TabularFile.ReadAll(path, Limits, ct).Select(r => (r.Line, r.Cells)).ToList();

    /// <summary>The upload's bytes under its own name in a folder of their own, removed after <paramref name="work"/>.</summary>
    private static async Task<T> WithFileAsync<T>(StatementUpload upload, Func<string, Task<T>> work, CancellationToken ct = default)
    {
        var folder = Directory.CreateTempSubdirectory("fees-statement-");
        try
        {
            var path = Path.Combine(folder.FullName, upload.FileName);
            await File.WriteAllBytesAsync(path, upload.Content, ct);
            return await work(path);
        }
        finally
        {
            folder.Delete(true);
        }
    }

    private async Task<StatementUpload> UploadAsync(string schoolCode, Guid uploadId, CancellationToken ct) =>
        await db.StatementUploads.AsNoTracking()
            .SingleOrDefaultAsync(u => u.Id == uploadId && db.Schools.Any(s => s.Id == u.SchoolId && s.Code == schoolCode.ToUpperInvariant()), ct)
        ?? throw new BusinessRuleException("This upload is not waiting any more (it was imported, or it is more than a day old); upload the file again.",
            "Tệp này không còn chờ nhập (đã nhập rồi, hoặc đã quá một ngày); hãy tải tệp lên lại.");

    /// <summary>
    /// Imports the previewed file and reconciles the account's lines, as `statements import` and `reconcile` do. Refused
    /// when the upload is not this school's, is gone (imported already, or too old), or its bytes are not the ones previewed.
    /// </summary>
    public async Task<UploadImported> ImportAsync(string schoolCode, Guid uploadId, string sha, CancellationToken ct = default)
    {
        var upload = await UploadAsync(schoolCode, uploadId, ct);
        if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(upload.Content)), sha, StringComparison.Ordinal) || upload.FileSha256 != sha)
            throw new BusinessRuleException("The file is not the one previewed (its SHA-256 differs); nothing was imported. Upload it again and check the preview.",
                "Tệp không phải tệp đã xem trước (mã SHA-256 khác); chưa nhập gì. Hãy tải lên lại và xem trước.");
        var account = await AccountAsync(schoolCode, upload.AccountId, ct);
        using var turn = Gate is null ? null : await Gate.EnterAsync(ct);
        return await WithFileAsync(upload, async path =>
        {
            StatementImportResult imported;
            await using (var tx = await db.Database.BeginTransactionAsync(ct))
            {
                // Taken once: a second click waits on the row, then finds it gone.
                if (await db.StatementUploads.Where(u => u.Id == upload.Id).ExecuteDeleteAsync(ct) == 0)
                    throw new BusinessRuleException("This upload was imported already.", "Tệp này đã được nhập rồi.");
                var columns = ColumnMap.FromJson(upload.Columns);
                if (upload.Format == StatementFormats.Columns && columns is null)
                    throw new BusinessRuleException("This upload's columns were not mapped; map them and preview again.", "Chưa ghép cột cho tệp này; hãy ghép cột và xem trước lại.");
                imported = await Importer().ImportAsync(path, account.Bank, account.AccountNo, upload.Format, ct, columns);
                if (columns is not null) await SaveColumnsAsync(account.Id, columns, ct);
                await tx.CommitAsync(ct);
            }
            var outcomes = await new Reconciler(db, clock, actor).RunAsync(account.Bank, ct, account.Id);
            var days = await db.StatementLines.AsNoTracking().Where(l => l.AccountId == account.Id && imported.Keys.Contains(l.DedupeKey))
                .Select(l => l.BookingDate).Distinct().ToListAsync(ct);
            return new UploadImported(upload.FileName, account, imported, outcomes, days.Count == 0 ? null : days.Min(), days.Count == 0 ? null : days.Max());
        }, ct);
    }

    /// <summary>The account's column map becomes the one this import read by (kept for the next file); unchanged when it is already.</summary>
    private async Task SaveColumnsAsync(Guid accountId, ColumnMap columns, CancellationToken ct)
    {
        var row = await db.StatementColumnMaps.SingleOrDefaultAsync(m => m.AccountId == accountId, ct);
        if (row is not null && ColumnMap.FromJson(row.Map) == columns) return;
        if (row is null) db.StatementColumnMaps.Add(row = new StatementColumnMapRow { AccountId = accountId });
        (row.Map, row.SavedBy, row.SavedAt) = (columns.ToJson(), actor.Name, clock.Now);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The school's accounts, to choose the one a statement is of.</summary>
    public Task<List<SchoolBankAccount>> AccountsAsync(string schoolCode, CancellationToken ct = default) =>
        db.BankAccounts.AsNoTracking().Where(a => db.Schools.Any(s => s.Id == a.SchoolId && s.Code == schoolCode.ToUpperInvariant()))
            .OrderBy(a => a.Bank).ThenBy(a => a.AccountNo).ToListAsync(ct);

    private StatementImporter Importer() => new(db, clock, actor) { Limits = Limits };

    private async Task<SchoolBankAccount> AccountAsync(string schoolCode, Guid accountId, CancellationToken ct) =>
        await db.BankAccounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == accountId && db.Schools.Any(s => s.Id == a.SchoolId && s.Code == schoolCode.ToUpperInvariant()), ct)
        ?? throw new BadInputException("account", null, null, $"choose one of school {schoolCode.ToUpperInvariant()}'s bank accounts.",
            $"hãy chọn một tài khoản ngân hàng của trường {schoolCode.ToUpperInvariant()}.");
}
