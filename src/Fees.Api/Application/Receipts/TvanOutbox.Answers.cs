using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.TvanAdapters;

namespace TdmEdu.Fees.Api.Application.Receipts;

/// <summary>
/// The outbox's other half: what the provider says back (its signed callback, our hourly poll) stored as said, and the
/// document and its receipt moved along contracts/ereceipts.md §8 by it.
/// </summary>
public sealed partial class TvanOutbox
{
    private sealed record Submitted(Guid Id, string ProviderId);

    /// <summary>Asks the provider after documents it took over an hour ago without a final answer (a callback may have been lost).</summary>
    private async Task<int> PollAsync(CancellationToken ct)
    {
        var before = clock.Now - PollAfter;
        var rows = await db.Database.SqlQuery<Submitted>($"""
            SELECT id AS "Id", provider_id AS "ProviderId" FROM ereceipt_outbox
            WHERE state = 'sent' AND updated_at < {before} ORDER BY updated_at LIMIT {Batch}
            """).ToListAsync(ct);
        var answered = 0;
        foreach (var row in rows)
        {
            Refit.IApiResponse<TvanStatus> response;
            try
            {
                response = await client!.StatusAsync(row.ProviderId, ct);
            }
            catch (HttpRequestException)
            {
                return answered;
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return answered;
            }
            // Asked again no sooner than the next hour, whatever it said: one document the provider cannot find never
            // keeps the others from being asked about.
            var status = (int?)response.StatusCode ?? 0;
            var code = response.IsSuccessStatusCode ? null : "POLL_HTTP_" + status;
            await db.Database.ExecuteSqlAsync($"UPDATE ereceipt_outbox SET updated_at = {clock.Now}, last_code = COALESCE({code}, last_code) WHERE id = {row.Id}", ct);
            if (response.IsSuccessStatusCode && response.Content is not null && response.Content.ProviderId == row.ProviderId
                && await ApplyAsync(response.Content, "poll", ct) is (true, null)) answered++;
            if (status >= 500) return answered;
        }
        return answered;
    }

    /// <summary>
    /// Applies what the provider says of a document (its callback or our poll): stored as said, then the document and
    /// its receipt move when it is a final answer. Not stored when it is not the contract's shape; stored with a
    /// problem when it names no document of ours. A later answer never undoes a final one.
    /// </summary>
    public async Task<(bool Stored, string? Problem)> ApplyAsync(TvanStatus status, string source, CancellationToken ct)
    {
        if (status.ProviderId is not { Length: > 0 and <= 200 } providerId) return (false, "providerId is missing or over 200 characters");
        if (status.Errors?.Any(e => e is null) == true) return (false, "errors holds an item that is not {code, text}");
        string?[] texts = [providerId, status.MessageId, status.UpdatedAt, .. (status.Errors ?? []).SelectMany(e => new[] { e.Code, e.Text })];
        if (texts.Any(t => TextRules.FirstRefused(t, multiLine: true) is not null)) return (false, "a value holds a control character");
        var state = status.Status;
        if (state is not (TvanStates.Received or TvanStates.Submitted or TvanStates.Accepted or TvanStates.Rejected))
            return (false, $"status \"{Clip(state ?? "", 40)}\" is not one the contract names");
        var now = clock.Now;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var doc = await db.TvanDocuments.FromSqlInterpolated($"SELECT * FROM ereceipt_outbox WHERE provider_id = {providerId} FOR UPDATE").AsNoTracking().SingleOrDefaultAsync(ct);
        var errors = status.Errors is { Count: > 0 } e ? JsonSerializer.Serialize(e.Take(20).Select(x => new { code = Clip(x.Code ?? "", 100), text = Clip(x.Text ?? "", 1000) })) : null;
        AddEvent(doc?.Id, providerId, state, status.MessageId is { } m ? Clip(m, 100) : null, errors, source, now, status.UpdatedAt is { } u ? Clip(u, 40) : null);
        if (doc is not null && doc.State == TvanDocumentStates.Sent)
        {
            var final = state is TvanStates.Accepted or TvanStates.Rejected;
            var firstError = status.Errors?.FirstOrDefault();
            await db.Database.ExecuteSqlAsync($"""
                UPDATE ereceipt_outbox SET provider_status = {state}, updated_at = {now}, state = CASE WHEN {final} THEN {state} ELSE state END,
                                           last_code = CASE WHEN {state} = 'rejected' THEN {Clip(firstError?.Code ?? "", 100)} ELSE last_code END,
                                           last_error = CASE WHEN {state} = 'rejected' THEN {Clip(firstError?.Text ?? "", 1000)} ELSE last_error END
                WHERE id = {doc.Id}
                """, ct);
            if (final && doc.Kind == TvanKinds.Receipt)
                await MoveReceiptAsync(doc.ReceiptId!.Value, state, state == TvanStates.Rejected ? Clip($"{firstError?.Code}: {firstError?.Text}", 1000) : null, now, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (true, doc is null ? "no document has this providerId" : null);
    }

    private void AddEvent(Guid? documentId, string providerId, string status, string? messageId, string? errors, string source, DateTimeOffset now, string? updatedAt = null) =>
        db.TvanEvents.Add(new TvanEventRow
        {
            Id = Guid.CreateVersion7(), DocumentId = documentId, ProviderId = providerId, Status = status, MessageId = messageId, Errors = errors,
            ProviderUpdatedAt = updatedAt, Source = source, ReceivedAt = now,
        });

    /// <summary>
    /// Moves a receipt along §8 as the provider's answer says, through sent when it skipped it (a callback before
    /// our record of the upload). A receipt already cancelled or replaced stays so; its error notice says the rest.
    /// </summary>
    private async Task MoveReceiptAsync(Guid receiptId, string to, string? reason, DateTimeOffset now, CancellationToken ct)
    {
        var from = await db.Database.SqlQuery<string>($"SELECT status AS \"Value\" FROM receipts WHERE id = {receiptId} FOR UPDATE").SingleAsync(ct);
        var steps = (from, to) switch
        {
            (ReceiptStates.Issued, ReceiptStates.Sent) => [ReceiptStates.Sent],
            (ReceiptStates.Issued, ReceiptStates.Accepted) => [ReceiptStates.Sent, ReceiptStates.Accepted],
            (ReceiptStates.Sent, ReceiptStates.Accepted) => [ReceiptStates.Accepted],
            (ReceiptStates.Issued or ReceiptStates.Sent, ReceiptStates.Rejected) => [ReceiptStates.Rejected],
            _ => Array.Empty<string>(),
        };
        foreach (var step in steps)
        {
            await db.Database.ExecuteSqlAsync($"UPDATE receipts SET status = {step} WHERE id = {receiptId}", ct);
            db.ReceiptEvents.Add(new ReceiptEventRow { Id = Guid.CreateVersion7(), ReceiptId = receiptId, At = now, FromStatus = from, ToStatus = step, Actor = Actor, Reason = step == to ? reason : null });
            from = step;
        }
    }
}
