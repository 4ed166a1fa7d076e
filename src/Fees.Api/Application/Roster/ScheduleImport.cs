using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Application.Roster;

public sealed record ScheduleImportResult(string SchoolYear, int ItemsAdded, int ItemsChanged, int ItemsRetired, int PoliciesAdded, int PoliciesChanged, int PoliciesRetired)
{
    public bool Changed => ItemsAdded + ItemsChanged + ItemsRetired + PoliciesAdded + PoliciesChanged + PoliciesRetired > 0;
}

/// <summary>Reads a school year's fee schedule (JSON, cli.md) and stores it; a second import of the same file changes nothing.</summary>
public sealed partial class ScheduleImport(FeesDb db, BusinessClock clock, Actor actor)
{
    public async Task<ScheduleImportResult> ImportAsync(string path, CancellationToken ct = default)
    {
        var name = Path.GetFileName(path);
        if (!File.Exists(path)) throw new BadInputException(name, null, null, "the file does not exist.");
        Files.FileLimits.Schedule.CheckSize(path);
        var schedule = Parse(await File.ReadAllBytesAsync(path, ct), name);
        return await StoreAsync(schedule, ct, name);
    }

    public async Task<ScheduleImportResult> StoreAsync(FeeSchedule schedule, CancellationToken ct = default, string source = "schedule")
    {
        // Nothing above the city's ceilings, nor risen more than they allow over last year, is stored.
        await Ceilings.CheckAsync(db, schedule, source, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.Schedules.Include(s => s.Items).Include(s => s.Policies)
            .SingleOrDefaultAsync(s => s.StartYear == schedule.SchoolYear.StartYear, ct);
        if (row is null)
        {
            row = new ScheduleRow { Id = Guid.CreateVersion7(), StartYear = schedule.SchoolYear.StartYear, ImportedAt = clock.Now };
            db.Schedules.Add(row);
        }
        await RefuseRepricingBilledMonthsAsync(row, schedule, source, ct);
        if (!row.Months.SequenceEqual(schedule.Months)) row.Months = schedule.Months.ToArray();
        if (row.DueDay != schedule.DueDay) row.DueDay = schedule.DueDay;

        int iAdd = 0, iChg = 0, iRet = 0, pAdd = 0, pChg = 0, pRet = 0;
        for (var pos = 0; pos < schedule.Items.Count; pos++)
        {
            var item = schedule.Items[pos];
            var existing = row.Items.FirstOrDefault(i => i.Code.Equals(item.Code, StringComparison.OrdinalIgnoreCase));
            var fresh = ScheduleStore.ToRow(item, pos);
            if (existing is null)
            {
                fresh.Id = Guid.CreateVersion7();
                fresh.ScheduleId = row.Id;
                // Added explicitly: found only through the collection, a row whose key is already set would be
                // taken for an existing one and updated (0 rows; found by fuzzing a schedule with a new item code).
                db.FeeItems.Add(fresh);
                row.Items.Add(fresh);
                iAdd++;
            }
            else if (!ScheduleStore.SameItem(existing, fresh))
            {
                ScheduleStore.CopyItem(fresh, existing);
                iChg++;
            }
        }
        foreach (var gone in row.Items.Where(i => i.Active && schedule.FindItem(i.Code) is null))
        {
            gone.Active = false;
            iRet++;
        }
        for (var pos = 0; pos < schedule.Policies.Count; pos++)
        {
            var p = schedule.Policies[pos];
            var existing = row.Policies.FirstOrDefault(x => x.Code.Equals(p.Code, StringComparison.OrdinalIgnoreCase));
            if (existing is null)
            {
                var added = new PolicyGroupRow
                {
                    Id = Guid.CreateVersion7(), ScheduleId = row.Id, Position = pos, Code = p.Code, Name = p.Name,
                    Percent = p.Percent, Items = p.Items.ToArray(), LegalBasis = p.LegalBasis,
                    Kind = KindOf(p), SupportVnd = p.SupportVnd, MaxMonths = p.MaxMonths,
                };
                db.PolicyGroups.Add(added);
                row.Policies.Add(added);
                pAdd++;
            }
            else if (existing.Position != pos || existing.Name != p.Name || existing.Percent != p.Percent
                     || !existing.Items.SequenceEqual(p.Items) || existing.LegalBasis != p.LegalBasis || !existing.Active
                     || existing.Kind != KindOf(p) || existing.SupportVnd != p.SupportVnd || existing.MaxMonths != p.MaxMonths)
            {
                existing.Position = pos; existing.Name = p.Name; existing.Percent = p.Percent;
                existing.Items = p.Items.ToArray(); existing.LegalBasis = p.LegalBasis; existing.Active = true;
                existing.Kind = KindOf(p); existing.SupportVnd = p.SupportVnd; existing.MaxMonths = p.MaxMonths;
                pChg++;
            }
        }
        foreach (var gone in row.Policies.Where(x => x.Active && schedule.FindPolicy(x.Code) is null))
        {
            gone.Active = false;
            pRet++;
        }

        var result = new ScheduleImportResult(schedule.SchoolYear.ToString(), iAdd, iChg, iRet, pAdd, pChg, pRet);
        if (result.Changed || db.ChangeTracker.HasChanges())
        {
            row.ImportedAt = clock.Now;
            AuditLog.Record(db, clock, actor, "schedule.import", "schedule", schedule.SchoolYear.ToString(), result);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return result;
    }

    /// <summary>Parses and validates the JSON; every problem names its place in the file.</summary>
    public static FeeSchedule Parse(byte[] bytes, string name)
    {
        var limits = Files.FileLimits.Schedule;
        if (bytes.Length > limits.MaxBytes) throw limits.TooLarge(name, bytes.Length, limits.MaxBytes);
        JsonDocument doc;
        // JsonDocument checks UTF-8 only where a string is read; the whole file is checked first, so a broken
        // byte inside a name is a refusal in words, not a fault.
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
            throw new BadInputException(name, null, null, "the file is not UTF-8 text; save it as UTF-8.", "tệp không phải văn bản UTF-8; hãy lưu lại dạng UTF-8.");
        try
        {
            doc = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new BadInputException(name, (int?)(e.LineNumber + 1), null, $"the file is not valid JSON ({FirstSentence(e.Message)}).");
        }
        using (doc)
        {
            var problems = new List<InputProblem>();
            void Bad(string field, string reason) => problems.Add(new InputProblem(name, null, field, reason));

            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new BadInputException(name, 1, null, "the schedule must be a JSON object.");

            var yearText = Str(root, "school_year");
            if (!SchoolYear.TryParse(yearText, out var year)) Bad("school_year", $"\"{yearText}\" is not a school year like 2025-2026.");
            var months = Ints(root, "months", "months", Bad) ?? [];
            var dueDay = Int(root, "due_day", "due_day", Bad) ?? 15;

            var items = new List<FeeItem>();
            if (!root.TryGetProperty("items", out var itemsEl) || itemsEl.ValueKind != JsonValueKind.Array)
                Bad("items", "the list of fee items is missing.");
            else
            {
                // Counted before any is read: validation compares items with each other.
                if (itemsEl.GetArrayLength() > limits.MaxRows) throw limits.TooManyEntries(name, itemsEl.GetArrayLength(), "fee items", "khoản thu");
                var n = 0;
                foreach (var it in itemsEl.EnumerateArray())
                {
                    var at = $"items[{n++}]";
                    var code = Str(it, "code") ?? "";
                    if (code.Length > 0) at += $" ({code})";
                    var kindText = Str(it, "kind") ?? "service";
                    FeeKind? kind = kindText switch
                    {
                        "tuition" => FeeKind.Tuition, "service" => FeeKind.Service,
                        "pass_through" => FeeKind.PassThrough, "voluntary" => FeeKind.Voluntary, _ => null,
                    };
                    if (kind is null) Bad($"{at}.kind", $"\"{kindText}\" is not one of tuition, service, pass_through, voluntary.");
                    var unitText = Str(it, "unit") ?? "";
                    FeeUnit? unit = unitText switch { "month" => FeeUnit.Month, "day" => FeeUnit.Day, "once" => FeeUnit.Once, _ => null };
                    if (unit is null) Bad($"{at}.unit", $"\"{unitText}\" is not one of month, day, once.");
                    var amount = Amount(it, at, Bad);
                    var days = new Dictionary<int, int>();
                    if (it.TryGetProperty("days", out var daysEl))
                    {
                        if (daysEl.ValueKind != JsonValueKind.Object) Bad($"{at}.days", "must map month numbers to school days, like {\"9\": 18}.");
                        else
                            foreach (var d in daysEl.EnumerateObject())
                            {
                                if (!int.TryParse(d.Name, out var m) || m is < 1 or > 12) { Bad($"{at}.days", $"\"{d.Name}\" is not a month number."); continue; }
                                if (d.Value.ValueKind != JsonValueKind.Number || !d.Value.TryGetInt32(out var count)) { Bad($"{at}.days.{d.Name}", "must be a whole number of days."); continue; }
                                days[m] = count;
                            }
                    }
                    var levels = new List<SchoolLevel>();
                    foreach (var l in Strs(it, "levels", $"{at}.levels", Bad) ?? [])
                    {
                        if (Enum.TryParse<SchoolLevel>(l, ignoreCase: true, out var lv) && Enum.IsDefined(lv) && l.All(char.IsAsciiLetter)) levels.Add(lv);
                        else Bad($"{at}.levels", $"\"{l}\" is not a school level (MN, MG, TH, THCS, THPT).");
                    }
                    var scope = new FeeScope(
                        Strs(it, "schools", $"{at}.schools", Bad) ?? [],
                        levels,
                        Ints(it, "grades", $"{at}.grades", Bad) ?? [],
                        Strs(it, "classes", $"{at}.classes", Bad) ?? []);
                    var reducible = it.TryGetProperty("reducible", out var r) && r.ValueKind == JsonValueKind.True;
                    if (kind is { } k && unit is { } u && amount is { } a)
                        items.Add(new FeeItem(code, (Str(it, "name") ?? "").Normalize(NormalizationForm.FormC), k, u, a, scope, reducible,
                            Str(it, "legal_basis")?.Normalize(NormalizationForm.FormC), days,
                            Ints(it, "months", $"{at}.months", Bad) ?? [], RefundRule(it, at, Bad), Str(it, "ceiling")?.ToUpperInvariant(),
                            PriceChanges(it, at, Bad), PartMonth(it, at, Bad)));
                }
            }

            var policies = new List<PolicyGroup>();
            if (root.TryGetProperty("policies", out var polEl))
            {
                if (polEl.ValueKind != JsonValueKind.Array) Bad("policies", "must be a list.");
                else
                {
                    if (polEl.GetArrayLength() > limits.MaxRows) throw limits.TooManyEntries(name, polEl.GetArrayLength(), "policy groups", "đối tượng miễn giảm");
                    var n = 0;
                    foreach (var p in polEl.EnumerateArray())
                    {
                        var at = $"policies[{n++}]";
                        var code = Str(p, "code") ?? "";
                        var percent = Int(p, "percent", $"{at}.percent", Bad);
                        if (percent is null) { Bad($"{at}.percent", "is missing."); continue; }
                        policies.Add(new PolicyGroup(code, (Str(p, "name") ?? code).Normalize(NormalizationForm.FormC), percent.Value,
                            Strs(p, "items", $"{at}.items", Bad) ?? [], Str(p, "legal_basis")?.Normalize(NormalizationForm.FormC)));
                    }
                }
            }

            policies.AddRange(Supports(root, limits, name, Bad));
            var schedule = new FeeSchedule(year, months, dueDay, items, policies);
            if (problems.Count == 0)
                problems.AddRange(schedule.Validate().Select(e => new InputProblem(name, null, null, e)));
            if (problems.Count > 0) throw new BadInputException(problems);
            return schedule;
        }
    }
}
