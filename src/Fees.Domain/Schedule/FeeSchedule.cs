namespace TdmEdu.Fees.Domain.Schedule;

public enum FeeKind { Tuition, Service, PassThrough, Voluntary }

public enum FeeUnit { Month, Day, Once }

public enum SchoolLevel { MN, MG, TH, THCS, THPT }

/// <summary>Which students an item applies to; an empty list means "all".</summary>
public sealed record FeeScope(
    IReadOnlyList<string> Schools,
    IReadOnlyList<SchoolLevel> Levels,
    IReadOnlyList<int> Grades,
    IReadOnlyList<string> Classes)
{
    public static readonly FeeScope All = new([], [], [], []);

    public bool Includes(string schoolCode, SchoolLevel level, int grade, string className) =>
        (Schools.Count == 0 || Schools.Contains(schoolCode, StringComparer.OrdinalIgnoreCase))
        && (Levels.Count == 0 || Levels.Contains(level))
        && (Grades.Count == 0 || Grades.Contains(grade))
        && (Classes.Count == 0 || Classes.Contains(className, StringComparer.OrdinalIgnoreCase));
}

/// <summary>One item of the fee catalogue of a school year.</summary>
public sealed record FeeItem(
    string Code,
    string Name,
    FeeKind Kind,
    FeeUnit Unit,
    long AmountVnd,
    FeeScope Scope,
    bool Reducible,
    string? LegalBasis,
    IReadOnlyDictionary<int, int> SchoolDaysByMonth,
    IReadOnlyList<int> OnceInMonths,
    Billing.AbsenceRefundRule? AbsenceRefund = null,
    string? CeilingCode = null,
    IReadOnlyList<PriceChange>? PriceChanges = null,
    PartMonthRule PartMonth = PartMonthRule.Full)
{
    /// <summary>The price a month is billed at: the latest change from that month or before, else the year's price.</summary>
    public long AmountFor(BillingMonth month) =>
        PriceChanges?.Where(c => c.From <= month).OrderBy(c => c.From).LastOrDefault()?.AmountVnd ?? AmountVnd;

    /// <summary>Every price the item has this year, the year's own first.</summary>
    public IEnumerable<long> Prices => PriceChanges is null ? [AmountVnd] : [AmountVnd, .. PriceChanges.Select(c => c.AmountVnd)];
}

/// <summary>A new price from a month on (notices already issued keep theirs); the schedule keeps every change.</summary>
public sealed record PriceChange(BillingMonth From, long AmountVnd);

