using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Pages.School;

/// <summary>
/// The counter's books as workbooks in the page's language: the cash book of a day and the receipts of a day. The
/// PDFs stay Vietnamese: they are the forms the school signs and files.
/// </summary>
public static class BookSheets
{
    public static Task<byte[]> CashBookAsync(CounterBooks.CashBook book, Lang l, CancellationToken ct)
    {
        string time = l["books-time"], document = l["books-document"], text = l["books-text"], pupil = l["receipt-pupil"];
        string inVnd = Dong(l, "cashbook-in"), outVnd = Dong(l, "cashbook-out"), balance = Dong(l, "cashbook-balance");
        Dictionary<string, object?> Row(string at, string? doc, string? what, string? who, long? @in, long? @out, long? left) =>
            new() { [time] = at, [document] = doc, [text] = what, [pupil] = who, [inVnd] = @in, [outVnd] = @out, [balance] = left };
        var rows = book.Entries.Select(e => Row(CashBookModel.Local(e.At), e.Document, e.Text, e.Pupil, e.InVnd, e.OutVnd, e.BalanceVnd))
            .Prepend(Row("", "", l["cashbook-opening"], "", null, null, book.OpeningVnd))
            .Append(Row("", "", l["cashbook-day-total"], "", book.InVnd, book.OutVnd, book.ClosingVnd)).ToList();
        return SaveAsync(l["cashbook-title"], rows, ct);
    }

    public static Task<byte[]> ReceiptListAsync(CounterBooks.ReceiptList list, Lang l, CancellationToken ct)
    {
        var rows = list.Receipts.Select(r => new Dictionary<string, object?>
        {
            [l["books-series"]] = r.Series, [l["books-receipt-no"]] = r.Reference, [l["books-time"]] = CashBookModel.Local(r.IssuedAt),
            [l["books-payer"]] = r.Payer, [l["receipt-pupil"]] = r.Pupil, [l["receipt-method"]] = ReceiptListModel.Method(l, r.Method),
            [Dong(l, "books-amount")] = r.AmountVnd, [l["receipt-status"]] = ReceiptListModel.Status(l, r.Status), [l["receipt-replaces"]] = r.Replaces,
        }).ToList();
        return SaveAsync(l["receiptlist-title"], rows, ct);
    }

    private static string Dong(Lang l, string key) => $"{l[key]} (đồng)";

    private static async Task<byte[]> SaveAsync(string sheet, List<Dictionary<string, object?>> rows, CancellationToken ct)
    {
        using var ms = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(ms, new Dictionary<string, object> { [sheet] = rows }, cancellationToken: ct);
        return ms.ToArray();
    }
}
