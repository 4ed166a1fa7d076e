using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Banks;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Security;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.Admin;

/// <summary>
/// The administrator's bank settings: every school account with what is missing, and a form for one account
/// (`fees banks configure` in a page). Secrets are written, never shown: a blank field keeps the stored value,
/// and the page says only whether one is stored.
/// </summary>
// A form of a few fields and a public key of a few kilobytes (refused in words above 16 KB).
[RequestSizeLimit(256 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = 256 * 1024)]
public sealed class BanksModel(FeesDb db, SecretBox box, BusinessClock clock, Lang lang) : PageModel
{
    public sealed record Row(string School, string Bank, string AccountNo, string AccountName, string? VaPrefix, IReadOnlyList<string> Problems, string? Via = null);

    public List<Row> Accounts { get; private set; } = [];
    public SchoolBankAccount? Editing { get; private set; }
    [BindProperty(SupportsGet = true)] public string? School { get; set; }
    [BindProperty(SupportsGet = true)] public string? Bank { get; set; }
    [BindProperty] public string? ServiceId { get; set; }
    [BindProperty] public string? Username { get; set; }
    [BindProperty] public string? Password { get; set; }
    [BindProperty] public string? Secret { get; set; }
    [BindProperty] public string? VaPrefix { get; set; }
    [BindProperty] public string? ClientId { get; set; }
    [BindProperty] public string? ClientSecret { get; set; }
    [BindProperty] public IFormFile? PublicKey { get; set; }
    /// <summary>The aggregator chosen on the form ("" for the bank itself); null when the form does not offer the choice.</summary>
    [BindProperty] public string? Via { get; set; }
    [BindProperty(SupportsGet = true)] public string? Message { get; set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var school = (School ?? "").Trim().ToUpperInvariant();
        var bank = (Bank ?? "").Trim().ToUpperInvariant();
        try
        {
            string? pem = null;
            if (PublicKey is { Length: > 0 })
            {
                if (PublicKey.Length > 16_384) throw new BadInputException(PublicKey.FileName, null, null, "a public key file is a few kilobytes; this one is too large.", "tệp khoá công khai chỉ vài KB; tệp này quá lớn.");
                using var reader = new StreamReader(PublicKey.OpenReadStream());
                pem = await reader.ReadToEndAsync(ct);
            }
            await BankSettings.ConfigureAsync(db, box, clock, Actor.Of(User), school, bank, new BankSettings.Change(
                Blank(ServiceId), Blank(Username), Blank(Password), Blank(Secret), Blank(VaPrefix), Blank(ClientId), Blank(ClientSecret), pem,
                // The form always sends Via; its first choice ("the bank itself") arrives empty, which binds as null.
                Request.HasFormContentType && Request.Form.ContainsKey("Via") ? Via?.Trim() ?? "" : null), ct);
            var said = new Said($"The {bank} settings of school {school} are saved and complete.", $"Đã lưu cài đặt {bank} của trường {school}; đủ thông tin.");
            return LocalRedirect($"/quan-tri/ngan-hang?message={Uri.EscapeDataString(lang.Say(said))}");
        }
        catch (BadInputException e)
        {
            Problem = lang.Say(e);
            db.ChangeTracker.Clear();
            await LoadAsync(ct);
            return Page();
        }
    }

    private static string? Blank(string? v) => string.IsNullOrWhiteSpace(v) ? null : v.Trim();

    private async Task LoadAsync(CancellationToken ct)
    {
        var rows = await (from a in db.BankAccounts.AsNoTracking() join s in db.Schools.AsNoTracking() on a.SchoolId equals s.Id
                          orderby s.Code, a.Position select new { a, s.Code }).ToListAsync(ct);
        Accounts = rows.Select(r => new Row(r.Code, r.a.Bank, r.a.AccountNo, r.a.AccountName, r.a.VaPrefix,
            BankSettings.Check(r.a, r.Code, box).Select(p => lang.English ? p.En : p.Vi).ToList(), r.a.Channel)).ToList();
        var school = School?.Trim().ToUpperInvariant();
        var bank = Bank?.Trim().ToUpperInvariant();
        Editing = rows.FirstOrDefault(r => r.Code == school && r.a.Bank == bank)?.a;
    }
}
