using System.Security.Claims;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;
using TdmEdu.Fees.Domain.Schedule;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The school's messages to guardians over HTTP (contracts/notifications.md §10): list (no bodies), preview and
/// send a month's notices, re-send failures, what the month cost. The messages and their preview name pupils: the school's
/// staff only; queueing and re-sending are the accountant's, since they cost the school money.
/// </summary>
public static class MessageEndpoints
{
    public sealed record Resend(IReadOnlyList<Guid>? Ids);

    public static void Map(RouteGroupBuilder school)
    {
        school.MapGet("/messages", async (string school, string? period, string? kind, string? status, string? channel, FeesDb db, BusinessClock clock,
            ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (!SchoolAccess.CanSeePupils(user, school)) return ApiProblems.NotAllowed("Not allowed", "Messages name pupils: the school's staff only.");
            BillingMonth? month = null;
            if (period is not null) { if (!BillingMonth.TryParse(period, out var m)) return ApiProblems.BadPeriod(period); month = m; }
            return Results.Ok(await Of(db, clock, user).ListAsync(school.ToUpperInvariant(), month, kind, status, channel, ct));
        }).WithMetadata(new ShowsPupilsAttribute());
        school.MapPost("/periods/{period}/messages/preview", async (string school, string period, FeesDb db, BusinessClock clock, ClaimsPrincipal user, CancellationToken ct) =>
        {
            // A preview is the messages as guardians would get them: pupils' names and contacts, the school's staff only.
            if (!SchoolAccess.CanSeePupils(user, school)) return ApiProblems.NotAllowed("Not allowed", "Messages name pupils: the school's staff only.");
            return BillingMonth.TryParse(period, out var month)
                ? Results.Ok(await Of(db, clock, user).PreviewAsync(school.ToUpperInvariant(), month, ct))
                : ApiProblems.BadPeriod(period);
        }).WithMetadata(new ShowsPupilsAttribute());
        school.MapPost("/periods/{period}/messages/send", async (string school, string period, FeesDb db, BusinessClock clock, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (!SchoolAccess.CanMoveMoney(user, school)) return ApiProblems.NotAllowed("Not allowed", "Only the school's accountant sends its notices.");
            if (!BillingMonth.TryParse(period, out var month)) return ApiProblems.BadPeriod(period);
            return Results.Ok(new { queued = await Of(db, clock, user).QueueNoticesAsync(school.ToUpperInvariant(), month, ct) });
        }).WithMetadata(new MovesMoneyAttribute());
        school.MapPost("/messages/resend", async (string school, Resend? body, FeesDb db, BusinessClock clock, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (!SchoolAccess.CanMoveMoney(user, school)) return ApiProblems.NotAllowed("Not allowed", "Only the school's accountant re-sends its messages.");
            var ids = body?.Ids ?? [];
            if (ids.Count is 0 or > 1000) throw new BadInputException("ids", null, null, "name between 1 and 1000 messages.", "hãy chọn từ 1 đến 1000 tin nhắn.");
            return Results.Ok(new { requeued = await Of(db, clock, user).ResendAsync(school.ToUpperInvariant(), ids.ToList(), ct) });
        }).WithMetadata(new MovesMoneyAttribute());
        school.MapGet("/message-costs", async (string school, string? month, FeesDb db, BusinessClock clock, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var m = month ?? $"{clock.Today.Year:D4}-{clock.Today.Month:D2}";
            if (!BillingMonth.TryParse(m, out var bm)) return ApiProblems.BadPeriod(m);
            var lines = await Of(db, clock, user).CostsAsync(school.ToUpperInvariant(), bm.Year, bm.Month, ct);
            return Results.Ok(new
            {
                month = m,
                lines = lines.Select(l => new { channel = l.Channel, kind = l.Kind, count = l.Count, segments = l.Segments, cost_vnd = l.CostVnd }),
                total_vnd = lines.Sum(l => l.CostVnd),
            });
        });
    }

    private static SchoolMessages Of(FeesDb db, BusinessClock clock, ClaimsPrincipal user) => new(db, clock, Actor.Of(user));
}
