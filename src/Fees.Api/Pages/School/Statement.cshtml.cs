using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// A bank statement uploaded by the school's accountant, in any format `statements import` reads: step 1 shows its lines
/// and what reconciliation would do with each (a dry run of the real path, rolled back), step 2 imports exactly that file
/// (its SHA-256 carried by the form) and reconciles, as the command line does. A file of another account, or one that
/// cannot be read, is refused in the page's language naming the account or the line; nothing is half-written.
/// The request and its time are bounded as the roster's upload is (<see cref="RosterModel.MaxRequestBytes"/>, <see cref="RosterModel.UploadTime"/>).
/// </summary>
[MovesMoney]
[RequestSizeLimit(RosterModel.MaxRequestBytes)]
[RequestFormLimits(MultipartBodyLengthLimit = RosterModel.MaxRequestBytes)]
public sealed class StatementModel(FeesDb db, BusinessClock clock, Lang lang, StatementGate gate) : PageModel
{
    /// <summary>Lines a preview shows (the counts cover all of them).</summary>
    public const int ShownLines = 500;

    public string School { get; private set; } = "";
    public List<SchoolBankAccount> Accounts { get; private set; } = [];
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public Guid? Account { get; set; }
    [BindProperty] public string Format { get; set; } = "auto";
    [BindProperty] public Guid? UploadId { get; set; }
    [BindProperty] public string? Sha { get; set; }
    public StatementPreview? Preview { get; private set; }
    /// <summary>A sheet waiting for its columns to be mapped (step 1 of a layout never seen).</summary>
    public ColumnsToMap? Mapping { get; private set; }
    [BindProperty] public int? HeaderLine { get; set; }
    [BindProperty] public int? ColDate { get; set; }
    [BindProperty] public int? ColAmount { get; set; }
    [BindProperty] public string Direction { get; set; } = ColumnMaps.BySplit;
    [BindProperty] public int? ColDirection { get; set; }
    [BindProperty] public int? ColDebit { get; set; }
    [BindProperty] public int? ColDescription { get; set; }
    [BindProperty] public int? ColReference { get; set; }
    [BindProperty] public int? ColAccount { get; set; }
    [BindProperty] public bool MonthFirst { get; set; }
    public List<BankLineView> Lines { get; private set; } = [];
    public UploadImported? Imported { get; private set; }
    public List<InputProblem> Problems { get; private set; } = [];

    private StatementUploads Uploads => new(db, clock, Actor.Of(User)) { Gate = gate };

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        await LoadAsync(school, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPreviewAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        await LoadAsync(school, ct);
        var limits = StatementUploads.Limits;
        if (Upload is null || Upload.Length == 0)
        {
            Refuse("", $"Choose a statement file of at most {FileLimits.Mb(limits.MaxBytes, false)}.", lang.Format("statement-choose", FileLimits.Mb(limits.MaxBytes, true)));
            return Page();
        }
        var name = Path.GetFileName(Upload.FileName);
        if (Upload.Length > limits.MaxBytesFor(name))
        {
            Problems = [.. limits.TooLarge(name, Upload.Length, limits.MaxBytesFor(name)).Problems];
            return Page();
        }
        var account = Account ?? (Accounts.Count == 1 ? Accounts[0].Id : Guid.Empty);
        await WithinTimeAsync(name, ct, async token =>
        {
            var folder = Directory.CreateTempSubdirectory("fees-upload-");
            try
            {
                var path = Path.Combine(folder.FullName, name);
                await using (var f = System.IO.File.Create(path)) await Upload.CopyToAsync(f, token);
                try
                {
                    Preview = await Uploads.PreviewAsync(School, account, path, Format, token);
                }
                catch (BadInputException e) when (e.ColumnsUnknown && StatementFormats.ReadsRows(StatementFormats.Auto, name))
                {
                    // A sheet of a layout not known yet: its columns are mapped on this page instead of it being refused.
                    Mapping = await Uploads.HoldAsync(School, account, path, token);
                    Prefill(Mapping, fromPost: false);
                    return;
                }
                Lines = await BankViews.OfPreviewAsync(db, School, Preview.Lines.Take(ShownLines).ToList(), token);
            }
            finally
            {
                folder.Delete(true);
            }
        });
        return Page();
    }

