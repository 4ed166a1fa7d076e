using Microsoft.EntityFrameworkCore;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.NotifyAdapters;

namespace TdmEdu.Fees.Api.Application.Messages;

/// <summary>
/// What providers tell us after a message went (contracts/notifications.md §7.3, §8): a delivery event or callback,
/// recorded once (unique by provider, event and message id) and applied to the message it names. A report for a
/// message we do not know is recorded and changes nothing.
/// </summary>
public sealed class Deliveries(FeesDb db, BusinessClock clock, MessagingOptions options)
{
    /// <summary>Zalo's delivery event for a ZNS message (matched on its msg_id); a ZNS message costs when delivered.</summary>
    public async Task<bool> ZaloDeliveredAsync(string eventName, string msgId, DateTimeOffset at, string payload, CancellationToken ct)
    {
        if (!await RecordAsync("zalo_zns", eventName, msgId, payload, ct)) return false;
        var n = await db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET status = 'delivered', delivered_at = {at.ToUniversalTime()}, cost_vnd = COALESCE(cost_vnd, {options.ZnsPerMessageVnd})
            WHERE channel = 'zalo_zns' AND provider_message_id = {msgId} AND status IN ('sent', 'unknown')
            """, ct);
        return n > 0;
    }

    /// <summary>eSMS's callback, matched on our request id (the outbox id) or its SMSID; TotalPrice replaces the estimate.</summary>
    public async Task<bool> SmsReportAsync(string? smsId, string? requestId, DeliveryState state, long? totalPriceVnd, string payload, CancellationToken ct)
    {
        var key = smsId ?? requestId ?? "";
        if (!await RecordAsync("sms", "callback:" + state.ToString().ToLowerInvariant(), key, payload, ct)) return false;
        if (state is not (DeliveryState.Delivered or DeliveryState.Failed)) return false;
        var id = Guid.TryParse(requestId, out var g) ? g : Guid.Empty;
        var status = state == DeliveryState.Delivered ? "delivered" : "failed";
        var n = await db.Database.ExecuteSqlAsync($"""
            UPDATE messages SET status = {status}, cost_vnd = COALESCE({totalPriceVnd}, cost_vnd),
                   delivered_at = CASE WHEN {status} = 'delivered' THEN {clock.Now} ELSE delivered_at END,
                   failed_at = CASE WHEN {status} = 'failed' THEN {clock.Now} ELSE failed_at END,
                   last_error_code = CASE WHEN {status} = 'failed' THEN 'NOT_DELIVERED' ELSE last_error_code END
            WHERE channel = 'sms' AND status IN ('sent', 'unknown') AND (id = {id} OR (provider_message_id <> '' AND provider_message_id = {smsId}))
            """, ct);
        return n > 0;
    }

    /// <summary>The event, once: a provider's retried callback finds it recorded and changes nothing again.</summary>
    private async Task<bool> RecordAsync(string provider, string eventName, string providerMessageId, string payload, CancellationToken ct)
    {
        var messageId = await db.Messages.AsNoTracking().Where(m => m.Channel == provider && m.ProviderMessageId == providerMessageId && providerMessageId != "")
            .Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (messageId is null && Guid.TryParse(providerMessageId, out var own))
            messageId = await db.Messages.AsNoTracking().Where(m => m.Id == own).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        var n = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO message_events (id, message_id, provider, event_name, provider_message_id, payload, received_at)
            VALUES ({Guid.CreateVersion7()}, {messageId}, {provider}, {eventName}, {providerMessageId}, {payload}, {clock.Now})
            ON CONFLICT (provider, event_name, provider_message_id) DO NOTHING
            """, ct);
        return n > 0;
    }
}
