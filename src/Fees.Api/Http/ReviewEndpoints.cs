using System.Security.Claims;
using TdmEdu.Fees.Api.Application.Review;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.Api.Web;

namespace TdmEdu.Fees.Api.Http;

/// <summary>
/// The review queue over HTTP, for a school: the lines its accounts received that the matcher would not apply,
/// and the accountant's decisions on them (the same ReviewQueue the CLI uses). Deciding moves money: the
/// school's accountant only. A line of another school's account is "not found", not "forbidden".
/// </summary>
public static class ReviewEndpoints
{
    public sealed record Part(string Student, long AmountVnd);

    public sealed record Decision(string? Student, string? Reason, IReadOnlyList<Part>? Parts);

    public static void Map(RouteGroupBuilder school)
    {
        // The lines carry payers' names and pupils' codes: the school's staff and the administrator, not the education office.
        school.MapGet("/review", async (string school, FeesDb db, BusinessClock clock, ClaimsPrincipal user, CancellationToken ct) =>
            SchoolAccess.CanSeePupils(user, school)
                ? Results.Ok(await Queue(db, clock, user).ListAsync(school.ToUpperInvariant(), ct))
                : ApiProblems.NotAllowed("Not allowed", "The review queue names payers and pupils: the school's staff only."))
            .WithMetadata(new ShowsPupilsAttribute());

        school.MapPost("/review/{id}/{action}", async (string school, string id, string action, Decision? body, FeesDb db, BusinessClock clock, ClaimsPrincipal user, CancellationToken ct) =>
        {
            if (!SchoolAccess.CanMoveMoney(user, school))
                return ApiProblems.NotAllowed("Not allowed", "Only the school's accountant decides on its bank lines.");
            var queue = Queue(db, clock, user);
            if (!await queue.BelongsToAsync(id, school.ToUpperInvariant(), ct))
                return ApiProblems.NotFound($"School {school} has no bank line {id}.");
            body ??= new Decision(null, null, null);
            var reason = body.Reason ?? "";
            // A refusal (BadInputException, BusinessRuleException) is answered by ApiProblems: 400 or 409.
            Said? message = action switch
            {
                "confirm" => await queue.ConfirmAsync(id, body.Student, reason, ct),
                "reassign" => await queue.ReassignAsync(id, body.Student ?? throw new BadInputException("student", null, null, "name the student."), reason, ct),
                "split" => await queue.SplitAsync(id, (body.Parts ?? []).Select(p => (p.Student, p.AmountVnd)).ToList(), reason, ct),
                "ignore" => await queue.IgnoreAsync(id, reason, ct),
                "undo" => await queue.UndoAsync(id, reason, ct),
                _ => null,
            };
            return message is null
                ? ApiProblems.NotFound($"\"{action}\" is not confirm, reassign, split, ignore or undo.")
                : Results.Ok(new { message = message.En, message_vi = message.Vi });
        }).WithMetadata(new MovesMoneyAttribute());
    }

    private static ReviewQueue Queue(FeesDb db, BusinessClock clock, ClaimsPrincipal user) =>
        new(db, clock, Actor.Of(user));
}