/// <summary>A policy group (đối tượng chính sách): a percent reduction on the items it names ("*" for all).</summary>
public sealed record PolicyGroup(string Code, string Name, int Percent, IReadOnlyList<string> Items, string? LegalBasis,
    PolicyKind Kind = PolicyKind.Reduction, long? SupportVnd = null, int? MaxMonths = null)
{
    public bool Covers(string itemCode) =>
        Items.Any(i => i == "*" || string.Equals(i, itemCode, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A support covers the items it names, and with "*" every item but what the school only passes on (insurance) and what
    /// the family chose on its own (voluntary items): the state pays for neither unless the schedule names them.
    /// </summary>
    public bool Supports(string itemCode, FeeKind kind) =>
        Items.Any(i => string.Equals(i, itemCode, StringComparison.OrdinalIgnoreCase)) || (Items.Contains("*") && kind is not (FeeKind.PassThrough or FeeKind.Voluntary));
}

/// <summary>
/// A reduction lowers what is billed (the school forgoes it); a support is paid by the state in the family's place and
/// claimed back by the school from the budget: a fixed amount a month (<see cref="PolicyGroup.SupportVnd"/>) or a
/// percent of what is left after the reduction, for at most <see cref="PolicyGroup.MaxMonths"/> months a school year.
/// </summary>
public enum PolicyKind { Reduction, Support }

/// <summary>The fee schedule of one school year: its billing months, due day, items in billing order and policies.</summary>
public sealed record FeeSchedule(
    SchoolYear SchoolYear,
    IReadOnlyList<int> Months,
    int DueDay,
    IReadOnlyList<FeeItem> Items,
    IReadOnlyList<PolicyGroup> Policies)
{
    public bool BillsMonth(int month) => Months.Contains(month);

    public PolicyGroup? FindPolicy(string code) =>
        Policies.FirstOrDefault(p => string.Equals(p.Code, code, StringComparison.OrdinalIgnoreCase));

    public FeeItem? FindItem(string code) =>
        Items.FirstOrDefault(i => string.Equals(i.Code, code, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every rule a schedule must keep, as sentences naming the item or policy; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Months.Count == 0) errors.Add("months: the school year needs at least one billing month.");
        foreach (var m in Months.Where(m => m is < 1 or > 12)) errors.Add($"months: {m} is not a month.");
        if (Months.Distinct().Count() != Months.Count) errors.Add("months: a month is listed twice.");
        if (DueDay is < 1 or > 31) errors.Add($"due_day: {DueDay} is not a day of the month (1-31).");
        if (Items.Count == 0) errors.Add("items: the schedule has no fee items.");

        foreach (var dup in Items.GroupBy(i => i.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"items: the code {dup.Key} is used by {dup.Count()} items.");
        foreach (var item in Items)
        {
            var at = $"item {item.Code}";
            if (!IsCode(item.Code)) errors.Add($"{at}: a code is letters, digits and '_' only.");
            if (string.IsNullOrWhiteSpace(item.Name)) errors.Add($"{at}: name is empty.");
            if (item.AmountVnd <= 0) errors.Add($"{at}: amount must be a whole number of đồng above 0.");
            foreach (var c in item.PriceChanges ?? [])
            {
                if (c.AmountVnd <= 0) errors.Add($"{at}: the price from {c.From} must be a whole number of đồng above 0.");
                if (SchoolYear.Containing(c.From) != SchoolYear || !Months.Contains(c.From.Month))
                    errors.Add($"{at}: a price from {c.From}, which is not a billing month of {SchoolYear}.");
            }
            if (item.PriceChanges is { Count: > 1 } changes && changes.Select(c => c.From).Distinct().Count() != changes.Count)
                errors.Add($"{at}: two prices from the same month.");
            if (item.Unit == FeeUnit.Day)
            {
                foreach (var m in Months.Where(m => !item.SchoolDaysByMonth.ContainsKey(m)))
                    errors.Add($"{at}: priced per day but has no school days for month {m}.");
                foreach (var (m, d) in item.SchoolDaysByMonth.Where(kv => kv.Value is < 0 or > 31))
                    errors.Add($"{at}: {d} school days in month {m} is impossible.");
            }
            if (item.AbsenceRefund is { } rule)
            {
                if (item.Unit != FeeUnit.Day) errors.Add($"{at}: gives back days of absence but is not priced per day.");
                if (rule.FromDay is < 1 or > 31) errors.Add($"{at}: absence_refund.from_day {rule.FromDay} is not a day of absence (1-31).");
            }
            if (item.PartMonth != PartMonthRule.Full && item.Unit == FeeUnit.Once)
                errors.Add($"{at}: billed once, so it is billed whole whenever the pupil joins (part_month must be full).");
            if (item.PartMonth == PartMonthRule.Half && item.Unit == FeeUnit.Day)
                errors.Add($"{at}: priced per day, so part of a month is billed by its days (part_month days), not by half.");
            if (item.Unit == FeeUnit.Once)
            {
                if (item.OnceInMonths.Count == 0) errors.Add($"{at}: billed once but names no month to bill it in.");
                foreach (var m in item.OnceInMonths.Where(m => !Months.Contains(m)))
                    errors.Add($"{at}: billed in month {m}, which is not a billing month of the school year.");
            }
            foreach (var g in item.Scope.Grades.Where(g => g is < 0 or > 12))
                errors.Add($"{at}: grade {g} does not exist (0 for kindergarten, 1-12).");
        }

        foreach (var dup in Policies.GroupBy(p => p.Code, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add($"policies: the code {dup.Key} is used by {dup.Count()} policies.");
        foreach (var p in Policies)
        {
            var at = p.Kind == PolicyKind.Support ? $"support {p.Code}" : $"policy {p.Code}";
            if (p.Kind == PolicyKind.Support)
            {
                if ((p.SupportVnd is null) == (p.Percent == 0)) errors.Add($"{at}: give either amount (đồng a month) or percent, one of them.");
                if (p.SupportVnd is <= 0) errors.Add($"{at}: amount must be a whole number of đồng above 0.");
                if (p.MaxMonths is < 1 or > 12) errors.Add($"{at}: max_months {p.MaxMonths} is outside 1-12.");
            }
            if (!IsCode(p.Code)) errors.Add($"{at}: a code is letters, digits and '_' only.");
            if (p.Percent is < 0 or > 100) errors.Add($"{at}: percent {p.Percent} is outside 0-100.");
            if (p.Items.Count == 0) errors.Add($"{at}: names no items (use \"*\" for all).");
            foreach (var i in p.Items.Where(i => i != "*" && FindItem(i) is null))
                errors.Add($"{at}: item {i} is not in the schedule.");
        }
        return errors;
    }

    private static bool IsCode(string code) =>
        !string.IsNullOrEmpty(code) && code.Length <= 32 && code.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
