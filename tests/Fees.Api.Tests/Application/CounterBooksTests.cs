using TdmEdu.Fees.Api.Application.Payments;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Tests.Application;

/// <summary>The counter's books add up to the ledger: cash in and out of a day, the balance carried to the next, receipts by series.</summary>
public sealed class CounterBooksTests
{
    [Fact]
    public async Task TheCashBook_CountsCashInAndOut_CarriesItsBalance_AndTheReceiptListMatchesTheReceipts()
    {
        await using var fees = await Support.Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        // 5 September, 10:00 in Hanoi: three payments at the counter, one reversed, part of an overpayment refunded in cash.
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00001", "--amount", "1371800", "--payer", "Nguyễn Văn Bình");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00002", "--amount", "1201800");
        await fees.OkAsync("payments", "cash", "--notice", "TS01-202509-00003", "--amount", "300000");
        var third = (await fees.Db.ListAsync("SELECT id FROM receipts ORDER BY number"))[2];
        var student = Guid.Parse((await fees.Db.ListAsync("SELECT student_id FROM payments WHERE amount_vnd = 1201800"))[0]);
        await using (var db = fees.Db.Open())
        {
            var desk = new CorrectionDesk(db, new BusinessClock(fees.Clock), new Actor("kt@ts01.vn"));
            await desk.AskForReceiptAsync("TS01", CorrectionDesk.Reverse, Guid.Parse(third), "Thu nhầm", default);
            await desk.AskForRefundAsync("TS01", student, 150_000, PaymentMethods.Cash, "Trả lại tiền thừa", default);
            await desk.AskForRefundAsync("TS01", student, 50_000, PaymentMethods.Bank, "Chuyển khoản phần còn lại", default);
        }

        await using var read = fees.Db.Open();
        var books = new CounterBooks(read);
        var day = new DateOnly(2025, 9, 5);
        var book = (await books.CashBookAsync("TS01", day, default))!;
        Assert.Equal(0, book.OpeningVnd);
        Assert.Equal(1_371_800 + 1_201_800 + 300_000, book.InVnd);
        // Out: the reversed 300.000 ₫ handed back and the 150.000 ₫ refunded in cash; the transfer is not the counter's.
        Assert.Equal(300_000 + 150_000, book.OutVnd);
        Assert.Equal(book.InVnd - book.OutVnd, book.ClosingVnd);
        Assert.Equal(book.ClosingVnd, book.Entries[^1].BalanceVnd);
        // The same figure straight from the ledger's rows.
        var ledger = await fees.Db.ScalarAsync("""
            SELECT (SELECT COALESCE(sum(amount_vnd), 0) FROM payments WHERE method = 'cash')
                 - (SELECT COALESCE(sum(-r.amount_vnd), 0) FROM payments r JOIN payments o ON o.id = r.reverses_payment_id WHERE o.method = 'cash')
                 - (SELECT COALESCE(sum(amount_vnd), 0) FROM refunds WHERE method = 'cash')
            """);
        Assert.Equal(ledger, book.ClosingVnd);
        // The next day opens with what this one closed on, and nothing else.
        var next = (await books.CashBookAsync("TS01", day.AddDays(1), default))!;
        Assert.Equal(book.ClosingVnd, next.OpeningVnd);
        Assert.Empty(next.Entries);

        var list = (await books.ReceiptsAsync("TS01", day, default))!;
        Assert.Equal(3, list.Receipts.Count);
        Assert.Equal(["issued", "issued", "cancelled"], list.Receipts.Select(r => r.Status).ToArray());
        Assert.Equal(1_371_800 + 1_201_800, list.ValidVnd);
        Assert.Equal(300_000, list.CancelledVnd);
        Assert.Equal(await fees.Db.ScalarAsync("SELECT sum(amount_vnd) FROM receipts WHERE status = 'issued'"), list.ValidVnd);
        // Another school's books hold none of it.
        Assert.Equal(0, (await books.CashBookAsync("TS02", day, default))!.InVnd);
        Assert.Empty((await books.ReceiptsAsync("TS02", day, default))!.Receipts);
    }
}
