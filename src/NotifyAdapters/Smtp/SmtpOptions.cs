namespace TdmEdu.Fees.NotifyAdapters.Smtp;

public enum SmtpSecurity
{
    /// <summary>STARTTLS when the server offers it, plain otherwise.</summary>
    Auto,
    /// <summary>STARTTLS or no sending.</summary>
    StartTls,
    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,
    None,
}

/// <summary>The SMTP relay the e-mails leave through (§9), and the address they come from.</summary>
public sealed record SmtpOptions
{
    public required string Host { get; init; }
    public int Port { get; init; } = 587;
    public SmtpSecurity Security { get; init; } = SmtpSecurity.Auto;

    /// <summary>Login is optional: a relay that trusts our address needs none.</summary>
    public string? Username { get; init; }

    public string? Password { get; init; }

    /// <summary>The address of <c>From</c>, e.g. <c>no-reply@thuhocphi.example.vn</c>; the school's name is put before it.</summary>
    public required string FromAddress { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Hex SHA-256 of the relay's certificate, for a private relay with its own certificate; else the usual checks.</summary>
    public string? CertificateSha256 { get; init; }

    /// <summary>The domain of the From address, which also names our Message-IDs.</summary>
    public string Domain => FromAddress[(FromAddress.LastIndexOf('@') + 1)..];
}
