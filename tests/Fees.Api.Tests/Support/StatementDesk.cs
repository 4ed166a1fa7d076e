using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>What the statement upload tests share: the example schools with September's notices, pupils' payment codes, the uploads of TS01's accountant.</summary>
public static class StatementDesk
{
    public static readonly Actor Accountant = new("web:kt@ts01.vn");

    /// <summary>TS01's Vietcombank account.</summary>
    public const string Account = "0281000111222";

    /// <summary>The example schools, their schedule and pupils, and September 2025's notices issued.</summary>
    public static async Task<Fees> IssuedAsync()
    {
        var fees = await Fees.StartAsync();
        await fees.SetUpExampleSchoolAsync();
        await fees.OkAsync("notices", "issue", "--period", "2025-09");
        return fees;
    }

    public static async Task<string> CodeAsync(Fees fees, string studentCode) =>
        (await fees.Db.ListAsync($"SELECT payment_code FROM students WHERE student_code = '{studentCode}'")).Single();

    public static StatementUploads Uploads(Fees fees, FeesDb db) => new(db, new BusinessClock(fees.Clock), Accountant);

    public static Task<Guid> AccountIdAsync(FeesDb db, string accountNo = Account) =>
        db.BankAccounts.AsNoTracking().Where(a => a.AccountNo == accountNo).Select(a => a.Id).SingleAsync();
}
