using Microsoft.Extensions.Logging.Abstractions;
using TdmEdu.Fees.Api.Application.Messages;
using TdmEdu.Fees.Api.Common;
using TdmEdu.Fees.NotifyAdapters;

namespace TdmEdu.Fees.Api.Tests.Support;

/// <summary>One round of the outbox's sender, as the job runs it, through a channel the test plays.</summary>
public static class Outbox
{
    /// <summary>Sends what is queued for the channel; each message gets the answer given (accepted when none) and is kept.</summary>
    public static async Task<List<OutboundMessage>> SendAllAsync(BankHost host, NotificationChannel channel, Func<OutboundMessage, SendOutcome>? answer = null)
    {
        var got = new List<OutboundMessage>();
        await using var db = host.Fees.Db.Open();
        await new OutboxSender(db, new BusinessClock(host.Fees.Clock), [new TakeAll(channel, got, answer)], new ParentLinks(db, BankHost.Box),
            new MessagingOptions(host.BaseAddress.ToString()), NullLogger<OutboxSender>.Instance).RunAsync(CancellationToken.None);
        return got;
    }

    private sealed class TakeAll(NotificationChannel channel, List<OutboundMessage> got, Func<OutboundMessage, SendOutcome>? answer) : INotificationChannel
    {
        public NotificationChannel Channel => channel;

        public ValueTask<SendOutcome> SendAsync(OutboundMessage message, CancellationToken ct)
        {
            got.Add(message);
            return ValueTask.FromResult(answer?.Invoke(message) ?? new Accepted("P", 1, null, "x"));
        }
    }
}
