using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using TdmEdu.Fees.NotifyAdapters.Smtp;
using TdmEdu.Fees.NotifyAdapters.Tests.Support;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Smtp;

/// <summary>The e-mail channel against a real SMTP server (smtp4dev), read back through the server's API.</summary>
public sealed class SmtpChannelTests(SmtpServerFixture fixture) : IClassFixture<SmtpServerFixture>
{
    private SmtpOptions Options(string? user = null, string? password = null, int? port = null) => new()
    {
        Host = "127.0.0.1", Port = port ?? fixture.Server.SmtpPort, FromAddress = "no-reply@thuhocphi.example.vn",
        Username = user, Password = password, Timeout = TimeSpan.FromSeconds(10),
    };

    private static async Task<SendOutcome> SendAsync(SmtpOptions options, OutboundMessage message)
    {
        using var sp = new ServiceCollection().AddSmtpEmail(options).BuildServiceProvider();
        return await sp.GetRequiredService<SmtpEmailChannel>().SendAsync(message, CancellationToken.None);
    }

    private static string To(string local) => $"{local}.{Guid.NewGuid():N}@phuhuynh.example.vn";

    [Fact]
    public async Task NoticeIssued_Arrives_WithTheContractsHeadersAndBothParts()
    {
        var to = To("me-cua-an");
        var message = Samples.Message(NotificationChannel.Email, to);

        var outcome = await SendAsync(Options(), message);

        Assert.Equal($"Accepted {message.Id:N}@thuhocphi.example.vn 1", Samples.Describe(outcome));
        var (raw, plain, _) = await fixture.Server.ReadAsync(to);
        var mail = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(raw)));
        var from = Assert.IsType<MailboxAddress>(Assert.Single(mail.From));
        Assert.Equal(("TH Phú Hòa 2", "no-reply@thuhocphi.example.vn"), (from.Name, from.Address));
        Assert.Equal("ketoan@phuhoa2.example.vn", Assert.IsType<MailboxAddress>(Assert.Single(mail.ReplyTo)).Address);
        Assert.Equal($"{message.Id:N}@thuhocphi.example.vn", mail.MessageId);
        Assert.Equal("auto-generated", mail.Headers["Auto-Submitted"]);
        Assert.Null(mail.Headers["List-Unsubscribe"]);
        Assert.Equal("[TH Phú Hòa 2] Thông báo thu tháng 9/2026 – em An", mail.Subject);
        Assert.Contains("của em An: 1.500.000 đ, hạn nộp 15/09/2026. Mã thanh toán: HS12345671.", mail.TextBody);
        Assert.Contains($"<a href=\"{Samples.Link}\">", mail.HtmlBody);
        Assert.Contains(Samples.Link, plain);
    }

    [Fact]
    public async Task Reminder_CarriesTheOneClickOptOut()
    {
        var to = To("reminder");

        Assert.IsType<Accepted>(await SendAsync(Options(), Samples.Message(NotificationChannel.Email, to, MessageKind.ReminderDue)));

        var mail = MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes((await fixture.Server.ReadAsync(to)).Raw)));
        Assert.Equal($"<{Samples.Values().UnsubscribeLink}>", mail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
    }

    [Fact]
    public async Task RecipientRefusedFor_Good_IsFailed_AndForNow_IsRetried()
    {
        Assert.Equal("Failed SMTP 550 Unreachable", Samples.Describe(await SendAsync(Options(), Samples.Message(NotificationChannel.Email, To("reject550")))));
        Assert.Equal("Retry SMTP 451", Samples.Describe(await SendAsync(Options(), Samples.Message(NotificationChannel.Email, To("later451")))));
    }

    [Fact]
    public async Task LineCutAfterTheMessageWent_IsUnknown()
    {
        var message = Samples.Message(NotificationChannel.Email, To("cut"), values: Samples.Values(firstName: "Hangup"));

        Assert.Equal("Unknown SMTP_CONNECTION", Samples.Describe(await SendAsync(Options(), message)));
    }

    [Fact]
    public async Task NoServer_IsRetried_AsNothingLeft() =>
        Assert.Equal("Retry SMTP_CONNECT", Samples.Describe(await SendAsync(Options(port: Samples.FreePort()), Samples.Message(NotificationChannel.Email, To("x")))));

    [Fact]
    public async Task Login_WhenConfigured_IsUsed_AndAWrongPasswordPausesTheChannel()
    {
        var to = To("login");

        Assert.IsType<Accepted>(await SendAsync(Options(SmtpServerFixture.User, SmtpServerFixture.Password), Samples.Message(NotificationChannel.Email, to)));
        Assert.Equal("Failed SMTP_AUTH DisableChannel alert",
            Samples.Describe(await SendAsync(Options(SmtpServerFixture.User, "wrong"), Samples.Message(NotificationChannel.Email, To("login")))));
        await fixture.Server.ReadAsync(to);
    }

    [Fact]
    public void WithoutTheTool_TheFixtureFails_SayingHowToInstallIt()
    {
        var empty = Directory.CreateTempSubdirectory("no-tools-").FullName;
        try
        {
            var e = Assert.Throws<InvalidOperationException>(() => Smtp4dev.Tool(empty));

            Assert.Contains("dotnet tool install --tool-path .tools Rnwood.Smtp4dev --version 3.15.0", e.Message);
        }
        finally
        {
            Directory.Delete(empty);
        }
    }

    [Theory]
    [InlineData("two@a.vn, three@b.vn")]
    [InlineData("An <an@a.vn>")]
    [InlineData("no-at-sign")]
    [InlineData("an@localhost")]
    [InlineData("an@a.vn\r\nBcc: x@y.vn")]
    public async Task Destination_ThatIsNotOneAddress_FailsBeforeConnecting(string destination) =>
        Assert.Equal("Failed BAD_DESTINATION None", Samples.Describe(await SendAsync(Options(port: Samples.FreePort()), Samples.Message(NotificationChannel.Email, destination))));
}
