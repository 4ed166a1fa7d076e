using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Application.Attendance;
using TdmEdu.Fees.Api.Application.Books;
using TdmEdu.Fees.Api.Application.Pupils;
using TdmEdu.Fees.Api.Application.Roster;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Sandbox;

/// <summary>The demo's books and meals: the city's ceilings, the accounts vouchers post to, absences each month, a pupil who leaves.</summary>
public sealed partial class DemoSeeder
{
    private const string DemoCeilings = """
        school_year,code,name,area,level,unit,max_amount,max_rise_percent,legal_basis
        2025-2026,BAN_TRU,Dịch vụ bán trú,ward,,month,250000,15,NQ 18/2025/NQ-HĐND
        2025-2026,BAN_TRU,Dịch vụ bán trú,commune,,month,220000,15,NQ 18/2025/NQ-HĐND
        2025-2026,TIEN_AN,Tiền ăn bán trú,ward,,day,40000,15,NQ 18/2025/NQ-HĐND
        2025-2026,TIEN_AN,Tiền ăn bán trú,commune,,day,35000,15,NQ 18/2025/NQ-HĐND
        2025-2026,NUOC_UONG,Nước uống,ward,,month,20000,,NQ 18/2025/NQ-HĐND
        2025-2026,NUOC_UONG,Nước uống,commune,,month,20000,,NQ 18/2025/NQ-HĐND
        2025-2026,MAY_LANH,Dịch vụ máy lạnh,ward,,month,60000,,NQ 18/2025/NQ-HĐND
        2025-2026,MAY_LANH,Dịch vụ máy lạnh,commune,,month,50000,,NQ 18/2025/NQ-HĐND

        """;

    // Circular 99/2025 style accounts: cash 1111, bank 1121, service revenue 5118, insurance passed on 3383, held money 3388.
    private const string DemoAccounts = """
        school_code,item_code,channel,debit,credit
        ,*,cash,1111,5118
        ,*,bank,1121,5118
        ,BHYT,cash,1111,3383
        ,BHYT,bank,1121,3383
        ,_CREDIT,cash,1111,3388
        ,_CREDIT,bank,1121,3388

        """;

    private async Task ImportBooksSetupAsync(CancellationToken ct)
    {
        var folder = Directory.CreateTempSubdirectory("fees-demo-");
        try
        {
            var ceilings = Path.Combine(folder.FullName, "tran.csv");
            await File.WriteAllTextAsync(ceilings, DemoCeilings, ct);
            await new Ceilings(db, _clock, actor).ImportAsync(ceilings, ct);
            var accounts = Path.Combine(folder.FullName, "tai-khoan.csv");
            await File.WriteAllTextAsync(accounts, DemoAccounts, ct);
            await new VoucherAccounts(db, _clock, actor).ImportAsync(accounts, ct);
            db.ChangeTracker.Clear();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>At the month's end, about one pupil in twelve who eats at school was absent a few days, most with notice.</summary>
    private async Task<int> RecordAbsencesAsync(BillingMonth month, CancellationToken ct)
    {
        var rng = new Random(seed + month.Key);
        var eaters = await (from s in db.Students.AsNoTracking() join sc in db.Schools.AsNoTracking() on s.SchoolId equals sc.Id
                            where sc.Level == "MN" || sc.Level == "MG" || sc.Level == "TH"
                            where db.Notices.Any(n => n.StudentId == s.Id && n.PeriodKey == month.Key)
                            orderby s.StudentCode select s.StudentCode).ToListAsync(ct);
        var rows = eaters.Where(_ => rng.Next(12) == 0)
            .Select((code, i) => new AbsenceMonth(code, month, 1 + rng.Next(4), rng.Next(4) == 0 ? 1 : 0, null, null, i + 1)).ToList();
        if (rows.Count > 0) await new AttendanceStore(db, _clock, actor).StoreAsync(rows, null, "demo attendance", ct);
        db.ChangeTracker.Clear();
        return rows.Count;
    }

    /// <summary>One kindergarten child leaves on the month's third Friday: the month billed again by its days, the rest held.</summary>
    private async Task SomeoneLeavesAsync(BillingMonth month, CancellationToken ct)
    {
        var code = await (from s in db.Students.AsNoTracking() join sc in db.Schools.AsNoTracking() on s.SchoolId equals sc.Id
                          where sc.Level == "MN" && db.Notices.Any(n => n.StudentId == s.Id && n.PeriodKey == month.Key && n.AmountPaidVnd > 0)
                          orderby s.StudentCode select s.StudentCode).FirstOrDefaultAsync(ct);
        if (code is null) return;
        var day = month.FirstDay;
        while (day.DayOfWeek != DayOfWeek.Friday) day = day.AddDays(1);
        await new Leavers(db, _clock, actor).LeaveAsync(code, day.AddDays(14), "Gia đình chuyển về quê", payBackInCash: false, ct: ct);
        db.ChangeTracker.Clear();
    }
}
