namespace TdmEdu.Fees.NotifyAdapters.Tests.Support;

/// <summary>A clock the test sets.</summary>
public sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}

public static class Samples
{
    /// <summary>21:00 in Vietnam: the next 07:00 is tomorrow's.</summary>
    public static readonly DateTimeOffset Evening = new(2026, 12, 4, 14, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset NextMorning = new(2026, 12, 5, 7, 0, 0, TimeSpan.FromHours(7));

    public const string Link = "https://thuhocphi.example.vn/phu-huynh/l/AAAAAAAAAAAAAAAAAAAAAA.t0abcd.kBBBBBBBBBBBBBBBBBBBBBB";

    public static MessageValues Values(string firstName = "An", string school = "TH Phú Hòa 2", string? link = Link) => new(
        School: school, SchoolShortAscii: "TH Phu Hoa 2", FirstName: firstName, PeriodMonth: 9, PeriodYear: 2026,
        AmountVnd: 1_500_000, PaidVnd: 500_000, LeftVnd: 1_000_000, DueDate: new DateOnly(2026, 9, 15), PaymentCode: "HS12345671",
        Receipt: "26T/0000123", Link: link!, ReplyTo: "ketoan@phuhoa2.example.vn",
        UnsubscribeLink: "https://thuhocphi.example.vn/huy-nhan/BBBBBBBBBBBBBBBBBBBBBB.t0abcd.kCCCCCCCCCCCCCCCCCCCCCC");

    public static OutboundMessage Message(NotificationChannel channel, string destination, MessageKind kind = MessageKind.NoticeIssued, MessageValues? values = null) =>
        new(Guid.CreateVersion7(), channel, kind, "", destination, values ?? Values());

    /// <summary>An outcome in one line, so a table of expectations reads as one.</summary>
    public static string Describe(SendOutcome o) => o switch
    {
        Accepted a => $"Accepted {a.ProviderMessageId} {a.Segments}",
        Retry r => $"Retry {r.Code}" + (r.NotBefore is { } at ? $" at {at:yyyy-MM-dd HH:mm zzz}" : "") + (r.WholeChannel ? " whole" : ""),
        Failed f => $"Failed {f.Code} {f.Hint}" + (f.TryNextChannel ? " next" : "") + (f.Alert ? " alert" : ""),
        Unknown u => $"Unknown {u.Code}",
        _ => o.GetType().Name,
    };

    /// <summary>A local port nobody listens on (taken and given back at once).</summary>
    public static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        var port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }
}
