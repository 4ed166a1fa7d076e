using System.Globalization;
using TdmEdu.Fees.Api.Application.Reports;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Pages.Authority;

/// <summary>A school the dashboard asks someone to look at, and why (each reason already in the page's language).</summary>
public sealed record Attention(SummarySchool School, IReadOnlyList<string> Reasons);

/// <summary>
/// What a dashboard view shows for a month and a scope (the whole authority, a ward, a school), read from the summary
/// tables only: the month beside last month and the same month last year, the rows of a grouping, the schools needing
/// attention, what is owed and waiting by age, receipt gaps, and the months of the school year.
/// </summary>
public sealed class Dashboard
{
    /// <summary>A school this many points below the median rate of the month's schools is flagged.</summary>
    public const decimal FarBelowPoints = 0.20m;

    public BillingMonth Month { get; private init; }
    public SchoolYear Year => SchoolYear.Containing(Month);
    public SummaryScope Scope { get; private init; } = SummaryScope.All;
    public IReadOnlyList<BillingMonth> Months { get; private init; } = [];
    public MonthTotals Now { get; private init; } = Empty(0);
    public MonthTotals? LastMonth { get; private init; }
    public MonthTotals? LastYear { get; private init; }
    public IReadOnlyList<MonthTotals> Trend { get; private init; } = [];
    public IReadOnlyList<SummarySchool> Schools { get; private init; } = [];
    /// <summary>Every school's figures of the month, authority-wide: the peers a school is compared with.</summary>
    public IReadOnlyList<CollectionReport.Row> SchoolRows { get; private init; } = [];
    public decimal Median { get; private init; }
    public IReadOnlyList<Ageing.Row> Outstanding { get; private init; } = [];
    public IReadOnlyList<Ageing.Row> Unidentified { get; private init; } = [];
    public IReadOnlyList<SeriesGaps> Gaps { get; private init; } = [];

    public static MonthTotals Empty(int key) => new(key, 0, 0, 0, 0, 0, 0, 0);

    public static async Task<Dashboard> LoadAsync(CollectionSummary summary, Ageing ageing, DateOnly today, BillingMonth month, SummaryScope scope, CancellationToken ct)
    {
        var year = SchoolYear.Containing(month);
        var (lastMonth, lastYear) = (Previous(month), new BillingMonth(month.Year - 1, month.Month));
        var totals = (await summary.MonthsAsync(lastYear.Key, year.MonthOf(SchoolYear.FirstMonth - 1).Key, scope, ct)).ToDictionary(t => t.PeriodKey);
        var schools = await summary.SchoolsAsync(ct);
        var inScope = schools.Where(s => In(scope, s)).Select(s => s.Code).ToHashSet(StringComparer.Ordinal);
        var schoolRows = await summary.RowsAsync(month.Key, month.Key, "school", SummaryScope.All, ct);
        var rates = schoolRows.Where(r => r.AmountDue > 0).Select(r => r.Collected / (decimal)r.AmountDue).Order().ToList();
        return new Dashboard
        {
            Month = month,
            Scope = scope,
            Months = (await summary.PeriodsAsync(ct)).Select(BillingMonth.FromKey).ToList(),
            Now = totals.GetValueOrDefault(month.Key) ?? Empty(month.Key),
            LastMonth = totals.GetValueOrDefault(lastMonth.Key),
            LastYear = totals.GetValueOrDefault(lastYear.Key),
            Trend = totals.Values.Where(t => t.PeriodKey >= year.MonthOf(SchoolYear.FirstMonth).Key).OrderBy(t => t.PeriodKey).ToList(),
            Schools = schools,
            SchoolRows = schoolRows,
            Median = rates.Count == 0 ? 0 : rates[rates.Count / 2],
            Outstanding = (await summary.OutstandingAsync(today, ct)).Where(r => inScope.Contains(r.Scope)).ToList(),
            Unidentified = (await ageing.UnidentifiedAsync(today, null, ct)).Where(r => inScope.Contains(r.Scope)).ToList(),
            Gaps = (await summary.ReceiptGapsAsync(ct)).Where(g => inScope.Contains(g.School)).ToList(),
        };
    }

    public static bool In(SummaryScope scope, SummarySchool s) =>
        (scope.Ward is null || s.Ward == scope.Ward) && (scope.School is null || s.Code == scope.School);

    public static BillingMonth Previous(BillingMonth m) => m.Month == 1 ? new(m.Year - 1, 12) : new(m.Year, m.Month - 1);

