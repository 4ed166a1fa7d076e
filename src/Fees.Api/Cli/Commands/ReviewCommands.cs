using System.CommandLine;
using TdmEdu.Fees.Api.Application.Review;
using TdmEdu.Fees.Api.Cli.Toolkit;
using TdmEdu.Fees.Api.Common;
using static TdmEdu.Fees.Api.Files.Values;

namespace TdmEdu.Fees.Api.Cli.Commands;

/// <summary>review: everything that waits for a person, and the answers a person gives (each with a reason).</summary>
public static class ReviewCommands
{
    private delegate Task<Said> Answer(ReviewQueue queue, string id, string? student, string reason, CancellationToken ct);

    /// <summary>
    /// How an answer takes --student. Ignore and undo have always accepted it and paid it no heed (the four answers
    /// shared one body); it stays accepted so no script breaks, and unlisted, since it means nothing there.
    /// </summary>
    private enum Pupil { Optional, Required, Unused }

    public static Command Build(Terminal t) => new("review", "the review queue: statement lines the matcher would not apply, parked money, held or failed bank calls")
    {
        List(t),
        Answering(t, "confirm", "apply the line as suggested, or pay parked money to --student", Pupil.Optional,
            (q, id, s, r, ct) => q.ConfirmAsync(id, s, r, ct)),
        Answering(t, "reassign", "apply the line to another pupil", Pupil.Required, (q, id, s, r, ct) => q.ReassignAsync(id, s!, r, ct)),
        Split(t),
        Answering(t, "ignore", "the line is not school money; nothing is applied", Pupil.Unused, (q, id, _, r, ct) => q.IgnoreAsync(id, r, ct)),
        Answering(t, "undo", "take back the last answer to the line", Pupil.Unused, (q, id, _, r, ct) => q.UndoAsync(id, r, ct)),
    };

    private static Word Id() => new("ID", "give the line id that `review list` shows.");

    private static Command List(Terminal t)
    {
        var command = new Command("list", "everything waiting for a person, one line each, starting with its ID");
        return t.OnDb(command, async run =>
        {
            var items = await new ReviewQueue(run.Db, run.Clock, run.Actor).ListAsync(null, run.Ct);
            foreach (var i in items)
            {
                await t.Out.WriteLineAsync($"{i.Id}  {i.Bank}  {i.BookingDate:yyyy-MM-dd}  {Money(i.AmountVnd),16}  {i.Outcome}  {(i.Content.Length > 60 ? i.Content[..60] + "…" : i.Content)}");
                await t.Out.WriteLineAsync($"              why: {i.Reason}");
            }
            await t.Out.WriteLineAsync($"{items.Count} item(s) wait for review.");
            return ExitCode.Ok;
        });
    }

    /// <summary>An answer to one line: its ID, a reason, and the pupil where the answer names one.</summary>
    private static Command Answering(Terminal t, string name, string description, Pupil takes, Answer answer)
    {
        var id = Id();
        var pupil = takes == Pupil.Required ? Opt.Required("--student", "CODE") : Opt.Text("--student", "CODE");
        pupil.Hidden = takes == Pupil.Unused;
        var reason = Opt.Required("--reason", "TEXT");
        var command = new Command(name, description) { id, pupil, reason };
        return t.OnDb(command, async run =>
        {
            var said = await answer(new ReviewQueue(run.Db, run.Clock, run.Actor), run.Get(id)!, run.Get(pupil), run.Need(reason), run.Ct);
            await t.Out.WriteLineAsync(said.En);
            return ExitCode.Ok;
        });
    }

    private static Command Split(Terminal t)
    {
        var id = Id();
        var to = Opt.Required("--to", "STUDENT=AMOUNT,STUDENT=AMOUNT[,...]", "the parts; they add up to the line's amount");
        var reason = Opt.Required("--reason", "TEXT");
        var command = new Command("split", "the money of one line over several students") { id, to, reason };
        return t.OnDb(command, async run =>
        {
            var parts = ReviewQueue.ParseParts(run.Need(to));
            await t.Out.WriteLineAsync((await new ReviewQueue(run.Db, run.Clock, run.Actor).SplitAsync(run.Get(id)!, parts, run.Need(reason), run.Ct)).En);
            return ExitCode.Ok;
        });
    }
}
