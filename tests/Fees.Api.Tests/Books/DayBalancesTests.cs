using TdmEdu.Fees.Api.Application.Statements;
using TdmEdu.Fees.BankAdapters.Statements;
using TdmEdu.Fees.BankAdapters.Statements.Files;

namespace TdmEdu.Fees.Api.Tests.Books;

/// <summary>The end-of-day balances a statement states, however the bank dates its opening or orders its lines.</summary>
public sealed class DayBalancesTests
{
    private static ParsedLine Line(string statement, DateOnly day) =>
        new(1, "0281000111222", statement, null, null, day, day, "credit", false, "100000", "VND", null, null, null, null);

    [Fact]
    public void AnOpening_IsTheEndOfTheDayBeforeTheStatementsFirstLine_WhicheverDateTheBankGaveIt()
    {
        var lines = new[] { Line("S1", new(2025, 9, 10)), Line("S1", new(2025, 9, 12)), Line("S2", new(2025, 9, 15)) };
        // S1 dates its opening on its own first day; S2 on the day S1 closed.
        var balances = new[]
        {
            new StatementBalance("S1", 3, "1000000", "1200000", new DateOnly(2025, 9, 10), new DateOnly(2025, 9, 12)),
            new StatementBalance("S2", 9, "1200000", "1300000", new DateOnly(2025, 9, 12), null),
        };

        var days = DayBalances.FromFile(balances, lines);

        Assert.Equal([new DayBalance(new(2025, 9, 9), 1_000_000, "opening", 3), new DayBalance(new(2025, 9, 12), 1_200_000, "closing", 3),
            new DayBalance(new(2025, 9, 14), 1_200_000, "opening", 9), new DayBalance(new(2025, 9, 15), 1_300_000, "closing", 9)], days);
    }

    [Fact]
    public void AFractionOfADong_StatesNothing()
    {
        var days = DayBalances.FromFile([new StatementBalance("S1", 3, "1000000.5", "-200000", null, new DateOnly(2025, 9, 12))], [Line("S1", new(2025, 9, 10))]);

        Assert.Equal([new DayBalance(new(2025, 9, 12), -200_000, "closing", 3)], days);
    }

    private static StatementLine Api(string reference, DateOnly day, bool credit, long amount, long? after) =>
        new("VCB", "0281000111222", reference, day, day, credit, amount, "", null, null, null, after);

    [Fact]
    public void RunningBalances_GiveEachDaysOpeningAndClosing_InWhateverOrderTheLinesCome()
    {
        var day = new DateOnly(2025, 9, 10);
        StatementLine[] inOrder = [Api("A", day, true, 500_000, 10_500_000), Api("B", day, false, 11_000, 10_489_000), Api("C", day, true, 200_000, 10_689_000)];

        var forward = DayBalances.FromRunning(inOrder);
        var backward = DayBalances.FromRunning(inOrder.Reverse().ToList());

        Assert.Equal([new DayBalance(day.AddDays(-1), 10_000_000, "opening", null), new DayBalance(day, 10_689_000, "running", null)], forward);
        Assert.Equal(forward, backward);
    }

    [Fact]
    public void RunningBalancesThatDoNotChain_OrAreMissing_StateNothing()
    {
        var day = new DateOnly(2025, 9, 10);

        Assert.Empty(DayBalances.FromRunning([Api("A", day, true, 500_000, 10_500_000), Api("B", day, true, 200_000, 99_000_000)]));
        Assert.Empty(DayBalances.FromRunning([Api("A", day, true, 500_000, 10_500_000), Api("B", day, true, 200_000, null)]));
    }
}
