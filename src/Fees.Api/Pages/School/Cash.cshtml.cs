using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// Cash at the school office, by the school's accountant. The pupil is found by notice number, payment code,
/// student code or name (with or without its marks); the amount starts at what the notice owes. More than that, or money on a notice already paid, is
/// recorded only after a confirmation that says where the excess goes; the school's limit for one payment holds on
/// every path. The form carries a key made when it was shown, so a double click or a resent form records the
/// payment once and shows the same receipt.
/// </summary>
[MovesMoney]
public sealed class CashModel(FeesDb db, BusinessClock clock, Lang lang, Application.Receipts.ReceiptSigner signer) : PageModel
{
    public string School { get; private set; } = "";
    /// <summary>What the accountant typed to find the pupil: a notice number, a payment code, a student code or a name.</summary>
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Notice { get; set; }
    [BindProperty] public string? Amount { get; set; }
    [BindProperty] public string? Payer { get; set; }
    [BindProperty] public string ClientRef { get; set; } = "";
    [BindProperty(SupportsGet = true)] public Guid? Payment { get; set; }
    /// <summary>What the notice had been paid when the form was drawn; a payment made since stops the form.</summary>
    [BindProperty] public long? Seen { get; set; }
    /// <summary>The excess over the notice's balance the accountant confirmed on the confirmation card.</summary>
    [BindProperty] public long ConfirmedExcess { get; set; }
    public CashDeskViews.NoticeSummary? Shown { get; private set; }
    public IReadOnlyList<CashDeskViews.NoticeSummary> Choices { get; private set; } = [];
    public IReadOnlyList<Application.Pupils.PupilHit> Pupils { get; private set; } = [];
    /// <summary>Set when the amount needs the accountant's word: the excess and where it would go.</summary>
    public (long Amount, long Excess, CashPlan Plan)? Confirm { get; private set; }
    public CashDeskViews.Taken? Done { get; private set; }
    public string? Problem { get; private set; }
    public long Limit { get; private set; }

    private CashDeskViews Views => new(db, School);

    public async Task<IActionResult> OnGetAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        ClientRef = "web-" + Guid.NewGuid().ToString("N");
        if (Payment is { } paymentId)
        {
            Done = await Views.TakenAsync(paymentId, ct);
            return Done is null ? NotFound() : Page();
        }
        var wanted = (Notice ?? Q)?.Trim();
        if (!string.IsNullOrEmpty(wanted))
        {
            if (wanted.Length > 64) wanted = wanted[..64];
            Shown = await Views.NoticeAsync(wanted.ToUpperInvariant(), ct);
            if (Shown is null)
            {
                Choices = await Views.OpenNoticesOfPupilAsync(wanted, ct);
                if (Choices.Count == 1) Shown = Choices[0];
                else if (Choices.Count == 0)
                {
                    // Not a number or a code: a name, with or without its marks, or a class (the staff search).
                    Pupils = (await new Application.Pupils.PupilSearch(db).FindAsync(School, wanted, ct)).Pupils;
                    if (Pupils is [var only] && (only.PaymentCode == wanted.ToUpperInvariant() || only.StudentCode == wanted))
                    {
                        // The pupil named by their code owes nothing at this school: say so rather than list them again.
                        Problem = lang.English ? $"{only.FullName} owes nothing at school {School}." : $"Học sinh {only.FullName} không còn khoản nào phải nộp tại trường {School}.";
                        Pupils = [];
                    }
                    else if (Pupils.Count == 0)
                        Problem = lang.English ? $"School {School} has no notice, payment code, student code or pupil named {wanted}."
                            : $"Trường {School} không có thông báo, mã thanh toán, mã học sinh hay học sinh tên {wanted}.";
                }
            }
            if (Shown is not null)
            {
                Seen = Shown.PaidVnd;
                Amount ??= Lang.Number(Math.Max(0, Shown.DueVnd - Shown.PaidVnd));
            }
        }
        Limit = await Views.LimitAsync(ct);
        return Page();
    }

    /// <summary>The receipt of a payment taken here, as a PDF to print or hand over.</summary>
    public async Task<IActionResult> OnGetReceiptAsync(string school, [FromServices] Printing.ReceiptPdf pdf, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        if (Payment is not { } id) return NotFound();
        return await pdf.ForPaymentAsync(id, school.ToUpperInvariant(), null, ct) is { } printed
            ? File(printed.Pdf, "application/pdf", printed.FileName)
            : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(string school, CancellationToken ct)
    {
        if (!SchoolAccess.CanMoveMoney(User, school)) return Forbid();
        School = school.ToUpperInvariant();
        Limit = await Views.LimitAsync(ct);
        if (string.IsNullOrEmpty(ClientRef) || !ClientRef.StartsWith("web-", StringComparison.Ordinal)) ClientRef = "web-" + Guid.NewGuid().ToString("N");
        var noticeNo = (Notice ?? "").Trim().ToUpperInvariant();
        // A school's accountant takes money for the school's own notices only.
        Shown = await Views.NoticeAsync(noticeNo, ct);
        if (Shown is null)
        {
            Problem = lang.English ? $"School {School} has no notice {noticeNo}." : $"Trường {School} không có thông báo {noticeNo}.";
            return Page();
        }
        if (!Lang.TryParseAmount(Amount, out var amount))
        {
            Problem = lang.English ? "The amount is a whole number of đồng, like 1.371.800." : "Số tiền phải là số đồng, ví dụ 1.371.800.";
            return Page();
        }
        Payer = string.IsNullOrWhiteSpace(Payer) ? null : Payer.Trim();
        if (Payer is { Length: > 200 })
        {
            Problem = lang.English ? "The payer's name is at most 200 characters." : "Tên người nộp tối đa 200 ký tự.";
            return Page();
        }
        var ledger = new Ledger(db, clock, Actor.Of(User));
        try
        {
            var r = await ledger.RecordCashAsync(noticeNo, amount, Payer, ClientRef, ct, new CashGuard(Seen ?? -1, ConfirmedExcess));
            // The receipt the accountant prints next is signed by then, unless the school cannot sign yet (it then waits).
            await signer.SignPaymentAsync(r.PaymentId, ct);
            return LocalRedirect($"/truong/{School}/thu-tien-mat?payment={r.PaymentId}");
        }
        catch (ExcessNotConfirmedException e)
        {
            // The same form again, with a card that says where the excess goes and asks for the accountant's word.
            Confirm = (amount, e.ExcessVnd, (await ledger.PlanCashAsync(noticeNo, amount, ct))!);
            return Page();
        }
        catch (Exception e) when (e is BadInputException or BusinessRuleException)
        {
            Problem = lang.Say(e);
            Shown = await Views.NoticeAsync(noticeNo, ct);
            if (Shown is not null) Seen = Shown.PaidVnd;
            ClientRef = "web-" + Guid.NewGuid().ToString("N");
            return Page();
        }
    }
}
