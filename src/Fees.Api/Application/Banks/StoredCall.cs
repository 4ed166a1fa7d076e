using System.Text;
using TdmEdu.Fees.Api.Persistence;
using TdmEdu.Fees.BankAdapters.Aggregators;
using TdmEdu.Fees.BankAdapters.Banks;
using TdmEdu.Fees.BankAdapters.Bidv;
using TdmEdu.Fees.BankAdapters.Inbound;
using TdmEdu.Fees.BankAdapters.Msb;
using TdmEdu.Fees.BankAdapters.Vcb;

namespace TdmEdu.Fees.Api.Application.Banks;

/// <summary>
/// How a stored bank call reads back: the adapter that parsed it at the door parses the stored copy again. The
/// endpoints use it before they answer, to know that what they store is what they verified; the inbox worker
/// reads the same copy with the same adapter functions.
/// </summary>
public static class StoredCall
{
    public static BankEvent Read(string bank, string kind, string rawBody, string accountNumber)
    {
        var body = Encoding.UTF8.GetBytes(rawBody);
        return (bank, kind) switch
        {
            (BankDirectory.Bidv, InboxKinds.BidvPay) => BidvBillPayment.ToEvent(BidvBillPayment.ParsePayment(body), accountNumber),
            (BankDirectory.Bidv, InboxKinds.BidvRevert) => BidvBillPayment.ToEvent(BidvBillPayment.ParseReversal(body), accountNumber),
            (BankDirectory.Vcb, _) => VcbNotification.Parse(BankJson.ParseObject(body)),
            (BankDirectory.Msb, _) => MsbNotification.Parse(BankJson.ParseObject(body)),
            (BankDirectory.Sepay, _) => SepayWebhook.Parse(BankJson.ParseObject(body)),
            (BankDirectory.Casso, _) => CassoWebhook.Parse(BankJson.ParseObject(body)),
            (BankDirectory.Payos, _) => PayosWebhook.Parse(BankJson.ParseObject(body)),
            _ => throw new InvalidOperationException($"No adapter reads {bank} {kind}."),
        };
    }

    /// <summary>
    /// True when the message, as it will be stored, reads back as <paramref name="verified"/>. A call that does not
    /// is refused at the door: answering it as accepted would leave money the bank thinks we took and the worker
    /// cannot apply.
    /// </summary>
    public static bool ReadsBackAs(InboxMessage message, string accountNumber, BankEvent verified)
    {
        try
        {
            return Read(message.Bank, message.Kind, message.RawBody, accountNumber) == verified;
        }
        catch (Exception e) when (e is MalformedBankCallException or BankFieldMissingException)
        {
            return false;
        }
    }
}