    /// <summary>The columns chosen for a waiting sheet: read by them and previewed; refused in words, the form kept, when they cannot be a map.</summary>
    public async Task<IActionResult> OnPostColumnsAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        await LoadAsync(school, ct);
        if (UploadId is not { } id)
        {
            Refuse("", "Upload the file again.", "Hãy tải tệp lên lại.");
            return Page();
        }
        var missing = new List<InputProblem>();
        void Need(int? value, string en, string vi)
        {
            if (value is null) missing.Add(new InputProblem("", null, null, $"choose the {en}.", $"hãy chọn {vi}."));
        }
        Need(HeaderLine, "row of column names", "dòng tên cột");
        Need(ColDate, "date column", "cột ngày giao dịch");
        Need(ColAmount, "amount column", "cột số tiền");
        Need(ColDescription, "description column", "cột nội dung");
        if (Direction == ColumnMaps.BySplit) Need(ColDebit, "money-out column", "cột tiền ra");
        if (Direction == ColumnMaps.ByColumn) Need(ColDirection, "direction column", "cột ghi chiều");
        if (missing.Count == 0)
            await WithinTimeAsync("", ct, async token =>
            {
                Preview = await Uploads.MapAsync(School, id, new ColumnChoice(HeaderLine!.Value, ColDate!.Value, ColAmount!.Value, Direction, ColDirection, ColDebit,
                    ColDescription!.Value, ColReference, MonthFirst, ColAccount), token);
                Lines = await BankViews.OfPreviewAsync(db, School, Preview.Lines.Take(ShownLines).ToList(), token);
            });
        else Problems = missing;
        if (Preview is null) await ShowColumnsAsync(id, fromPost: true, ct);
        return Page();
    }

    /// <summary>A previewed or waiting upload's columns, to map (again).</summary>
    public async Task<IActionResult> OnPostRemapAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        await LoadAsync(school, ct);
        if (UploadId is { } id) await ShowColumnsAsync(id, fromPost: false, ct);
        return Page();
    }

    private async Task ShowColumnsAsync(Guid id, bool fromPost, CancellationToken ct)
    {
        var problems = Problems;
        await WithinTimeAsync("", ct, async token => Mapping = await Uploads.ColumnsAsync(School, id, token));
        if (Mapping is not null) Prefill(Mapping, fromPost);
        Problems = [.. problems, .. Problems.Except(problems)];
    }

    /// <summary>The form starts from the account's map where it fits the file, else from what the header's words suggest; a post keeps what was chosen.</summary>
    private void Prefill(ColumnsToMap mapping, bool fromPost)
    {
        if (fromPost) return;
        if (mapping.Saved is { } saved)
        {
            int? At(string key) => saved.Columns.TryGetValue(key, out var c) ? c : null;
            (HeaderLine, ColDate, ColAmount, ColDescription, ColReference, ColDebit, ColDirection, ColAccount) =
                (saved.HeaderLine, At("date"), At("amount"), At("desc"), At("ref"), At("debit"), At("dir"), At("acct"));
            (Direction, MonthFirst) = (saved.Map.Direction, saved.Map.MonthFirst);
            return;
        }
        var guess = ColumnMaps.Guess(mapping.Rows);
        if (guess.Index < 0) return;
        (HeaderLine, ColDate, ColAmount, ColDebit, ColDescription, ColReference, ColAccount) =
            (mapping.Rows[guess.Index].Line, guess.Date, guess.Amount, guess.Debit, guess.Description, guess.Reference, guess.Account);
        Direction = guess.Debit is null ? ColumnMaps.BySign : ColumnMaps.BySplit;
    }

    public async Task<IActionResult> OnPostImportAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        await LoadAsync(school, ct);
        if (UploadId is not { } id || string.IsNullOrWhiteSpace(Sha))
        {
            Refuse("", "Preview a file first.", "Hãy xem trước một tệp trước khi nhập.");
            return Page();
        }
        await WithinTimeAsync("", ct, async token => Imported = await Uploads.ImportAsync(School, id, Sha.Trim(), token));
        return Page();
    }

    private async Task WithinTimeAsync(string name, CancellationToken ct, Func<CancellationToken, Task> work)
    {
        using var time = CancellationTokenSource.CreateLinkedTokenSource(ct);
        time.CancelAfter(RosterModel.UploadTime);
        try
        {
            await work(time.Token);
        }
        catch (BadInputException e)
        {
            Problems = [.. e.Problems];
        }
        catch (BusinessRuleException e)
        {
            Refuse("", e.Message, e.Vietnamese);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Out of time: the transaction was rolled back with the cancelled command.
            Problems = [.. StatementUploads.Limits.TookTooLong(name, RosterModel.UploadTime, storing: true).Problems];
        }
    }

    private void Refuse(string source, string en, string vi) => Problems = [new InputProblem(source, null, null, en, vi)];

    private async Task LoadAsync(string school, CancellationToken ct)
    {
        School = school.ToUpperInvariant();
        Accounts = await Uploads.AccountsAsync(School, ct);
    }
}