    // Looked up once per school of a province (1,200 of them) on every view: by code, not by scanning the lists.
    private Dictionary<string, SummarySchool>? _schoolByCode;
    private Dictionary<string, CollectionReport.Row>? _rowByCode;
    private Dictionary<string, Ageing.Row>? _waitingByCode;
    private int? _billed;

    public SummarySchool? School(string code) => (_schoolByCode ??= ByCode(Schools, s => s.Code)).GetValueOrDefault(code);

    /// <summary>A school's figures of the month (authority-wide), if it billed any.</summary>
    public CollectionReport.Row? SchoolRow(string code) => (_rowByCode ??= ByCode(SchoolRows, r => r.Scope)).GetValueOrDefault(code);

    private static Dictionary<string, T> ByCode<T>(IEnumerable<T> items, Func<T, string> code) =>
        items.GroupBy(code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    /// <summary>Far below its peers: at least three schools billed this month, and this one's rate under their median by <see cref="FarBelowPoints"/>.</summary>
    public bool FarBelow(CollectionReport.Row school) =>
        (_billed ??= SchoolRows.Count(r => r.AmountDue > 0)) >= 3 && school.AmountDue > 0 && school.Collected / (decimal)school.AmountDue < Median - FarBelowPoints;

    /// <summary>The schools of the scope that need a look: far below their peers, money waiting to be tied to a pupil, receipt numbers missing.</summary>
    public List<Attention> AttentionList(Web.Lang l)
    {
        var list = new List<Attention>();
        foreach (var s in Schools.Where(s => In(Scope, s)))
        {
            var reasons = new List<string>();
            if (SchoolRow(s.Code) is { } row && FarBelow(row))
                reasons.Add(string.Format(CultureInfo.InvariantCulture, l["so-why-far-below"], Percent(l, row.Collected, row.AmountDue), Percent(l, Median)));
            if ((_waitingByCode ??= ByCode(Unidentified, u => u.Scope)).GetValueOrDefault(s.Code) is { Total: > 0 } waiting)
                reasons.Add(string.Format(CultureInfo.InvariantCulture, l["so-why-unidentified"], Web.Lang.Money(waiting.Total), waiting.Count));
            reasons.AddRange(Gaps.Where(g => g.School == s.Code).Select(g => GapText(l, g)));
            if (reasons.Count > 0) list.Add(new Attention(s, reasons));
        }
        return list;
    }

    public static string GapText(Web.Lang l, SeriesGaps g) => string.Format(CultureInfo.InvariantCulture, l["so-why-gaps"], g.Series, string.Join(", ",
        g.Missing.Select(n => string.Format(CultureInfo.InvariantCulture, l["so-gap-missing"], n))
            .Concat(g.Repeated.Select(n => string.Format(CultureInfo.InvariantCulture, l["so-gap-repeated"], n)))));

    /// <summary>A share as the page writes it: 57,1 % in Vietnamese, 57.1 % in English; a dash when there is nothing to share.</summary>
    public static string Percent(Web.Lang l, long part, long whole) => whole == 0 ? "–" : Percent(l, part / (decimal)whole);

    public static string Percent(Web.Lang l, decimal share) =>
        (share * 100).ToString("0.0", l.English ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo("vi-VN")) + " %";

    /// <summary>The change of a rate in percentage points, signed (+2,3 điểm); empty when either side has nothing due.</summary>
    public static string Points(Web.Lang l, MonthTotals now, MonthTotals? then)
    {
        if (then is null || then.AmountDue == 0 || now.AmountDue == 0) return "";
        var points = (now.Collected / (decimal)now.AmountDue - then.Collected / (decimal)then.AmountDue) * 100;
        var text = points.ToString("+0.0;−0.0;0.0", l.English ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo("vi-VN"));
        return string.Format(CultureInfo.InvariantCulture, l["so-points"], text);
    }

    public static string MonthName(BillingMonth m) => $"{m.Month:D2}/{m.Year}";

    /// <summary>The name a grouping's scope is shown with: a ward without one, and school levels, in the page's language.</summary>
    public static string ScopeName(Web.Lang l, string by, CollectionReport.Row r) => by switch
    {
        "ward" when r.Scope == CollectionReport.NoWard => l["so-no-ward"],
        "level" => Web.Lang.Knows("so-level-" + r.Scope) ? l["so-level-" + r.Scope] : r.Scope,
        _ => r.ScopeName,
    };
}
