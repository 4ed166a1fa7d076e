using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Files;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

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
                Preview = await Uploads.PreviewAsync(School, account, path, Format, token);
                Lines = await BankViews.OfPreviewAsync(db, School, Preview.Lines.Take(ShownLines).ToList(), token);
            }
            finally
            {
                folder.Delete(true);
            }
        });
        return Page();
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
