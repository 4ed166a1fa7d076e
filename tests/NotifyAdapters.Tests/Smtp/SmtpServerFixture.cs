using TdmEdu.Fees.NotifyAdapters.Tests.Support;

namespace TdmEdu.Fees.NotifyAdapters.Tests.Smtp;

/// <summary>
/// One smtp4dev for the e-mail tests, told to answer some recipients and subjects the way real servers sometimes do:
/// a recipient with "reject550" is refused, one with "later451" deferred, and a message whose subject names "Hangup"
/// is received whole and then the line is cut instead of an answer. A user <c>mailer</c> may log in.
/// </summary>
public sealed class SmtpServerFixture : IAsyncLifetime
{
    public const string User = "mailer";
    public const string Password = "mailer-pass";

    public Smtp4dev Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await Smtp4dev.StartAsync(new Dictionary<string, string>
    {
        ["CommandValidationExpression"] =
            "command.ArgumentsText.indexOf('reject550') >= 0 ? error(550, 'No such user here') : (command.ArgumentsText.indexOf('later451') >= 0 ? error(451, 'Try again later') : null)",
        ["MessageValidationExpression"] = "message.subject.indexOf('Hangup') >= 0 ? disconnect() : true",
        ["SmtpAllowAnyCredentials"] = "false",
    }, $"--user={User}={Password}");

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
